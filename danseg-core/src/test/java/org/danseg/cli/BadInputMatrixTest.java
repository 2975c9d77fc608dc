package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile user's matrix (docs/reliability.md): every case is refused with exit 2 and a short
 * message naming the offending file or option, with no stack trace, and the whole tree of inputs
 * and would-be outputs is byte for byte what it was before (nothing created, changed or deleted).
 */
@Tag("slow")
class BadInputMatrixTest {

    @TempDir
    static Path root;

    static Path data;
    static Path supervised;
    static Path adversarial;

    /** One bad input: what to build, the command, and a word the message must contain. */
    record Case(String name, Setup setup, Function<Path, String[]> command, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Setup {
        void build(Path dir) throws Exception;
    }

    @BeforeAll
    static void trainTwoTinyModels() throws Exception {
        data = root.resolve("data");
        SynthDatasetWriter.write(new SynthConfig(2, 2, 2, 64, 3, 0.4), data, true, null);
        supervised = root.resolve("sup");
        adversarial = root.resolve("adv");
        for (String[] m : List.of(new String[] {"supervised", supervised.toString()}, new String[] {"balanced", adversarial.toString()})) {
            Cli c = Cli.run("train", "--annotated", data.resolve("annotated").toString(), "--unannotated", data.resolve("unannotated").toString(),
                    "--out", m[1], "--mode", m[0], "--width", "8", "--patch", "64", "--iterations", "3", "--pretrain-iterations", "2",
                    "--threads", "2");
            assertThat(c.exitCode()).as(c.err()).isZero();
        }
    }

    private static String s(Path p) {
        return p.toString();
    }

    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--annotated", s(data.resolve("annotated")), "--unannotated",
                s(data.resolve("unannotated")), "--out", s(out), "--width", "8", "--patch", "64", "--iterations", "2", "--pretrain-iterations", "1"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static String[] predict(Path model, Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("predict", "--model", s(model), "--input", s(input), "--out", s(out)));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void volume(Path file, int nx, int ny, int nz, double spacing, float fill, float... firstValues) throws Exception {
        NiftiVolume v = NiftiVolume.blank(nx, ny, nz, spacing, spacing, spacing, NiftiDataType.FLOAT32);
        java.util.Arrays.fill(v.values(), fill);
        System.arraycopy(firstValues, 0, v.values(), 0, firstValues.length);
        Files.createDirectories(file.getParent());
        NiftiWriter.write(v, NiftiDataType.FLOAT32, file);
    }

    private static void labelVolume(Path file, int nx, int ny, int nz, double spacing) throws Exception {
        NiftiVolume v = NiftiVolume.blank(nx, ny, nz, spacing, spacing, spacing, NiftiDataType.UINT8);
        for (int i = 0; i < v.values().length; i += 3) {
            v.values()[i] = 1;
        }
        Files.createDirectories(file.getParent());
        NiftiWriter.write(v, NiftiDataType.UINT8, file);
    }

    /** A valid PNG header claiming a huge image, with no pixel data: decoding it would need gigabytes. */
    private static void hugePngHeader(Path file, int w, int h) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.toByteArray());
    }

    private static void chunk(DataOutputStream out, String type, byte[] body) throws Exception {
        out.writeInt(body.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(body);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(body);
        out.writeInt((int) crc.getValue());
    }

    private static void rgb(Path file, int w, int h) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "png", file.toFile());
    }

    private static void grey(Path file, int w, int h) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", file.toFile());
    }

    private static Path model(Path dir, Path from) throws Exception {
        Path m = dir.resolve("model");
        copyTree(from, m);
        return m;
    }

    private static final Setup NOTHING = dir -> { };

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // Outputs over inputs: --force never replaces what danseg did not write.
        c.add(new Case("train into the annotated folder", NOTHING, d -> train(data.resolve("annotated"), "--force"), "annotated"));
        c.add(new Case("train into the folder holding the data", NOTHING, d -> train(data, "--force"), "data"));
        c.add(new Case("train inside the annotated folder", NOTHING, d -> train(data.resolve("annotated/model"), "--force"), "annotated"));
        c.add(new Case("train into the unannotated folder", NOTHING, d -> train(data.resolve("unannotated"), "--force"), "unannotated"));
        c.add(new Case("train over a regular file", dir -> Files.writeString(dir.resolve("notes.txt"), "mine"),
                d -> train(d.resolve("notes.txt"), "--force"), "notes.txt"));
        c.add(new Case("train over a folder of someone's files", dir -> Files.writeString(dir.resolve("out/thesis.tex"), "mine", fileIn(dir.resolve("out"))),
                d -> train(d.resolve("out"), "--force"), "out"));
        c.add(new Case("train over a folder of someone's files without --force", dir -> Files.writeString(dir.resolve("out/thesis.tex"), "mine", fileIn(dir.resolve("out"))),
                d -> train(d.resolve("out")), "out"));
        c.add(new Case("train over a trained model without --force", dir -> model(dir, supervised), d -> train(d.resolve("model")), "--resume"));
        c.add(new Case("train over its own config file", dir -> Files.writeString(dir.resolve("c.json"), "{\"iterations\": 2}"),
                d -> train(d.resolve("c.json"), "--force", "--config", s(d.resolve("c.json"))), "c.json"));
        c.add(new Case("train into a volume's folder", dir -> {
            volume(dir.resolve("vol/img.nii.gz"), 16, 16, 4, 1, 5f);
            labelVolume(dir.resolve("vol/lab.nii.gz"), 16, 16, 4, 1);
        }, d -> new String[] {"train", "--volume", s(d.resolve("vol/img.nii.gz")), "--labels", s(d.resolve("vol/lab.nii.gz")), "--out", s(d.resolve("vol")),
                "--force", "--mode", "supervised", "--width", "8", "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "vol"));
        c.add(new Case("predict into its own input folder", dir -> copyTree(data.resolve("test"), dir.resolve("in")),
                d -> predict(supervised, d.resolve("in/images"), d.resolve("in/images"), "--force"), "images"));
        c.add(new Case("predict into the folder holding its input", dir -> copyTree(data.resolve("test"), dir.resolve("in")),
                d -> predict(supervised, d.resolve("in/images"), d.resolve("in"), "--force"), "in"));
        c.add(new Case("predict into a folder inside its input", dir -> copyTree(data.resolve("test"), dir.resolve("in")),
                d -> predict(supervised, d.resolve("in"), d.resolve("in/images/masks")), "in"));
        c.add(new Case("predict into the model folder", dir -> model(dir, supervised),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("model"), "--force"), "model"));
        c.add(new Case("predict over a regular file", dir -> Files.writeString(dir.resolve("masks"), "mine"),
                d -> predict(supervised, data.resolve("test"), d.resolve("masks"), "--force"), "masks"));
        c.add(new Case("predict over a folder of someone's files", dir -> Files.writeString(dir.resolve("out/thesis.tex"), "mine", fileIn(dir.resolve("out"))),
                d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--force"), "out"));
        c.add(new Case("predict two inputs onto one mask", dir -> {
            rgb(dir.resolve("in/a.png"), 32, 32);
            rgb(dir.resolve("in/a.tif"), 32, 32);
        }, d -> predict(supervised, d.resolve("in"), d.resolve("out")), "a.tif"));
        c.add(new Case("predict scores over an input image", dir -> copyTree(data.resolve("test"), dir.resolve("in")),
                d -> predict(adversarial, d.resolve("in/images"), d.resolve("out"), "--force", "--scores",
                        s(firstFile(d.resolve("in/images")))), "--scores"));
        c.add(new Case("predict a volume over itself", dir -> volume(dir.resolve("v.nii.gz"), 8, 8, 2, 1, 3f),
                d -> predict(supervised, d.resolve("v.nii.gz"), d.resolve("v.nii.gz"), "--force"), "v.nii.gz"));
        c.add(new Case("report over a model's config", dir -> model(dir, supervised),
                d -> new String[] {"report", "--model", s(d.resolve("model")), "--out", s(d.resolve("model/config.json")), "--force"}, "config.json"));
        c.add(new Case("evaluate --json over a true mask", dir -> copyTree(data.resolve("test"), dir.resolve("t")),
                d -> new String[] {"evaluate", "--pred", s(d.resolve("t")), "--truth", s(d.resolve("t")), "--json",
                        s(firstFile(d.resolve("t/masks"))), "--force"}, "--json"));
        c.add(new Case("derive-labels over its atlas", dir -> labelVolume(dir.resolve("atlas.nii.gz"), 8, 8, 2, 1),
                d -> new String[] {"derive-labels", "--atlas", s(d.resolve("atlas.nii.gz")), "--labels", "1", "--out", s(d.resolve("atlas.nii.gz")), "--force"},
                "atlas.nii.gz"));
        c.add(new Case("synth over a folder of someone's files", dir -> Files.writeString(dir.resolve("out/thesis.tex"), "mine", fileIn(dir.resolve("out"))),
                d -> new String[] {"synth", "--out", s(d.resolve("out")), "--annotated", "1", "--unannotated", "1", "--test", "1", "--size", "64", "--force"}, "out"));
        c.add(new Case("synth over a regular file", dir -> Files.writeString(dir.resolve("out"), "mine"),
                d -> new String[] {"synth", "--out", s(d.resolve("out")), "--annotated", "1", "--unannotated", "1", "--test", "1", "--size", "64", "--force"}, "out"));
        c.add(new Case("demo over a folder of someone's files", dir -> Files.writeString(dir.resolve("out/thesis.tex"), "mine", fileIn(dir.resolve("out"))),
                d -> new String[] {"demo", "--quick", "--out", s(d.resolve("out")), "--force"}, "out"));
        c.add(new Case("experiment over a folder of someone's files", dir -> {
            Files.writeString(dir.resolve("out/thesis.tex"), "mine", fileIn(dir.resolve("out")));
            Files.writeString(dir.resolve("grid.json"), "{\"modes\": [\"supervised\"], \"seeds\": [1], \"budgets\": [{\"annotated\": 1}], "
                    + "\"synth\": {\"annotated\": 2, \"unannotated\": 2, \"test\": 2, \"size\": 64, \"seed\": 1, \"malignantFraction\": 0.4}}");
        }, d -> new String[] {"experiment", "--config", s(d.resolve("grid.json")), "--out", s(d.resolve("out")), "--force"}, "out"));
        // Numbers at the door.
        c.add(new Case("infinite --lambda-start", NOTHING, d -> train(d.resolve("m"), "--lambda-start", "Infinity"), "--lambda-start"));
        c.add(new Case("NaN --lambda-max", NOTHING, d -> train(d.resolve("m"), "--lambda-max", "NaN"), "--lambda-max"));
        c.add(new Case("infinite --lr", NOTHING, d -> train(d.resolve("m"), "--lr", "Infinity"), "--lr"));
        c.add(new Case("infinite --en-lr", NOTHING, d -> train(d.resolve("m"), "--en-lr", "Infinity"), "--en-lr"));
        c.add(new Case("NaN --confidence", NOTHING, d -> train(d.resolve("m"), "--mode", "dan", "--confidence", "NaN"), "--confidence"));
        c.add(new Case("NaN --ema-decay", NOTHING, d -> train(d.resolve("m"), "--mode", "mean-teacher", "--ema-decay", "NaN"), "--ema-decay"));
        c.add(new Case("--ema-decay 1", NOTHING, d -> train(d.resolve("m"), "--mode", "mean-teacher", "--ema-decay", "1"), "--ema-decay"));
        c.add(new Case("NaN --en-label-smoothing", NOTHING, d -> train(d.resolve("m"), "--en-label-smoothing", "NaN"), "--en-label-smoothing"));
        c.add(new Case("--patch 33", NOTHING, d -> train(d.resolve("m"), "--patch", "33"), "--patch"));
        c.add(new Case("--iterations 0", NOTHING, d -> train(d.resolve("m"), "--iterations", "0"), "--iterations"));
        c.add(new Case("--lambda-ramp -1", NOTHING, d -> train(d.resolve("m"), "--lambda-ramp", "-1"), "--lambda-ramp"));
        c.add(new Case("--threads -1", NOTHING, d -> train(d.resolve("m"), "--threads", "-1"), "--threads"));
        c.add(new Case("--width 0", NOTHING, d -> train(d.resolve("m"), "--width", "0"), "--width"));
        c.add(new Case("--pretrain-iterations beyond the run", NOTHING, d -> train(d.resolve("m"), "--pretrain-iterations", "9"), "--pretrain-iterations"));
        c.add(new Case("--tile -64", NOTHING, d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--tile", "-64"), "--tile"));
        c.add(new Case("--tile 50 (not a multiple of 16)", NOTHING, d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--tile", "50"), "--tile"));
        c.add(new Case("--tile 16 (below the training patch)", NOTHING, d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--tile", "16"), "training patch"));
        c.add(new Case("--overlap NaN", NOTHING, d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--overlap", "NaN"), "--overlap"));
        c.add(new Case("--overlap 1", NOTHING, d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--overlap", "1"), "--overlap"));
        c.add(new Case("--batch -1", NOTHING, d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--batch", "-1"), "--batch"));
        c.add(new Case("config with a fractional iteration count", dir -> Files.writeString(dir.resolve("c.json"), "{\"iterations\": 2.7}"),
                d -> train(d.resolve("m"), "--config", s(d.resolve("c.json"))), "iterations"));
        c.add(new Case("config with a word for a number", dir -> Files.writeString(dir.resolve("c.json"), "{\"iterations\": \"two\"}"),
                d -> train(d.resolve("m"), "--config", s(d.resolve("c.json"))), "iterations"));
        c.add(new Case("config with a fractional width", dir -> Files.writeString(dir.resolve("c.json"), "{\"width\": 8.5}"),
                d -> train(d.resolve("m"), "--config", s(d.resolve("c.json"))), "width"));
        c.add(new Case("config with an unknown key", dir -> Files.writeString(dir.resolve("c.json"), "{\"iterashuns\": 2}"),
                d -> train(d.resolve("m"), "--config", s(d.resolve("c.json"))), "c.json"));
        c.add(new Case("config that is not JSON", dir -> Files.writeString(dir.resolve("c.json"), "iterations = 2"),
                d -> train(d.resolve("m"), "--config", s(d.resolve("c.json"))), "c.json"));
        c.add(new Case("bench with an infinite --lam", NOTHING, d -> new String[] {"bench", "--lam", "Infinity", "--iters", "1"}, "--lam"));
        c.add(new Case("synth with --size 0", NOTHING, d -> new String[] {"synth", "--out", s(d.resolve("out")), "--size", "0"}, "--size"));
        c.add(new Case("synth with a negative count", NOTHING, d -> new String[] {"synth", "--out", s(d.resolve("out")), "--unannotated", "-3"},
                "non-negative"));
        c.add(new Case("evaluate with a slice list that is not one", dir -> {
            labelVolume(dir.resolve("p.nii.gz"), 8, 8, 2, 1);
            labelVolume(dir.resolve("t.nii.gz"), 8, 8, 2, 1);
        }, d -> new String[] {"evaluate", "--pred", s(d.resolve("p.nii.gz")), "--truth", s(d.resolve("t.nii.gz")), "--slices", "3-x"}, "3-x"));
        c.add(new Case("evaluate slices outside the volume", dir -> {
            labelVolume(dir.resolve("p.nii.gz"), 8, 8, 2, 1);
            labelVolume(dir.resolve("t.nii.gz"), 8, 8, 2, 1);
        }, d -> new String[] {"evaluate", "--pred", s(d.resolve("p.nii.gz")), "--truth", s(d.resolve("t.nii.gz")), "--slices", "5"}, "5"));
        // Bad numbers and sizes in data.
        c.add(new Case("predict a volume with NaN voxels", dir -> volume(dir.resolve("v.nii.gz"), 8, 8, 2, 1, 3f, Float.NaN),
                d -> predict(supervised, d.resolve("v.nii.gz"), d.resolve("seg.nii.gz")), "v.nii.gz"));
        c.add(new Case("train on a volume with infinite voxels", dir -> {
            volume(dir.resolve("img.nii.gz"), 16, 16, 4, 1, 5f, Float.POSITIVE_INFINITY);
            labelVolume(dir.resolve("lab.nii.gz"), 16, 16, 4, 1);
        }, d -> new String[] {"train", "--volume", s(d.resolve("img.nii.gz")), "--labels", s(d.resolve("lab.nii.gz")), "--out", s(d.resolve("m")),
                "--mode", "supervised", "--width", "8", "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "img.nii.gz"));
        c.add(new Case("train on labels with fractional voxels", dir -> {
            volume(dir.resolve("img.nii.gz"), 16, 16, 4, 1, 5f);
            volume(dir.resolve("lab.nii.gz"), 16, 16, 4, 1, 0f, 1f, 0.5f);
        }, d -> new String[] {"train", "--volume", s(d.resolve("img.nii.gz")), "--labels", s(d.resolve("lab.nii.gz")), "--out", s(d.resolve("m")),
                "--mode", "supervised", "--width", "8", "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "lab.nii.gz"));
        c.add(new Case("train on labels in another space than the image", dir -> {
            volume(dir.resolve("img.nii.gz"), 16, 16, 4, 1, 5f);
            labelVolume(dir.resolve("lab.nii.gz"), 16, 16, 4, 2);
        }, d -> new String[] {"train", "--volume", s(d.resolve("img.nii.gz")), "--labels", s(d.resolve("lab.nii.gz")), "--out", s(d.resolve("m")),
                "--mode", "supervised", "--width", "8", "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "lab.nii.gz"));
        c.add(new Case("evaluate an intensity volume as labels", dir -> {
            volume(dir.resolve("img.nii.gz"), 8, 8, 2, 1, 0f, 0.37f, 12.5f, 3f);
            labelVolume(dir.resolve("lab.nii.gz"), 8, 8, 2, 1);
        }, d -> new String[] {"evaluate", "--pred", s(d.resolve("img.nii.gz")), "--truth", s(d.resolve("lab.nii.gz"))}, "img.nii.gz"));
        c.add(new Case("evaluate labels with an infinite voxel", dir -> {
            volume(dir.resolve("p.nii.gz"), 8, 8, 2, 1, 0f, Float.POSITIVE_INFINITY, 1f);
            labelVolume(dir.resolve("lab.nii.gz"), 8, 8, 2, 1);
        }, d -> new String[] {"evaluate", "--pred", s(d.resolve("p.nii.gz")), "--truth", s(d.resolve("lab.nii.gz"))}, "p.nii.gz"));
        c.add(new Case("evaluate volumes of different sizes", dir -> {
            labelVolume(dir.resolve("p.nii.gz"), 8, 8, 2, 1);
            labelVolume(dir.resolve("t.nii.gz"), 8, 8, 3, 1);
        }, d -> new String[] {"evaluate", "--pred", s(d.resolve("p.nii.gz")), "--truth", s(d.resolve("t.nii.gz"))}, "p.nii.gz"));
        c.add(new Case("predict a PNG whose header claims 20000 x 20000", dir -> hugePngHeader(dir.resolve("in/huge.png"), 20000, 20000),
                d -> predict(supervised, d.resolve("in"), d.resolve("out")), "huge.png"));
        c.add(new Case("predict a PNG whose header claims 100000 x 100000", dir -> hugePngHeader(dir.resolve("big.png"), 100000, 100000),
                d -> predict(supervised, d.resolve("big.png"), d.resolve("out")), "big.png"));
        c.add(new Case("train on a PNG whose header claims 30000 x 30000", dir -> {
            copyTree(data.resolve("annotated"), dir.resolve("ann"));
            hugePngHeader(dir.resolve("ann/images/huge.png"), 30000, 30000);
            hugePngHeader(dir.resolve("ann/masks/huge.png"), 30000, 30000);
        }, d -> new String[] {"train", "--annotated", s(d.resolve("ann")), "--out", s(d.resolve("m")), "--mode", "supervised", "--width", "8",
                "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "huge.png"));
        c.add(new Case("train with a JPEG mask", dir -> {
            rgb(dir.resolve("ann/images/a.png"), 32, 32);
            Files.createDirectories(dir.resolve("ann/masks"));
            ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "jpeg", dir.resolve("ann/masks/a.jpg").toFile());
        }, d -> new String[] {"train", "--annotated", s(d.resolve("ann")), "--out", s(d.resolve("m")), "--mode", "supervised", "--width", "8",
                "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "a.jpg"));
        c.add(new Case("derive-labels that match nothing", dir -> labelVolume(dir.resolve("atlas.nii.gz"), 8, 8, 2, 1),
                d -> new String[] {"derive-labels", "--atlas", s(d.resolve("atlas.nii.gz")), "--labels", "7", "--out", s(d.resolve("out.nii.gz"))}, "7"));
        // Bad inputs to predict: refused before any mask is written.
        c.add(new Case("predict a folder with one corrupt image", dir -> {
            copyTree(data.resolve("test/images"), dir.resolve("in"));
            Files.writeString(dir.resolve("in/zz_broken.png"), "garbage");
        }, d -> predict(supervised, d.resolve("in"), d.resolve("out")), "zz_broken.png"));
        c.add(new Case("predict a grey image with an RGB model", dir -> grey(dir.resolve("g.png"), 32, 32),
                d -> predict(supervised, d.resolve("g.png"), d.resolve("out")), "g.png"));
        c.add(new Case("predict a missing input", NOTHING, d -> predict(supervised, d.resolve("nothing"), d.resolve("out")), "nothing"));
        c.add(new Case("predict a 2D model on a volume", dir -> volume(dir.resolve("v.nii.gz"), 8, 8, 2, 1, 3f),
                d -> predict(supervised, d.resolve("v.nii.gz"), d.resolve("seg.nii.gz")), "2D"));
        c.add(new Case("predict with scores from a supervised model", NOTHING,
                d -> predict(supervised, data.resolve("test"), d.resolve("out"), "--scores", s(d.resolve("s.csv"))), "--scores"));
        c.add(new Case("train on a missing folder", NOTHING, d -> new String[] {"train", "--annotated", s(d.resolve("nope")), "--out", s(d.resolve("m")),
                "--mode", "supervised"}, "nope"));
        c.add(new Case("train on a broken dataset.json", dir -> {
            copyTree(data.resolve("annotated"), dir.resolve("ann"));
            Files.writeString(dir.resolve("ann/dataset.json"), "{ not json");
        }, d -> new String[] {"train", "--annotated", s(d.resolve("ann")), "--out", s(d.resolve("m")), "--mode", "supervised", "--width", "8",
                "--patch", "64", "--iterations", "2", "--pretrain-iterations", "0"}, "dataset.json"));
        c.add(new Case("resume a folder with nothing to resume", dir -> Files.createDirectories(dir.resolve("m")),
                d -> new String[] {"train", "--out", s(d.resolve("m")), "--resume"}, "m"));
        // Damaged model folders: named, and no output folder created.
        c.add(new Case("--model that is not a model", dir -> Files.createDirectories(dir.resolve("model")),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "model"));
        c.add(new Case("--model with truncated sn.params", dir -> {
            Path m = model(dir, supervised);
            Path p = m.resolve("last/sn.params");
            Files.write(p, java.util.Arrays.copyOf(Files.readAllBytes(p), 100));
        }, d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "sn.params"));
        c.add(new Case("--model with an empty sn.params", dir -> Files.write(model(dir, supervised).resolve("last/sn.params"), new byte[0]),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "sn.params"));
        c.add(new Case("--model without sn.params", dir -> Files.delete(model(dir, supervised).resolve("last/sn.params")),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "sn.params"));
        c.add(new Case("--model without en.params", dir -> Files.delete(model(dir, adversarial).resolve("last/en.params")),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out"), "--scores", s(d.resolve("s.csv"))), "en.params"));
        c.add(new Case("--model with a garbage en.params", dir -> Files.writeString(model(dir, adversarial).resolve("last/en.params"), "garbage"),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "en.params"));
        c.add(new Case("--model whose weights are of another width", dir -> {
            Path m = model(dir, supervised);
            Files.writeString(m.resolve("config.json"), Files.readString(m.resolve("config.json")).replace("\"width\" : 8", "\"width\" : 16"));
        }, d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "sn.params"));
        c.add(new Case("--model with garbage config.json", dir -> Files.writeString(model(dir, supervised).resolve("config.json"), "{"),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "config.json"));
        c.add(new Case("--model with a config.json of bad values", dir -> {
            Path m = model(dir, supervised);
            Files.writeString(m.resolve("config.json"), Files.readString(m.resolve("config.json")).replace("\"sn\" : \"unet\"", "\"sn\" : \"resnet\""));
        }, d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "config.json"));
        c.add(new Case("--model with garbage model.json", dir -> Files.writeString(model(dir, supervised).resolve("model.json"), "[1,2]"),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "model.json"));
        c.add(new Case("--model whose model.json has other channels", dir -> {
            Path m = model(dir, supervised);
            Files.writeString(m.resolve("model.json"), Files.readString(m.resolve("model.json")).replaceAll("\"channels\"\\s*:\\s*3", "\"channels\" : 1"));
        }, d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "model.json"));
        c.add(new Case("--model with garbage normalization.json", dir -> Files.writeString(model(dir, supervised).resolve("normalization.json"), "{\"mean\": 3}"),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "normalization.json"));
        c.add(new Case("--model with NaN normalization", dir -> {
            Path m = model(dir, supervised);
            Files.writeString(m.resolve("normalization.json"), Files.readString(m.resolve("normalization.json")).replaceFirst("\\[\\s*[-0-9.eE]+", "[ \"NaN\""));
        }, d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "normalization.json"));
        c.add(new Case("--model without its last checkpoint", dir -> org.danseg.io.Directories.deleteTree(model(dir, supervised).resolve("last")),
                d -> predict(d.resolve("model"), data.resolve("test"), d.resolve("out")), "model"));
        c.add(new Case("--model with a truncated state.json", dir -> Files.writeString(model(dir, supervised).resolve("last/state.json"), "{\"next"),
                d -> new String[] {"train", "--out", s(d.resolve("model")), "--resume"}, "state.json"));
        c.add(new Case("--model with a garbage optimizer state", dir -> Files.writeString(model(dir, supervised).resolve("last/sn_optimizer.ndlist"), "x"),
                d -> new String[] {"train", "--out", s(d.resolve("model")), "--resume", "--iterations", "5"}, "sn_optimizer.ndlist"));
        c.add(new Case("report on a folder that is not a model", dir -> Files.createDirectories(dir.resolve("model")),
                d -> new String[] {"report", "--model", s(d.resolve("model")), "--out", s(d.resolve("r.html"))}, "model"));
        c.add(new Case("evaluate a missing prediction", NOTHING,
                d -> new String[] {"evaluate", "--pred", s(d.resolve("none")), "--truth", s(data.resolve("test"))}, "none"));
        return c;
    }

    private static Path firstFile(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Makes {@code dir} so that Files.writeString(dir.resolve(x), ...) works (the setup's one-liners). */
    private static java.nio.file.OpenOption fileIn(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.nio.file.StandardOpenOption.CREATE;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedAndChangesNothing(Case bad, @TempDir Path dir) throws Exception {
        bad.setup().build(dir);
        String[] command = bad.command().apply(dir);
        TreeMap<String, String> before = snapshot(root);
        before.putAll(snapshot(dir));
        Cli r = Cli.run(command);
        TreeMap<String, String> after = snapshot(root);
        after.putAll(snapshot(dir));
        assertThat(r.exitCode()).as("exit code; stdout: %s; stderr: %s", r.out(), r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).as("message").contains(bad.mentions()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines().filter(l -> !l.startsWith("Try '")).count()).as("lines of: " + r.err()).isLessThanOrEqualTo(3);
        assertThat(after).as("the tree after the command").isEqualTo(before);
    }

    /** Every path under {@code dir} (folders too) with the SHA-256 of its content. */
    static TreeMap<String, String> snapshot(Path dir) throws Exception {
        TreeMap<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            return m;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String key = p.toString();
                if (Files.isDirectory(p)) {
                    m.put(key, "dir");
                } else {
                    m.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
            }
        }
        return m;
    }
}
