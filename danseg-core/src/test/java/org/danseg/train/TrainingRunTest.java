package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.danseg.config.TrainConfig;
import org.danseg.io.FileReads;
import org.danseg.testing.Cli;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole training runs on a tiny synthetic set with tiny networks. */
@Tag("slow")
class TrainingRunTest {

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

    /** The log's numbers without the wall-clock column. */
    private static List<String> lossRows(Path model) throws Exception {
        return Files.readAllLines(model.resolve("train_log.csv")).stream().skip(1)
                .map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.toList());
    }

    /** A training run that skipped no step for non-finite gradients (a guard that must never fire: GcStressTest). */
    private static Cli cleanRun(String[] args, Path out) throws Exception {
        Cli r = Cli.run(args);
        assertThat(r.err()).as("a step skipped for non-finite gradients").doesNotContain("skipped so far");
        return r;
    }

    @Test
    void sameSeedSameThreadsGivesTheSameLossCurve() throws Exception {
        Cli a = cleanRun(args(dir.resolve("a"), "dan", 16), dir.resolve("a"));
        Cli b = cleanRun(args(dir.resolve("b"), "dan", 16), dir.resolve("b"));
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(lossRows(dir.resolve("a"))).hasSize(16).isEqualTo(lossRows(dir.resolve("b")));
    }

    @Test
    void supervisedBaselineSharesPreTrainingBitForBitAndNeverUsesEn() throws Exception {
        assertThat(cleanRun(args(dir.resolve("dan"), "dan", 12), dir.resolve("dan")).exitCode()).isZero();
        assertThat(cleanRun(args(dir.resolve("sup"), "supervised", 12), dir.resolve("sup")).exitCode()).isZero();
        List<String> dan = lossRows(dir.resolve("dan"));
        List<String> sup = lossRows(dir.resolve("sup"));
        assertThat(sup.subList(0, 8)).isEqualTo(dan.subList(0, 8));
        assertThat(sup.subList(8, 12)).allSatisfy(row -> assertThat(row).contains(",supervised,").endsWith(",,,,,"));
        assertThat(dan.subList(8, 12)).allSatisfy(row -> assertThat(row).contains(",dan,"));
    }

    @Test
    void refusesToOverwriteAModelDirectory() throws Exception {
        Path out = dir.resolve("m");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep");
        Cli r = Cli.run(args(out, "dan", 10));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("did not write").contains("--force");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("keep");
        assertThat(out.resolve("config.json")).doesNotExist();
    }

    @Test
    void trainingNeverOpensTheTruthOfUnannotatedImages() throws Exception {
        Set<Path> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
        FileReads.setListener(opened::add);
        try {
            assertThat(Cli.run(args(dir.resolve("m"), "dan", 12)).exitCode()).isZero();
        } finally {
            FileReads.setListener(null);
        }
        Path truth = data.resolve("unannotated/truth").toAbsolutePath().normalize();
        assertThat(opened).as("files opened").isNotEmpty()
                .anySatisfy(p -> assertThat(p.toString()).contains("unannotated/images"))
                .noneSatisfy(p -> assertThat(p.startsWith(truth)).isTrue());
        assertThat(Files.readString(dir.resolve("m/provenance.json"))).doesNotContain("truth");
    }

    @Test
    void liveArraysDoNotGrowOver50Iterations() throws Exception {
        TrainConfig config = TrainConfig.resolve(null, TrainConfig.fromKeys(java.util.Map.of("annotated", data.resolve("annotated").toString(),
                "unannotated", data.resolve("unannotated").toString(), "width", 8, "patch", 64, "iterations", 52,
                "pretrainIterations", 5, "lambdaRamp", 10, "checkpointEvery", 1000), "test: setting"));
        TrainingRun run = TrainingRun.prepare(config, dir.resolve("m"), false, false);
        List<Integer> counts = new ArrayList<>();
        run.run(new TrainingRun.Listener() {
            @Override
            public void iteration(int it, String phase, double lambda, StepResult r, double valDice, NDManager root) {
                if (it == 6 || it == 51) {
                    counts.add(root.getManagedArrays().size());
                }
            }
        });
        assertThat(counts).hasSize(2);
        assertThat(counts.get(1)).as("live arrays at iteration 51 vs 6").isEqualTo(counts.get(0));
    }

    @Test
    void aKilledRunResumesAndFinishesExactlyAsAnUninterruptedOne() throws Exception {
        Path base = dir.resolve("run");
        Path killed = base.resolve("killed");
        // balanced: SN, EN and both optimizers in the checkpoint.
        String[] cli = args(killed, "balanced", 30);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.danseg.cli.Main"));
        command.addAll(List.of(cli));
        Files.createDirectories(base);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(base.resolve("child.log").toFile()).start();
        Path state = killed.resolve("last/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && !(Files.exists(state) && Files.readString(state).contains("\"nextIteration\" : 1"))) {
            Thread.sleep(50);
        }
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(Files.readString(killed.resolve("last/state.json"))).as(Files.readString(base.resolve("child.log")))
                .doesNotContain("\"nextIteration\" : 30");

        Cli resumed = Cli.run("train", "--out", killed.toString(), "--resume");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        Cli whole = Cli.run(args(base.resolve("whole"), "balanced", 30));
        assertThat(whole.exitCode()).isZero();
        assertThat(Files.readString(base.resolve("child.log")) + resumed.err() + whole.err()).as("a step skipped for non-finite gradients")
                .doesNotContain("skipped so far");
        assertThat(lossRows(killed)).hasSize(30).isEqualTo(lossRows(base.resolve("whole")));
        assertThat(Files.readString(killed.resolve("last/state.json"))).contains("\"nextIteration\" : 30");
    }

    @Test
    void resumeRefusesChangedSettingsButMayExtendTheRun() throws Exception {
        Path out = dir.resolve("m");
        assertThat(Cli.run(args(out, "dan", 10)).exitCode()).isZero();
        Cli changed = Cli.run("train", "--out", out.toString(), "--resume", "--width", "4");
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.err()).contains("width");
        Cli extended = Cli.run("train", "--out", out.toString(), "--resume", "--iterations", "12");
        assertThat(extended.exitCode()).as(extended.err()).isZero();
        assertThat(lossRows(out)).hasSize(12);
        Set<String> iterations = new HashSet<>();
        lossRows(out).forEach(r -> iterations.add(r.substring(0, r.indexOf(','))));
        assertThat(iterations).hasSize(12);
        // A --config on resume is read over the saved settings: its run length counts, a changed network is refused by name.
        Path more = dir.resolve("more.json");
        Files.writeString(more, "{\"iterations\": 14}");
        Cli byFile = Cli.run("train", "--out", out.toString(), "--resume", "--config", more.toString());
        assertThat(byFile.exitCode()).as(byFile.err()).isZero();
        assertThat(lossRows(out)).hasSize(14);
        Files.writeString(more, "{\"iterations\": 16, \"fusion\": \"mask\"}");
        Cli refused = Cli.run("train", "--out", out.toString(), "--resume", "--config", more.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("fusion differs (stack saved, mask given)");
    }

    @Test
    void validationKeepsTheBestCheckpointAndLogsDice() throws Exception {
        Path model = dir.resolve("m");
        Cli r = Cli.run(args(model, "dan", 12, "--val", data.resolve("annotated").toString(), "--validate-every", "4"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(model.resolve("best/sn.params")).exists();
        assertThat(Files.readString(model.resolve("best/state.json"))).contains("bestValDice");
        long validated = Files.readAllLines(model.resolve("train_log.csv")).stream().skip(1)
                .filter(l -> !l.split(",", -1)[10].isEmpty()).count();
        assertThat(validated).isEqualTo(3);
        assertThat(r.out()).contains("best validation Dice");
    }
}
