package org.danseg.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.danseg.config.Setting;
import org.danseg.config.TrainConfig;
import org.danseg.infer.OnnxTileNetwork;
import org.danseg.infer.SavedModel;
import org.danseg.io.AtomicFiles;
import org.danseg.io.BadInputException;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.model.CheckpointState;
import org.danseg.model.ModelFolder;
import org.danseg.model.ModelInfo;
import org.danseg.model.Provenance;
import org.danseg.nn.onnx.SegmentationOnnx;

/**
 * A bioimage.io model package (model spec 0.5) of a 2D model, zipped: rdf.yaml, weights.onnx, a
 * test input and its output as .npy (the output computed by ONNX Runtime from the package's own
 * weights), a README with how the model was trained and validated, and the training provenance.
 * The input is the image's raw samples; its preprocessing scales them to [0, 1] by the training
 * images' sample maximum (danseg's own first step); the z-score is inside weights.onnx.
 */
public final class BioImageIoPackage {
    public static final String RDF = "rdf.yaml";

    /** Who and what the package says it is. */
    public record Description(String name, List<String> authors, String license, String description) {
    }

    private BioImageIoPackage() {
    }

    public static void write(SavedModel model, Description about, Path zip) throws IOException {
        if (model.preprocessing().volume() != null) {
            throw new BadInputException(model.folder() + ": a volume model's per-volume intensity normalisation has no bioimage.io "
                    + "preprocessing; export it as --format onnx (docs/export.md)");
        }
        ModelFolder folder = new ModelFolder(model.folder());
        TrainConfig config = model.config();
        ModelInfo info = folder.read().info();
        Provenance provenance = folder.readProvenance();
        TestImage test = testImage(model, provenance);

        byte[] onnx = model.exportOnnx();
        float[] output;
        try (OnnxTileNetwork ort = new OnnxTileNetwork(onnx, model.classes(), model.sizeMultiple(), 1,
                org.danseg.runtime.EngineSettings.ONNX_OPTIMISATION)) {
            output = ort.probabilities(null, test.samples(), (float) (1.0 / test.sampleMax()), 1, model.channels(), test.side(), false);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("weights.onnx", onnx);
        files.put("test_input.npy", NpyFile.float32(test.samples(), 1, model.channels(), test.side(), test.side()));
        files.put("test_output.npy", NpyFile.float32(output, 1, model.classes(), test.side(), test.side()));
        files.put("README.md", readme(model, config, folder, provenance, test).getBytes(StandardCharsets.UTF_8));
        // The training's own files, under their model-folder names.
        String provenanceName = folder.provenance().getFileName().toString();
        String configName = folder.config().getFileName().toString();
        if (provenance != null) {
            files.put(provenanceName, Files.readAllBytes(folder.provenance()));
        }
        files.put(configName, Files.readAllBytes(folder.config()));
        files.put(RDF, rdf(model, about, config, info, test, files, configName, provenanceName).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(zip, out -> {
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    z.putNextEntry(new ZipEntry(f.getKey()));
                    z.write(f.getValue());
                    z.closeEntry();
                }
            }
        });
    }

    /** The package's test input: raw samples (C, side, side), and the sample maximum its preprocessing divides by. */
    record TestImage(float[] samples, int side, double sampleMax, String source) {
    }

