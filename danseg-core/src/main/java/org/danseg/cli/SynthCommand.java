package org.danseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a synthetic H&E colon-tissue dataset (instance-labelled glands).",
                "Writes DIR/annotated/{images,masks}, DIR/unannotated/images (true masks apart in DIR/unannotated/truth,",
                "for evaluation only), DIR/test/{images,masks}. Deterministic for a seed."})
final class SynthCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist or be empty, unless --force).")
    Path out;

    @Option(names = "--annotated", defaultValue = "4", paramLabel = "N", description = "Annotated images (default: ${DEFAULT-VALUE}).")
    int annotated;

    @Option(names = "--unannotated", defaultValue = "100", paramLabel = "N", description = "Unannotated images (default: ${DEFAULT-VALUE}).")
    int unannotated;

    @Option(names = "--test", defaultValue = "40", paramLabel = "N", description = "Held-out test images (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Image side in pixels, 32-4096 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--malignant", defaultValue = "0.4", paramLabel = "F", description = "Fraction of malignant tiles (default: ${DEFAULT-VALUE}).")
    double malignant;

    @Option(names = "--modality", defaultValue = "he", paramLabel = "he|fluorescence", description = "H&E tissue with glands, or one-channel fluorescence nuclei (default: ${DEFAULT-VALUE}).")
    String modality;

    @Option(names = "--force", description = "Replace an existing non-empty output directory.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        SynthConfig config = new SynthConfig(annotated, unannotated, test, size, seed, malignant, modality);
        PrintWriter stdout = spec.commandLine().getOut();
        List<SynthDatasetWriter.Entry> entries;
        try (Progress progress = new Progress("synth", (long) annotated + unannotated + test)) {
            entries = SynthDatasetWriter.write(config, out, force, progress::step);
        } catch (java.io.IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("already exists")) {
                throw new UserInputException(e.getMessage());
            }
            throw e;
        }
        long malignantCount = entries.stream().filter(SynthDatasetWriter.Entry::malignant).count();
        stdout.printf("wrote %d images (%d annotated, %d unannotated, %d test; %d malignant) of %dx%d px to %s%n",
                entries.size(), annotated, unannotated, test, malignantCount, size, size, out.toAbsolutePath().normalize());
        stdout.flush();
        return ExitCodes.OK;
    }
}
