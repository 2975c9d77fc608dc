package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.testing.Cli;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained model exported to ONNX: the ONNX project's own checker accepts it, and prediction
 * through ONNX Runtime gives DJL's labels (agreement >= 0.9999) for both networks.
 */
class ExportTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path data;

    @TempDir
    Path dir;

    /** 128-pixel images: dan-fcn needs 128-pixel patches (a 4 x 4 bottleneck). */
    @TempDir
    static Path data128;

    @BeforeAll
    static void synthesize() throws Exception {
        TinyTraining.synthesize(data);
        org.danseg.data.synth.SynthDatasetWriter.write(new org.danseg.data.synth.SynthConfig(2, 2, 0, 128, 3, 0.4), data128, true, null);
    }

    /** TinyTraining's run, on 128-pixel images with 128-pixel patches for dan-fcn. */
    private static String[] tinyRun(String sn, Path model, int iterations) {
        boolean fcn = sn.equals("dan-fcn");
        String[] a = TinyTraining.args(fcn ? data128 : data, model, "supervised", iterations, "--sn", sn);
        for (int i = 0; fcn && i + 1 < a.length; i++) {
            if (a[i].equals("--patch")) {
                a[i + 1] = "128";
            }
        }
        return a;
    }

    /** The independent check: Debian's python3-onnx, full_check (shape inference included). Fails in CI when missing, skips loudly elsewhere. */
    private static void onnxChecker(Path model) throws Exception {
        boolean available = new ProcessBuilder(PYTHON, "-c", "import onnx").start().waitFor() == 0;
        if (!available) {
            String msg = "the ONNX checker needs Debian's python3-onnx (.ci/run installs it)";
            if ("1".equals(System.getenv("DANSEG_REQUIRE_REFERENCE"))) {
                throw new AssertionError(msg);
            }
            Assumptions.abort("SKIPPED: " + msg);
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                + "print(m.opset_import[0].version, [i.name for i in m.graph.input], [o.name for o in m.graph.output])", model.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("17 ['image'] ['probabilities']");
    }

    @Test
    void exportedModelsPassTheOnnxCheckerAndPredictAsDjlDoes() throws Exception {
        for (String sn : new String[] {"dan-fcn", "unet"}) {
            Path model = dir.resolve("m-" + sn);
            Cli train = Cli.run(tinyRun(sn, model, 12));
            assertThat(train.exitCode()).as(train.err()).isZero();
            Path onnx = dir.resolve(sn + ".onnx");
            Cli export = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
            assertThat(export.exitCode()).as(export.err()).isZero();
            onnxChecker(onnx);
            assertThat(Cli.run("export", "--model", model.toString(), "--out", onnx.toString()).exitCode()).as("no overwrite without --force").isEqualTo(2);

            Path djl = dir.resolve("djl-" + sn);
            Path ort = dir.resolve("ort-" + sn);
            String input = (sn.equals("dan-fcn") ? data128 : data).resolve("unannotated").toString();
            String tile = sn.equals("dan-fcn") ? "128" : "64";
            assertThat(Cli.run("predict", "--model", model.toString(), "--input", input, "--out", djl.toString(), "--tile", tile, "--tta",
                    "--engine", "djl").exitCode()).isZero();
            Cli viaOrt = Cli.run("predict", "--model", model.toString(), "--input", input, "--out", ort.toString(), "--tile", tile, "--tta",
                    "--engine", "onnxruntime");
            assertThat(viaOrt.exitCode()).as(viaOrt.err()).isZero();
            assertThat(Files.readString(ort.resolve("prediction.json"))).contains("\"engine\" : \"onnxruntime\"");
            long pixels = 0;
            long same = 0;
            for (String name : djl.toFile().list((d, n) -> n.endsWith(".png"))) {
                java.awt.image.Raster a = javax.imageio.ImageIO.read(djl.resolve(name).toFile()).getRaster();
                java.awt.image.Raster b = javax.imageio.ImageIO.read(ort.resolve(name).toFile()).getRaster();
                for (int y = 0; y < a.getHeight(); y++) {
                    for (int x = 0; x < a.getWidth(); x++) {
                        pixels++;
                        same += a.getSample(x, y, 0) == b.getSample(x, y, 0) ? 1 : 0;
                    }
                }
            }
            assertThat(pixels).isEqualTo(sn.equals("dan-fcn") ? 2L * 128 * 128 : 4L * 64 * 64);
            assertThat((double) same / pixels).as(sn + ": label agreement of the two engines").isGreaterThanOrEqualTo(0.9999);
        }
        assertThat(Cli.run("predict", "--model", dir.resolve("m-unet").toString(), "--input", data.resolve("unannotated").toString(),
                "--out", dir.resolve("bad").toString(), "--engine", "tensorrt").exitCode()).isEqualTo(2);
    }

    @Test
    void bioimageioPackageHoldsWhatTheSpecRequiresAndReproducesItsTestOutput() throws Exception {
        Path model = dir.resolve("m");
        Cli train = Cli.run(TinyTraining.args(data, model, "supervised", 10, "--val", data.resolve("annotated").toString(), "--validate-every", "5"));
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path zip = dir.resolve("pkg.zip");
        assertThat(Cli.run("export", "--model", model.toString(), "--format", "bioimageio", "--out", zip.toString()).exitCode())
                .as("authors are required").isEqualTo(2);
        Cli export = Cli.run("export", "--model", model.toString(), "--format", "bioimageio", "--out", zip.toString(), "--author", "A. Tester",
                "--name", "tiny glands");
        assertThat(export.exitCode()).as(export.err()).isZero();

        java.util.Map<String, byte[]> files = new java.util.HashMap<>();
        try (java.util.zip.ZipInputStream z = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                files.put(e.getName(), z.readAllBytes());
            }
        }
        assertThat(files).containsKeys("rdf.yaml", "README.md", "weights.onnx", "test_input.npy", "test_output.npy", "config.json", "provenance.json");
        com.fasterxml.jackson.databind.JsonNode rdf = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(files.get("rdf.yaml"));
        assertThat(rdf.get("format_version").asText()).startsWith("0.5.");
        assertThat(rdf.get("type").asText()).isEqualTo("model");
        assertThat(rdf.get("name").asText()).isEqualTo("tiny glands");
        assertThat(rdf.get("description").asText()).isNotBlank();
        assertThat(rdf.get("authors").get(0).get("name").asText()).isEqualTo("A. Tester");
        assertThat(rdf.get("cite").get(0).get("doi").asText()).isEqualTo("10.1007/978-3-319-66179-7_47");
        assertThat(rdf.get("license").asText()).isEqualTo("CC-BY-4.0");
        assertThat(files).containsKey(rdf.get("documentation").asText());
        assertThat(new String(files.get("README.md"))).contains("Foreground Dice").contains("iterations");
        com.fasterxml.jackson.databind.JsonNode input = rdf.get("inputs").get(0);
        com.fasterxml.jackson.databind.JsonNode output = rdf.get("outputs").get(0);
        assertThat(input.get("id").asText()).isEqualTo("image");
        assertThat(input.get("axes").get(0).get("type").asText()).isEqualTo("batch");
        assertThat(input.get("axes").get(1).get("channel_names")).hasSize(3);
        assertThat(input.get("axes").get(2).get("size").get("step").asInt()).as("the default unet's multiple").isEqualTo(16);
        assertThat(output.get("axes").get(1).get("channel_names")).hasSize(2);
        assertThat(output.get("axes").get(3).get("size").get("tensor_id").asText()).isEqualTo("image");
        com.fasterxml.jackson.databind.JsonNode weights = rdf.get("weights").get("onnx");
        assertThat(weights.get("opset_version").asInt()).isEqualTo(17);
        for (com.fasterxml.jackson.databind.JsonNode ref : new com.fasterxml.jackson.databind.JsonNode[] {input.get("test_tensor"), output.get("test_tensor"), weights}) {
            assertThat(ref.get("sha256").asText()).as(ref.get("source").asText())
                    .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(files.get(ref.get("source").asText()))));
        }
        // The package's test: its input through its preprocessing and weights gives its output.
        double gain = input.get("preprocessing").get(1).get("kwargs").get("gain").asDouble();
        assertThat(input.get("preprocessing").get(1).get("id").asText()).isEqualTo("scale_linear");
        float[] in = readNpyFloat32(files.get("test_input.npy"));
        float[] expected = readNpyFloat32(files.get("test_output.npy"));
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (in[i] * gain);
        }
        int side = (int) Math.round(Math.sqrt(in.length / 3.0));
        try (org.danseg.infer.OnnxTileNetwork ort = new org.danseg.infer.OnnxTileNetwork(files.get("weights.onnx"), 2, 32, 1,
                ai.onnxruntime.OrtSession.SessionOptions.OptLevel.BASIC_OPT)) {
            float[] actual = ort.probabilities(null, in, 1f, 1, 3, side, false);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < actual.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
        onnxChecker(writeTo(dir.resolve("from-package.onnx"), files.get("weights.onnx")));
        // numpy reads the test tensors danseg wrote
        if (new ProcessBuilder(PYTHON, "-c", "import numpy").start().waitFor() == 0) {
            Path npy = writeTo(dir.resolve("t.npy"), files.get("test_output.npy"));
            Process p = new ProcessBuilder(PYTHON, "-c", "import numpy, sys; a = numpy.load(sys.argv[1]); print(a.dtype, a.shape)", npy.toString())
                    .redirectErrorStream(true).start();
            String shape = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor()).as(shape).isZero();
            assertThat(shape).isEqualTo("float32 (1, 2, " + side + ", " + side + ")");
        }
    }

    /** The values of a little-endian float32 .npy (version 1.0) file: after the 10-byte preamble and the header it announces. */
    private static float[] readNpyFloat32(byte[] npy) {
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(npy, 10 + headerLength, npy.length - 10 - headerLength).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[data.remaining() / 4];
        data.asFloatBuffer().get(values);
        return values;
    }

    private static Path writeTo(Path file, byte[] bytes) throws java.io.IOException {
        Files.write(file, bytes);
        return file;
    }
}
