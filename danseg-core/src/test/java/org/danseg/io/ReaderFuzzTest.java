package org.danseg.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.danseg.config.TrainConfig;
import org.danseg.data.DatasetDescriptor;
import org.danseg.io.nifti.NiftiReader;

/**
 * Every reader of user files, fuzzed (docs/reliability.md): whatever the bytes, a reader returns
 * or refuses with an IOException (or, for settings, an IllegalArgumentException) whose message
 * names the file, within a second (plus 200 ns per pixel its header declares; an input is slow when it
 * is slow twice, not when it was the first to load a codec) and the test JVM's memory. Any other exception, an Error or a
 * slow input is a finding. {@code mvn test} replays the inputs in ReaderFuzzTestInputs/;
 * {@code JAZZER_FUZZ=1} fuzzes one target (scripts/fault_suite.sh runs them all).
 */
class ReaderFuzzTest {
    /** Inputs per target in a fuzzing run (docs/reliability.md); regression runs ignore it. */
    static final long FUZZ_EXECUTIONS = 1_000_000;

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("danseg-fuzz");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FunctionalInterface
    interface Read {
        void run(Path file) throws Exception;
    }

    /** Writes the input as {@code name} and reads it; the contract above is checked here. */
    static void check(byte[] input, String name, Read read) throws Exception {
        Path file = DIR.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, input);
        long ms = timedRead(file, read);
        if (ms >= 1000) {
            // Slow twice, or it was the first use of a codec (class loading, a native library): a hang repeats.
            long again = timedRead(file, read);
            assertThat(again).as("milliseconds to read %d bytes (%d ms the first time)", input.length, ms)
                    .isLessThan(1000 + declaredPixels(file) / 5_000);
        }
    }

    private static long timedRead(Path file, Read read) throws Exception {
        long started = System.nanoTime();
        try {
            read.run(file);
        } catch (IOException e) {
            assertThat(e.getMessage()).as("an IOException must name the file").contains(file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("a refusal must say something").isNotBlank();
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Pixels an image header declares (0 for other files): a small file may declare a large image
     * (zeros compress well), and decoding one is work in proportion, not a hang; 200 ns a pixel is
     * allowed (the target decodes twice, and fuzzing shares the cores: a 17 M-pixel PNG took 1.9 s).
     */
    private static long declaredPixels(Path file) {
        try {
            ImageFileReader.Header h = ImageFileReader.probe(file);
            return (long) h.width() * h.height() * h.pages();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void image(Path file) throws IOException {
        ImageFileReader.probe(file);
        ImageFileReader.read(file);
    }

    private static void allImageReads(Path file) throws IOException {
        try {
            image(file);
        } finally {
            try {
                ImageFileReader.readLabels(file);
            } catch (IOException e) {
                assertThat(e.getMessage()).contains(file.getFileName().toString());
            }
        }
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzPng(byte[] input) throws Exception {
        check(input, "in.png", ReaderFuzzTest::allImageReads);
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzTiff(byte[] input) throws Exception {
        check(input, "in.tif", f -> {
            allImageReads(f);
            org.danseg.io.nifti.VolumeReader.read(f);
        });
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzBmp(byte[] input) throws Exception {
        check(input, "in.bmp", ReaderFuzzTest::allImageReads);
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzJpeg(byte[] input) throws Exception {
        check(input, "in.jpg", ReaderFuzzTest::allImageReads);
    }

    /** A whole-slide image: opened (levels, pixel size), a corner region of level 0 and the tissue overview read. */
    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzSlide(byte[] input) throws Exception {
        check(input, "in.svs", f -> {
            try (org.danseg.io.slide.Slide s = org.danseg.io.slide.Slide.open(f)) {
                var level = s.levels().get(0);
                s.read(level, 0, 0, Math.min(64, level.width()), Math.min(64, level.height()));
                org.danseg.io.slide.TissueMask.of(s);
            }
        });
    }

    /** QuPath's GeoJSON export of annotated regions. */
    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzQuPathGeoJson(byte[] input) throws Exception {
        check(input, "in.geojson", f -> org.danseg.io.geojson.QuPathAnnotations.read(f));
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzNifti(byte[] input) throws Exception {
        check(input, "in.nii", f -> NiftiReader.read(f).labelProblem(255));
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzNiftiGz(byte[] input) throws Exception {
        check(input, "in.nii.gz", f -> NiftiReader.read(f).labelProblem(255));
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzDatasetJson(byte[] input) throws Exception {
        check(input, "ds/dataset.json", f -> DatasetDescriptor.read(f.getParent()));
    }

    @FuzzTest(maxExecutions = FUZZ_EXECUTIONS, maxDuration = "3h")
    void fuzzConfigJson(byte[] input) throws Exception {
        check(input, "config.json", f -> {
            try {
                TrainConfig.resolve(f, Map.of());
            } finally {
                org.danseg.model.ModelFolder.readConfig(f);
            }
        });
    }
}
