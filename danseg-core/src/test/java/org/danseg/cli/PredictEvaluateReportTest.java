package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.danseg.testing.Cli;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands after training, on a tiny trained model: predict, evaluate and report, and how they fail. */
class PredictEvaluateReportTest {

    @TempDir
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void synthesize() throws Exception {
        TinyTraining.synthesize(data);
    }

    private static String[] args(Path out, String mode, int iterations, String... extra) {
        return TinyTraining.args(data, out, mode, iterations, extra);
    }

    @Test
    void trainedModelPredictsMasksThatEvaluate() throws Exception {
        Path model = dir.resolve("m");
        assertThat(Cli.run(args(model, "supervised", 10)).exitCode()).isZero();
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", data.resolve("unannotated").toString(), "--out", dir.resolve("pred").toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(dir.resolve("pred").toFile().list((d, n) -> n.endsWith(".png"))).hasSize(4);
        assertThat(Files.readString(dir.resolve("pred/prediction.json"))).contains("\"tile\"").contains(model.getFileName().toString());
        Cli again = Cli.run("predict", "--model", model.toString(), "--input", data.resolve("unannotated").toString(), "--out", dir.resolve("pred").toString());
        assertThat(again.exitCode()).isEqualTo(2);
        Path json = dir.resolve("eval.json");
        Cli eval = Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", data.resolve("unannotated/truth").toString(),
                "--json", json.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        // The pooled foreground Dice evaluate reports, recomputed here from the mask files themselves.
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (String name : dir.resolve("pred").toFile().list((d, n) -> n.endsWith(".png"))) {
            java.awt.image.Raster p = javax.imageio.ImageIO.read(dir.resolve("pred").resolve(name).toFile()).getRaster();
            java.awt.image.Raster t = javax.imageio.ImageIO.read(data.resolve("unannotated/truth").resolve(name).toFile()).getRaster();
            for (int y = 0; y < p.getHeight(); y++) {
                for (int x = 0; x < p.getWidth(); x++) {
                    boolean pf = p.getSample(x, y, 0) != 0;
                    boolean tf = t.getSample(x, y, 0) != 0;
                    tp += pf && tf ? 1 : 0;
                    fp += pf && !tf ? 1 : 0;
                    fn += !pf && tf ? 1 : 0;
                }
            }
        }
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(result.get("images").asInt()).isEqualTo(4);
        assertThat(tp).as("the model found some foreground").isPositive();
        assertThat(result.get("dice").asDouble()).isCloseTo(2.0 * tp / (2.0 * tp + fp + fn), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(eval.out()).contains("object F1");
    }


    @Test
    void danModelWritesEnScoresWorstFirstAndProbabilityMaps() throws Exception {
        Path model = dir.resolve("m");
        assertThat(Cli.run(args(model, "dan", 12)).exitCode()).isZero();
        Path csv = dir.resolve("scores.csv");
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", data.resolve("unannotated").toString(),
                "--out", dir.resolve("pred").toString(), "--scores", csv.toString(), "--probabilities", "--tile", "64");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("image,en_score");
        assertThat(rows).hasSize(5);
        double previous = -1;
        for (String row : rows.subList(1, rows.size())) {
            double score = Double.parseDouble(row.split(",")[1]);
            assertThat(score).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(previous);
            previous = score;
        }
        assertThat(dir.resolve("pred/unannotated_000_prob1.png")).exists();

        Path supervised = dir.resolve("s");
        assertThat(Cli.run(args(supervised, "supervised", 10)).exitCode()).isZero();
        Cli refused = Cli.run("predict", "--model", supervised.toString(), "--input", data.resolve("unannotated").toString(),
                "--out", dir.resolve("pred2").toString(), "--scores", dir.resolve("s.csv").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("no EN");
    }

    @Test
    void reportIsSelfContainedAndPredictNamesBadFilesButProcessesTheRest() throws Exception {
        Path model = dir.resolve("m");
        assertThat(Cli.run(args(model, "dan", 12)).exitCode()).isZero();
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        for (String name : new String[] {"unannotated_000.png", "unannotated_001.png"}) {
            Files.copy(data.resolve("unannotated/images").resolve(name), input.resolve(name));
        }
        Files.writeString(input.resolve("broken.png"), "not a png");
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", input.toString(), "--out", dir.resolve("pred").toString());
        assertThat(predict.exitCode()).isEqualTo(2);
        assertThat(predict.err()).contains("broken.png");
        assertThat(dir.resolve("pred")).as("nothing is written when an input is unusable").doesNotExist();

        Files.delete(input.resolve("broken.png"));
        Cli again = Cli.run("predict", "--model", model.toString(), "--input", input.toString(), "--out", dir.resolve("pred").toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(dir.resolve("pred/unannotated_000.png")).exists();
        assertThat(dir.resolve("pred/unannotated_001.png")).exists();

        Files.createDirectories(dir.resolve("truth"));
        for (String name : new String[] {"unannotated_000.png", "unannotated_001.png"}) {
            Files.copy(data.resolve("unannotated/truth").resolve(name), dir.resolve("truth").resolve(name));
        }
        Files.copy(data.resolve("unannotated/truth/dataset.json"), dir.resolve("truth/dataset.json"));
        Path json = dir.resolve("eval.json");
        assertThat(Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString(),
                "--json", json.toString()).exitCode()).isZero();
        Path html = dir.resolve("report.html");
        Cli report = Cli.run("report", "--model", model.toString(), "--eval", json.toString(), "--out", html.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        String text = Files.readString(html);
        assertThat(text).contains("Test metrics", "Supervised loss", "EN score", "Configuration", "data:image/png;base64,")
                .doesNotContain("http://", "https://", "<script src");
        assertThat(Cli.run("report", "--model", model.toString(), "--out", html.toString()).exitCode()).isEqualTo(2);
    }

}
