package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.danseg.infer.ClassMaps;
import org.danseg.infer.TiledPredictor;
import org.danseg.nn.Fusion;
import org.danseg.nn.SnArchitecture;
import org.danseg.testing.TinySetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 2048 x 2048 image predicted with tiles (121 of them) agrees with one pass over the whole image. The one pass
 * is the memory cost: DJL keeps every activation of a forward until its manager closes, so at 4096 x 4096 this test
 * peaked at 21.9 GB RSS (2026-12-04, /usr/bin/time -v) and was killed by the kernel on a 24 GiB machine under CI;
 * bounded memory for large inputs is the tiled path's job, tested in TiledPredictorTest and the slide tests.
 */
@Tag("slow")
class LargeImageTilingTest {

    @Test
    void tiledMatchesOnePassOn2048Squared() {
        // A U-Net trained on 64-pixel patches: its receptive field (about 140 px) fits well inside a
        // 256-pixel tile, so tiles see the context one pass sees, except near their borders.
        try (TinySetup t = new TinySetup(SnArchitecture.UNET, Fusion.STACK, 64, 1e-2)) {
            for (int it = 0; it < 80; it++) {
                try (NDManager m = t.manager.newSubManager()) {
                    t.steps.supervised(t.batch(it, 4, 0), m);
                }
            }
            int size = 2048;
            float[] px = new float[3 * size * size];
            java.util.Arrays.fill(px, 0.1f);
            Random rng = new Random(3);
            for (int d = 0; d < 1000; d++) {
                int cx = rng.nextInt(size);
                int cy = rng.nextInt(size);
                int r = 5 + rng.nextInt(8);
                for (int y = Math.max(0, cy - r); y < Math.min(size, cy + r); y++) {
                    for (int x = Math.max(0, cx - r); x < Math.min(size, cx + r); x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) {
                            for (int c = 0; c < 3; c++) {
                                px[(c * size + y) * size + x] = 0.8f;
                            }
                        }
                    }
                }
            }
            double[] mean = {0.3, 0.3, 0.3};
            double[] std = {0.3, 0.3, 0.3};
            float[] whole = new TiledPredictor(t.sn, mean, std, size, 0, 1, false).probabilities(t.manager, px, 3, size, size);
            float[] tiled = new TiledPredictor(t.sn, mean, std, 256, 0.25, 4, false).probabilities(t.manager, px, 3, size, size);
            int n = size * size;
            double diff = 0;
            for (int i = n; i < 2 * n; i++) {
                diff += Math.abs(whole[i] - tiled[i]);
            }
            int[] a = ClassMaps.argmax(whole, 2, n);
            int[] b = ClassMaps.argmax(tiled, 2, n);
            long same = 0;
            for (int i = 0; i < n; i++) {
                same += a[i] == b[i] ? 1 : 0;
            }
            System.out.printf("2048^2: mean |p_whole - p_tiled| = %.5f, label agreement = %.5f%n", diff / n, (double) same / n);
            assertThat(diff / n).as("mean foreground probability difference").isLessThan(0.01);
            assertThat((double) same / n).as("label agreement").isGreaterThan(0.995);
        }
    }
}
