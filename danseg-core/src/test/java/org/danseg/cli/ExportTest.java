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

    @BeforeAll
    static void synthesize() throws Exception {
        TinyTraining.synthesize(data);
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
            Cli train = Cli.run(TinyTraining.args(data, model, "supervised", 12, "--sn", sn));
            assertThat(train.exitCode()).as(train.err()).isZero();
            Path onnx = dir.resolve(sn + ".onnx");
            Cli export = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
            assertThat(export.exitCode()).as(export.err()).isZero();
            onnxChecker(onnx);
            assertThat(Cli.run("export", "--model", model.toString(), "--out", onnx.toString()).exitCode()).as("no overwrite without --force").isEqualTo(2);

            Path djl = dir.resolve("djl-" + sn);
            Path ort = dir.resolve("ort-" + sn);
            String input = data.resolve("unannotated").toString();
            assertThat(Cli.run("predict", "--model", model.toString(), "--input", input, "--out", djl.toString(), "--tile", "64", "--tta").exitCode()).isZero();
            Cli viaOrt = Cli.run("predict", "--model", model.toString(), "--input", input, "--out", ort.toString(), "--tile", "64", "--tta",
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
            assertThat(pixels).isEqualTo(4L * 64 * 64);
            assertThat((double) same / pixels).as(sn + ": label agreement of the two engines").isGreaterThanOrEqualTo(0.9999);
        }
        assertThat(Cli.run("predict", "--model", dir.resolve("m-unet").toString(), "--input", data.resolve("unannotated").toString(),
                "--out", dir.resolve("bad").toString(), "--engine", "tensorrt").exitCode()).isEqualTo(2);
    }
}
