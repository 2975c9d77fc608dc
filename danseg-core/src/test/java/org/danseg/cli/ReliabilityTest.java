package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.infer.SavedModel;
import org.danseg.io.AtomicFiles;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promises of docs/reliability.md that are not a refusal: crash-safe logs, divergence, resume, sizes, permissions. */
class ReliabilityTest {

    @TempDir
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void synthesize() throws Exception {
        SynthDatasetWriter.write(new SynthConfig(2, 2, 0, 64, 3, 0.4), data, true, null);
    }

    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--annotated", data.resolve("annotated").toString(), "--unannotated",
                data.resolve("unannotated").toString(), "--out", out.toString(), "--mode", "balanced", "--width", "8", "--patch", "64",
                "--iterations", "10", "--pretrain-iterations", "4", "--lambda-ramp", "4", "--checkpoint-every", "5", "--threads", "2"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void writtenFilesHonourTheUmask() throws Exception {
        Path reference = Files.createFile(dir.resolve("reference"));
        Path written = dir.resolve("written.json");
        AtomicFiles.writeString(written, "{}");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        assertThat(Files.getPosixFilePermissions(written)).as("created like any other file of this process").isEqualTo(expected);
    }

    @Test
    void plainDansegIsAUsageError() {
        Cli r = Cli.run();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("Usage: danseg");
    }

    @Test
    void evaluateTimeDoesNotGrowWithTheLargestLabelValue() throws Exception {
        NiftiVolume truth = NiftiVolume.blank(16, 16, 4, 1, 1, 1, NiftiDataType.INT32);
        NiftiVolume pred = NiftiVolume.blank(16, 16, 4, 1, 1, 1, NiftiDataType.INT32);
        for (int i = 0; i < truth.values().length; i += 5) {
            truth.values()[i] = 1;
            pred.values()[i] = 1;
        }
        pred.values()[7] = 2_000_000_000f;
        NiftiWriter.write(truth, NiftiDataType.INT32, dir.resolve("t.nii.gz"));
        NiftiWriter.write(pred, NiftiDataType.INT32, dir.resolve("p.nii.gz"));
        Cli r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run("evaluate", "--pred", dir.resolve("p.nii.gz").toString(), "--truth", dir.resolve("t.nii.gz").toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Dice");
    }

    @Test
    @Tag("slow")
    void aPartialLogRowLeftByAKillDoesNotBlockResume() throws Exception {
        Path out = dir.resolve("m");
        assertThat(Cli.run(train(out)).exitCode()).isZero();
        // A kill in the middle of writing a row after the last checkpoint.
        Files.writeString(out.resolve("train_log.csv"), "1", java.nio.file.StandardOpenOption.APPEND);
        Cli resumed = Cli.run("train", "--out", out.toString(), "--resume", "--iterations", "12");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("train_log.csv"));
        assertThat(rows).hasSize(13);
        assertThat(rows.subList(1, 13)).allSatisfy(r -> assertThat(r.split(",", -1)).hasSize(rows.get(0).split(",").length));
    }

    @Test
    @Tag("slow")
    void resumeReadsItsConfigFileOverTheSavedSettings() throws Exception {
        Path out = dir.resolve("m");
        assertThat(Cli.run(train(out)).exitCode()).isZero();
        Path longer = dir.resolve("longer.json");
        Files.writeString(longer, "{\"iterations\": 12}");
        Cli extended = Cli.run("train", "--out", out.toString(), "--resume", "--config", longer.toString());
        assertThat(extended.exitCode()).as(extended.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("train_log.csv"))).hasSize(13);
        Path wider = dir.resolve("wider.json");
        Files.writeString(wider, "{\"width\": 16}");
        Cli refused = Cli.run("train", "--out", out.toString(), "--resume", "--config", wider.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("width");
    }

    @Test
    @Tag("slow")
    void aDivergedRunSavesNoNonFiniteWeightsAndTheSameFolderCanBeReused() throws Exception {
        Path out = dir.resolve("m");
        Cli diverged = Cli.run(train(out, "--lr", "1e30"));
        assertThat(diverged.exitCode()).as(diverged.out()).isEqualTo(ExitCodes.FAILURE);
        assertThat(diverged.err()).contains("diverged").contains("lower --lr");
        if (Files.exists(out.resolve("last/state.json"))) {
            try (SavedModel m = SavedModel.load(out)) {
                assertThat(m.classes()).as("the kept checkpoint loads: its weights are finite").isEqualTo(2);
            }
            Cli recovered = Cli.run("train", "--out", out.toString(), "--resume", "--lr", "1e-3");
            assertThat(recovered.exitCode()).as(recovered.err()).isZero();
        } else {
            Cli again = Cli.run(train(out));
            assertThat(again.exitCode()).as("the same command, without --force: " + again.err()).isZero();
        }
    }

    @Test
    @Tag("slow")
    void aRunKilledBeforeItsFirstCheckpointRestartsWithoutForce() throws Exception {
        Path out = dir.resolve("m");
        assertThat(Cli.run(train(out)).exitCode()).isZero();
        org.danseg.io.Directories.deleteTree(out.resolve("last"));
        Files.writeString(out.resolve("train_log.csv"), "iteration,phase\n0,pre");
        Cli again = Cli.run(train(out));
        assertThat(again.exitCode()).as(again.err()).isZero();
        Cli resume = Cli.run("train", "--out", dir.resolve("empty").toString(), "--resume");
        assertThat(resume.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
