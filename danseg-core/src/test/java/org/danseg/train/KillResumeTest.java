package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.infer.SavedModel;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training killed again and again at random moments (SIGKILL, and SIGTERM that must stop it
 * cleanly) and resumed each time ends exactly as the uninterrupted run, and the model folder
 * is loadable or restartable after every kill. CI runs a few kills; docs/reliability.md's full
 * run is {@code scripts/fault_suite.sh} (-Ddanseg.kills=20 -Ddanseg.terms=5).
 */
@Tag("slow")
@Tag("slow")
class KillResumeTest {

    @TempDir
    Path dir;

    /** Long enough that every leg is still running when its signal comes (about 1 s of training per leg). */
    private int iterations;

    private String[] args(Path data, Path out) {
        return new String[] {"train", "--annotated", data.resolve("annotated").toString(), "--unannotated", data.resolve("unannotated").toString(),
                "--out", out.toString(), "--mode", "balanced", "--width", "8", "--patch", "64", "--iterations", Integer.toString(iterations),
                "--pretrain-iterations", "10", "--lambda-ramp", "20", "--checkpoint-every", "3", "--threads", "1", "--seed", "5"};
    }

    private static List<String> lossRows(Path model) throws Exception {
        return Files.readAllLines(model.resolve("train_log.csv")).stream().skip(1)
                .map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.toList());
    }

    /** One child process of the run: the first command, a resume, or a restart of a run killed before its first checkpoint. */
    private Process start(Path work, String[] cli, int n) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.danseg.cli.Main"));
        command.addAll(List.of(cli));
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("child" + n + ".log").toFile()).start();
    }

    @Test
    void killedAndTerminatedRunsResumeToTheUninterruptedResult() throws Exception {
        int kills = Integer.getInteger("danseg.kills", 4);
        int terms = Integer.getInteger("danseg.terms", 2);
        iterations = 40 * (kills + terms);
        Path data = dir.resolve("data");
        SynthDatasetWriter.write(new SynthConfig(2, 4, 0, 64, 3, 0.4), data, true, null);
        killAndResume(data, dir.resolve("run"), kills, terms);
    }

    private void killAndResume(Path data, Path work, int kills, int terms) throws Exception {
        Files.createDirectories(work);
        Path model = work.resolve("model");
        Random random = new Random(kills * 31L + terms);
        List<Boolean> schedule = new ArrayList<>();
        for (int i = 0; i < kills + terms; i++) {
            schedule.add(i < kills);
        }
        java.util.Collections.shuffle(schedule, random);
        StringBuilder logs = new StringBuilder();
        int n = 0;
        int killed = 0;
        int terminated = 0;
        for (boolean sigkill : schedule) {
            boolean resumable = Files.exists(model.resolve("last/state.json"));
            List<String> cli = new ArrayList<>(List.of(args(data, model)));
            if (resumable) {
                cli = new ArrayList<>(List.of("train", "--out", model.toString(), "--resume"));
            }
            Process p = start(work, cli.toArray(String[]::new), n);
            // Kill somewhere between JVM start-up and the end of the run (about 2-10 s here).
            long waitMs = 1500 + random.nextInt(4000);
            boolean finished = p.waitFor(waitMs, TimeUnit.MILLISECONDS);
            if (!finished) {
                if (sigkill) {
                    p.destroyForcibly();
                } else {
                    p.destroy(); // SIGTERM
                }
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child %d ended after the signal", n).isTrue();
                killed += sigkill ? 1 : 0;
                terminated += sigkill ? 0 : 1;
            }
            String log = Files.readString(work.resolve("child" + n + ".log"));
            logs.append(log);
            if (!sigkill && !finished) {
                assertThat(p.exitValue()).as("SIGTERM exit code; log: %s", log).isEqualTo(143);
                assertThat(log).doesNotContain("SIGSEGV").doesNotContain("fatal error");
            }
            assertHealthy(work, model, log);
            n++;
        }
        // The last leg runs to the end.
        List<String> last = Files.exists(model.resolve("last/state.json"))
                ? List.of("train", "--out", model.toString(), "--resume") : List.of(args(data, model));
        Cli finished = Cli.run(last.toArray(String[]::new));
        assertThat(finished.exitCode()).as(finished.err()).isZero();
        Cli whole = Cli.run(args(data, work.resolve("whole")));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(logs + finished.err() + whole.err()).as("a step skipped for non-finite gradients").doesNotContain("skipped so far");
        assertThat(lossRows(model)).hasSize(iterations).isEqualTo(lossRows(work.resolve("whole")));
        System.out.printf("KillResumeTest: %d SIGKILL and %d SIGTERM during a %d-iteration run, resumed each time; result identical%n",
                killed, terminated, iterations);
        assertThat(killed + terminated).as("legs interrupted").isGreaterThanOrEqualTo((kills + terms) * 3 / 4);
        try (SavedModel m = SavedModel.load(model)) {
            assertThat(m.checkpoint()).isEqualTo("last");
        }
    }

    /** After any kill: no JVM crash file, and the folder loads as a model (or holds no checkpoint yet and may be reused). */
    private static void assertHealthy(Path work, Path model, String log) throws Exception {
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("JVM crash files").noneMatch(f -> f.startsWith("hs_err"));
        }
        if (Files.exists(model.resolve("last/state.json")) || Files.exists(model.resolve("last.old/state.json"))) {
            try (SavedModel m = SavedModel.load(model)) {
                assertThat(m.classes()).as(log).isEqualTo(2);
            }
        }
    }
}
