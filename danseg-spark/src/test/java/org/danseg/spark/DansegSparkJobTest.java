package org.danseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.danseg.cli.Main;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job in local[2] mode against danseg predict: same bytes, bad inputs as rows, reruns skip. */
class DansegSparkJobTest {

    @TempDir
    static Path dir;

    static SparkSession spark;

    private static String danseg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("danseg %s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("danseg-test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Map<String, SegmentationResult> byName(List<SegmentationResult> results) {
        return results.stream().collect(Collectors.toMap(r -> Path.of(java.net.URI.create(r.getInput())).getFileName().toString(), r -> r));
    }

    @Test
    void imagesAreSegmentedOnceAsDansegPredictDoesAndBadFilesBecomeErrorRows() throws Exception {
        Path data = dir.resolve("data");
        SynthDatasetWriter.write(new SynthConfig(2, 6, 0, 64, 3, 0.4), data, true, null);
        Path model = dir.resolve("model");
        danseg("train", "--annotated", data.resolve("annotated").toString(), "--out", model.toString(), "--mode", "supervised",
                "--width", "8", "--patch", "64", "--iterations", "3", "--pretrain-iterations", "0", "--threads", "2");
        Path good = data.resolve("unannotated/images");
        Path collection = dir.resolve("collection");
        Files.createDirectories(collection);
        try (Stream<Path> s = Files.list(good)) {
            for (Path p : s.toList()) {
                Files.copy(p, collection.resolve(p.getFileName()));
            }
        }
        Files.writeString(collection.resolve("broken.png"), "not a png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png", collection.resolve("grey.png").toFile());
        danseg("predict", "--model", model.toString(), "--input", good.toString(), "--out", dir.resolve("predicted").toString());

        SparkJobSettings settings = new SparkJobSettings(model.toString(), collection.toString(), dir.resolve("out").toString(), "png", 0, 0.25,
                false, false, false, 3, 1);
        Map<String, SegmentationResult> first = byName(DansegSparkJob.run(spark, settings).collectAsList());
        assertThat(first).hasSize(8);
        assertThat(first.get("broken.png").getStatus()).isEqualTo(SegmentationResult.ERROR);
        assertThat(first.get("broken.png").getMessage()).contains("broken.png");
        assertThat(first.get("grey.png").getStatus()).isEqualTo(SegmentationResult.ERROR);
        assertThat(first.get("grey.png").getMessage()).contains("channel");
        List<String> masks;
        try (Stream<Path> s = Files.list(dir.resolve("predicted"))) {
            masks = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
        assertThat(masks).hasSize(6);
        for (String mask : masks) {
            SegmentationResult r = first.get(mask);
            assertThat(r.getStatus()).as(mask + ": " + r.getMessage()).isEqualTo(SegmentationResult.OK);
            assertThat(r.getWidth()).isEqualTo(64);
            assertThat(r.getForegroundFraction()).isBetween(0.0, 1.0);
            assertThat(Files.readAllBytes(dir.resolve("out").resolve(mask))).as(mask).isEqualTo(Files.readAllBytes(dir.resolve("predicted").resolve(mask)));
        }
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).count()).as("one mask per good input").isEqualTo(6);
        }
        assertThat(spark.read().parquet(dir.resolve("out").resolve(DansegSparkJob.RESULTS).toString()).count()).isEqualTo(8);

        Map<String, SegmentationResult> rerun = byName(DansegSparkJob.run(spark, settings).collectAsList());
        assertThat(rerun.values().stream().filter(r -> r.getStatus().equals(SegmentationResult.SKIPPED)).count()).isEqualTo(6);
        assertThat(rerun.values().stream().filter(r -> r.getStatus().equals(SegmentationResult.ERROR)).count()).isEqualTo(2);

        SparkJobSettings forced = new SparkJobSettings(model.toString(), collection.toString(), dir.resolve("out").toString(), "png", 0, 0.25,
                false, true, true, 2, 1);
        Map<String, SegmentationResult> again = byName(DansegSparkJob.run(spark, forced).collectAsList());
        assertThat(again.values().stream().filter(r -> r.getStatus().equals(SegmentationResult.OK)).count()).isEqualTo(6);
        for (String mask : masks) {
            assertThat(Files.readAllBytes(dir.resolve("out").resolve(mask))).as(mask).isEqualTo(Files.readAllBytes(dir.resolve("predicted").resolve(mask)));
            assertThat(dir.resolve("out").resolve(mask.replace(".png", "_prob1.png"))).as("--probabilities").exists();
        }
    }

    private static void volume(Path image, Path labels, long seed) throws Exception {
        java.util.Random r = new java.util.Random(seed);
        NiftiVolume v = NiftiVolume.blank(32, 32, 6, 1, 1, 2, NiftiDataType.FLOAT32);
        NiftiVolume l = NiftiVolume.blank(32, 32, 6, 1, 1, 2, NiftiDataType.UINT8);
        for (int k = 0; k < 6; k++) {
            for (int j = 0; j < 32; j++) {
                for (int i = 0; i < 32; i++) {
                    boolean inside = (i - 16) * (i - 16) + (j - 14) * (j - 14) < 60 + 10 * k;
                    v.values()[v.index(i, j, k)] = (inside ? 200f : 60f) + (float) r.nextGaussian() * 10f;
                    l.values()[l.index(i, j, k)] = inside ? 1 : 0;
                }
            }
        }
        Files.createDirectories(image.getParent());
        NiftiWriter.write(v, NiftiDataType.FLOAT32, image);
        if (labels != null) {
            NiftiWriter.write(l, NiftiDataType.UINT8, labels);
        }
    }

    @Test
    void volumesAreSegmentedIntoNiftiAsDansegPredictDoes() throws Exception {
        Path v = dir.resolve("vol");
        volume(v.resolve("train.nii.gz"), v.resolve("train_labels.nii.gz"), 1);
        volume(v.resolve("in/a.nii.gz"), null, 2);
        volume(v.resolve("in/b.nii.gz"), null, 3);
        Path model = v.resolve("model");
        danseg("train", "--volume", v.resolve("train.nii.gz").toString(), "--labels", v.resolve("train_labels.nii.gz").toString(), "--out",
                model.toString(), "--mode", "supervised", "--width", "8", "--patch", "64", "--iterations", "3", "--pretrain-iterations", "0",
                "--threads", "2");
        SparkJobSettings settings = new SparkJobSettings(model.toString(), v.resolve("in").toString(), v.resolve("out").toString(), "png", 0, 0.25,
                false, false, false, 2, 1);
        Map<String, SegmentationResult> results = byName(DansegSparkJob.run(spark, settings).collectAsList());
        for (String name : new String[] {"a.nii.gz", "b.nii.gz"}) {
            SegmentationResult r = results.get(name);
            assertThat(r.getStatus()).as(name + ": " + r.getMessage()).isEqualTo(SegmentationResult.OK);
            assertThat(r.getDepth()).isEqualTo(6);
            Path expected = v.resolve("predicted-" + name);
            danseg("predict", "--model", model.toString(), "--input", v.resolve("in").resolve(name).toString(), "--out", expected.toString());
            assertThat(Files.readAllBytes(v.resolve("out").resolve(name))).as(name).isEqualTo(Files.readAllBytes(expected));
        }
    }
}
