package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.danseg.testing.Cli;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loaded model from many threads at once. */
class SavedModelTest {

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
    void savedModelIsSafeForConcurrentCallers() throws Exception {
        Path model = dir.resolve("m");
        assertThat(Cli.run(args(model, "supervised", 10)).exitCode()).isZero();
        org.danseg.io.Image2D image = org.danseg.io.ImageFileReader.read(data.resolve("unannotated/images/unannotated_000.png"));
        try (org.danseg.infer.SavedModel m = org.danseg.infer.SavedModel.load(model)) {
            int[] expected = m.segment(image);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<int[]>> results = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    results.add(pool.submit(() -> m.segment(image)));
                }
                for (java.util.concurrent.Future<int[]> f : results) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

}