    /**
     * The top-left square of the first annotated training image (the largest side the network
     * takes, at most 256), when it is still readable; else a smooth synthetic pattern in 8-bit range.
     */
    private static TestImage testImage(SavedModel model, Provenance provenance) {
        int c = model.channels();
        int m = model.sizeMultiple();
        if (provenance != null && provenance.data() != null) {
            for (Provenance.DataFile f : provenance.data()) {
                if (!f.role().equals("annotated-image")) {
                    continue;
                }
                try {
                    Image2D image = ImageFileReader.read(Path.of(f.path()));
                    int side = Math.min(256, Math.min(image.width(), image.height())) / m * m;
                    if (image.channels() == c && side >= m) {
                        float[] crop = new float[c * side * side];
                        for (int ch = 0; ch < c; ch++) {
                            for (int y = 0; y < side; y++) {
                                System.arraycopy(image.data(), (ch * image.height() + y) * image.width(), crop, (ch * side + y) * side, side);
                            }
                        }
                        return new TestImage(crop, side, image.maxValue(), Path.of(f.path()).getFileName().toString());
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // the training data moved or changed: fall back to the pattern
                }
                break;
            }
        }
        int side = Math.max(m, 128 / m * m);
        float[] pattern = new float[c * side * side];
        for (int i = 0; i < pattern.length; i++) {
            int x = i % side;
            int y = (i / side) % side;
            pattern[i] = (float) Math.round(127.5 + 100 * Math.sin(x / 9.0 + i / (side * side)) * Math.cos(y / 7.0));
        }
        return new TestImage(pattern, side, 255, "a synthetic pattern (the training images were not readable at export)");
    }

    private static List<String> inputChannelNames(int channels) {
        if (channels == 3) {
            return List.of("red", "green", "blue");
        }
        if (channels == 1) {
            return List.of("intensity");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            names.add("channel" + i);
        }
        return names;
    }

    private static List<String> classNames(ModelInfo info) {
        if (info.classes() == 2) {
            return List.of("background", "foreground");
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < info.classes(); k++) {
            names.add(k == 0 ? "background" : "class" + k);
        }
        return names;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String rdf(SavedModel model, Description about, TrainConfig config, ModelInfo info, TestImage test, Map<String, byte[]> files,
                              String configName, String provenanceName) throws IOException {
        int m = model.sizeMultiple();
        List<Object> authors = new ArrayList<>();
        about.authors().forEach(a -> authors.add(map("name", a)));
        Map<String, Object> input = map(
                "id", SegmentationOnnx.INPUT,
                "description", "the image's raw samples; preprocessing scales them to [0, 1]",
                "axes", List.of(map("type", "batch"),
                        map("type", "channel", "channel_names", inputChannelNames(model.channels())),
                        map("type", "space", "id", "y", "size", map("min", m, "step", m)),
                        map("type", "space", "id", "x", "size", map("min", m, "step", m))),
                "test_tensor", map("source", "test_input.npy", "sha256", sha256(files.get("test_input.npy"))),
                "data", map("type", "float32"),
                "preprocessing", List.of(
                        map("id", "ensure_dtype", "kwargs", map("dtype", "float32")),
                        map("id", "scale_linear", "kwargs", map("gain", 1.0 / test.sampleMax(), "offset", 0.0))));
        Map<String, Object> output = map(
                "id", SegmentationOnnx.OUTPUT,
                "description", "softmax class probabilities; the label of a pixel is their argmax",
                "axes", List.of(map("type", "batch"),
                        map("type", "channel", "channel_names", classNames(info)),
                        map("type", "space", "id", "y", "size", map("tensor_id", SegmentationOnnx.INPUT, "axis_id", "y")),
                        map("type", "space", "id", "x", "size", map("tensor_id", SegmentationOnnx.INPUT, "axis_id", "x"))),
                "test_tensor", map("source", "test_output.npy", "sha256", sha256(files.get("test_output.npy"))),
                "data", map("type", "float32", "range", List.of(0.0, 1.0)));
        Map<String, Object> rdf = map(
                "format_version", "0.5.3",
                "type", "model",
                "name", about.name(),
                "description", about.description(),
                "authors", authors,
                "cite", List.of(map("text", "Y. Zhang, L. Yang, J. Chen, M. Fredericksen, D. P. Hughes, D. Z. Chen: Deep Adversarial Networks for "
                        + "Biomedical Image Segmentation Utilizing Unannotated Images. MICCAI 2017, LNCS 10435, 408-416", "doi", "10.1007/978-3-319-66179-7_47")),
                "license", about.license(),
                "documentation", "README.md",
                "tags", List.of("segmentation", "semantic-segmentation", "2d", "danseg", "deep-adversarial-networks", Setting.id(config.network().sn())),
                "attachments", List.of(map("source", configName, "sha256", sha256(files.get(configName)))),
                "timestamp", Instant.now().toString(),
                "inputs", List.of(input),
                "outputs", List.of(output),
                "weights", map("onnx", map("source", "weights.onnx", "sha256", sha256(files.get("weights.onnx")),
                        "opset_version", org.danseg.nn.onnx.OnnxGraph.OPSET)));
        if (files.containsKey(provenanceName)) {
            @SuppressWarnings("unchecked")
            List<Object> attachments = new ArrayList<>((List<Object>) rdf.get("attachments"));
            attachments.add(map("source", provenanceName, "sha256", sha256(files.get(provenanceName))));
            rdf.put("attachments", attachments);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        return yaml.writeValueAsString(rdf);
    }

    private static String readme(SavedModel model, TrainConfig config, ModelFolder folder, Provenance provenance, TestImage test) {
        StringBuilder b = new StringBuilder();
        b.append("# danseg model\n\n");
        b.append(String.format(Locale.ROOT, "A %s segmentation network (width %d) trained by danseg (%s recipe), exported from `%s` (checkpoint `%s`).%n%n",
                Setting.id(config.network().sn()), config.network().width(), Setting.id(config.recipe().mode()), folder.root(), model.checkpoint()));
        b.append("## Training\n\n");
        if (provenance != null && provenance.data() != null) {
            Map<String, Integer> roles = new LinkedHashMap<>();
            provenance.data().forEach(f -> roles.merge(f.role(), 1, Integer::sum));
            roles.forEach((role, n) -> b.append("- ").append(n).append(" file(s) of role ").append(role).append('\n'));
            b.append("- seed ").append(provenance.seed()).append(", danseg ").append(provenance.danseg()).append(", commit ")
                    .append(provenance.gitCommit()).append(", started ").append(provenance.started()).append('\n');
        }
        b.append(String.format(Locale.ROOT, "- %d iterations (%d supervised pre-training), %d + %d patches of %d px per batch, lr %g, seed %d%n",
                config.optimisation().iterations(), config.recipe().pretrainIterations(), config.data().batchAnnotated(),
                config.data().batchUnannotated(), config.data().patch(), config.optimisation().lr(), config.run().seed()));
        b.append("- every setting: ").append(folder.config().getFileName()).append("; every data file with its SHA-256: ")
                .append(folder.provenance().getFileName()).append("\n\n");
        b.append("## Validation\n\n");
        CheckpointState best = null;
        if (folder.hasCheckpoint(ModelFolder.BEST)) {
            try {
                best = folder.checkpoint(ModelFolder.BEST).readState(Integer.MAX_VALUE);
            } catch (IOException e) {
                best = null;
            }
        }
        if (best != null && !Double.isNaN(best.bestValDice())) {
            b.append(String.format(Locale.ROOT, "Foreground Dice %.4f on the validation set (`%s`) at iteration %d, the checkpoint exported.%n%n",
                    best.bestValDice(), config.data().val(), best.bestIteration() + 1));
        } else {
            b.append("The model was trained without a validation set (`danseg train --val`); no validation metric is recorded.\n\n");
        }
        b.append("## Use\n\n");
        b.append(String.format(Locale.ROOT, "Input: the image's raw samples (batch, %d, height, width), height and width multiples of %d; "
                + "preprocessing divides them by %s (the training images' sample maximum). Output: class probabilities; "
                + "the label is their argmax. For large images tile them (danseg uses 256-pixel tiles, overlap 0.25, Gaussian blending).%n%n",
                model.channels(), model.sizeMultiple(), test.sampleMax()));
        b.append("Test input: ").append(test.source()).append(" (top-left ").append(test.side()).append(" x ").append(test.side())
                .append("); test output: ONNX Runtime's probabilities for it from weights.onnx.\n");
        return b.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
