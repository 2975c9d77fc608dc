package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.io.ImageFormatException;
import org.danseg.testing.Cli;

/**
 * The files of a model folder, fuzzed one at a time in an otherwise good folder: loading either
 * works or fails with an {@link ImageFormatException} naming a file of the folder (the damaged one,
 * or the one it now contradicts), within a second.
 * See ReaderFuzzTest for how the inputs are replayed and fuzzed.
 */
class ModelFolderFuzzTest {
    /**
     * Inputs per target in a fuzzing run: an input that parses builds a network and loads weights
     * (tens of milliseconds), so this suite's full run does 5 000 per model-folder file, not 10^6.
     */
    static final long FUZZ_EXECUTIONS = 5_000;

    private static Path model;

    /** One tiny trained model, made once per JVM (fuzzing runs millions of inputs against it). */
    private static synchronized Path model() throws Exception {
        if (model == null) {
            Path dir = Files.createTempDirectory("danseg-fuzz-model");
            SynthDatasetWriter.write(new SynthConfig(2, 2, 0, 64, 3, 0.4), dir.resolve("data"), true, null);
            Cli c = Cli.run("train", "--annotated", dir.resolve("data/annotated").toString(), "--unannotated",
                    dir.resolve("data/unannotated").toString(), "--out", dir.resolve("m").toString(), "--width", "8", "--patch", "64",
                    "--iterations", "2", "--pretrain-iterations", "1", "--threads", "1");
            assertThat(c.exitCode()).as(c.err()).isZero();
            model = dir.resolve("m");
        }
        return model;
    }

    private static void check(byte[] input, String file) throws Exception {
        Path target = model().resolve(file);
        byte[] original = Files.readAllBytes(target);
        Files.write(target, input);
        try {
            long ms = timedLoad();
            if (ms >= 1000) {
                // Slow twice, or it was the first use of some code path (class loading): a hang repeats.
                assertThat(timedLoad()).as("milliseconds to load with a damaged %s (%d ms the first time)", file, ms).isLessThan(1000);
            }
        } finally {
            Files.write(target, original);
        }
    }

    private static long timedLoad() throws Exception {
        long started = System.nanoTime();
        try (SavedModel m = SavedModel.load(model())) {
            assertThat(m.classes()).isGreaterThanOrEqualTo(2);
        } catch (ImageFormatException e) {
            // The damaged file, or another file of the folder that now disagrees with it (the message says which).
            assertThat(e.file().toAbsolutePath().startsWith(model().toAbsolutePath())).as(e.getMessage()).isTrue();
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzModelJson(byte[] input) throws Exception {
        check(input, "model.json");
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzNormalizationJson(byte[] input) throws Exception {
        check(input, "normalization.json");
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzConfigJson(byte[] input) throws Exception {
        check(input, "config.json");
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzSnParams(byte[] input) throws Exception {
        check(input, "last/sn.params");
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzEnParams(byte[] input) throws Exception {
        check(input, "last/en.params");
    }
}
