package org.danseg.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The numerics self-check passes where the guard has decided (here and on any machine CI runs on),
 * each of its comparisons fails when its op's result is wrong, a wrong oneDNN kernel is cured by
 * switching oneDNN off, and a wrong result nothing cures refuses in one line with exit 2.
 */
class NumericsCheckTest {

    @AfterEach
    void backToTheRealDecision() {
        NumericsGuard.resetForTest(null);
        NumericsGuard.require();
    }

    @Test
    void theCheckPassesOnceTheGuardHasDecided() {
        NumericsGuard.Status status = NumericsGuard.require();
        NumericsCheck.Result again = NumericsCheck.run(null);
        assertThat(again.failures()).isEmpty();
        assertThat(again.worstError()).isLessThan(NumericsCheck.TOLERANCE);
        assertThat(status.line()).startsWith("ok");
    }

    @ParameterizedTest
    @EnumSource(NumericsCheck.Op.class)
    void aWrongResultOfEachOpKindIsCaught(NumericsCheck.Op op) {
        NumericsGuard.require();
        NumericsCheck.Result r = NumericsCheck.run(new NumericsCheck.Perturbation(op, NumericsCheck.Cure.NONE));
        assertThat(r.ok()).isFalse();
        String expected = op == NumericsCheck.Op.DETERMINISM ? "differs between two runs" : op.label();
        assertThat(r.failures()).as("each failure names its op").allSatisfy(f -> assertThat(f).contains(expected));
    }

    @Test
    void aWrongKernelForPartialChannelBlocksIsCuredByAligningChannels() {
        NumericsGuard.resetForTest(new NumericsCheck.Perturbation(NumericsCheck.Op.CONV1X1, NumericsCheck.Cure.CHANNEL_ALIGNMENT));
        assertThat(Convolutions.aligningChannels()).isFalse();
        NumericsGuard.Status s = NumericsGuard.require();
        assertThat(s.state()).isEqualTo(NumericsGuard.State.CHANNELS_ALIGNED);
        assertThat(s.line()).startsWith("ok with channel counts aligned").contains("convolution").contains(SystemReport.cpuIdentity());
        assertThat(Convolutions.aligningChannels()).isTrue();
        assertThat(OneDnn.enabled()).isTrue();
    }

    @Test
    void aWrongOneDnnKernelIsSwitchedOffAndSaidInTheStatus() {
        assertThat(OneDnn.unavailable()).as("the tests' JVM has the foreign linker (pom.xml argLine)").isNull();
        NumericsGuard.resetForTest(new NumericsCheck.Perturbation(NumericsCheck.Op.CONV3X3, NumericsCheck.Cure.ONEDNN_OFF));
        assertThat(OneDnn.enabled()).isTrue();
        NumericsGuard.Status s = NumericsGuard.require();
        assertThat(s.state()).isEqualTo(NumericsGuard.State.ONEDNN_OFF);
        assertThat(s.line()).startsWith("ok with oneDNN off").contains("3x3 convolution").contains(SystemReport.cpuIdentity());
        assertThat(OneDnn.enabled()).isFalse();
    }

    @Test
    void aWrongResultNothingCuresRefusesInOneLineNamingTheCpuAndWhatToSet() {
        NumericsGuard.resetForTest(new NumericsCheck.Perturbation(NumericsCheck.Op.BATCH_NORM, NumericsCheck.Cure.NONE));
        assertThatThrownBy(NumericsGuard::require).isInstanceOf(NumericsGuard.UnreliableNumericsException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(SystemReport.cpuIdentity())
                        .contains("BatchNorm").contains("DANSEG_NUMERICS=ignore"));
    }

    @Test
    void trainingOnSuchAMachineExits2BeforeWritingAnything(@TempDir Path dir) throws Exception {
        SynthDatasetWriter.write(new SynthConfig(2, 2, 0, 64, 3, 0.4), dir.resolve("data"), true, null);
        NumericsGuard.resetForTest(new NumericsCheck.Perturbation(NumericsCheck.Op.SOFTMAX_CROSS_ENTROPY, NumericsCheck.Cure.NONE));
        Path out = dir.resolve("model");
        Cli run = Cli.run("train", "--annotated", dir.resolve("data/annotated").toString(), "--out", out.toString(),
                "--mode", "supervised", "--width", "4", "--patch", "64", "--iterations", "2", "--threads", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("danseg: the numerics check failed on " + SystemReport.cpuIdentity()).contains("softmax cross-entropy");
        assertThat(Files.exists(out)).as("nothing written").isFalse();
    }

    @Test
    void doctorPrintsTheNumericsLine() {
        Cli run = Cli.run("doctor");
        assertThat(run.out().lines().filter(l -> l.startsWith("numerics: ok"))).hasSize(1);
    }
}
