package org.danseg.raster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.danseg.raster.ConnectedComponents;
import org.danseg.raster.DistanceTransform;
import org.junit.jupiter.api.Test;

class RasterAlgorithmsTest {

    @Test
    void componentsAreNumberedInRasterOrderWithEightConnectivity() {
        boolean[] fg = grid(
                "1.1.",
                ".1..",
                "...1",
                "1..1");
        ConnectedComponents.Labels l = ConnectedComponents.label8(fg, 4, 4);
        // (0,0),(2,0),(1,1) join diagonally; (3,2),(3,3) join; (0,3) alone.
        assertThat(l.count()).isEqualTo(3);
        assertThat(l.labels()).containsExactly(
                1, 0, 1, 0,
                0, 1, 0, 0,
                0, 0, 0, 2,
                3, 0, 0, 2);
    }

    @Test
    void uShapeIsOneComponent() {
        // A U whose arms meet only at the bottom: labels must merge late in the scan.
        boolean[] fg = grid("1.1", "1.1", "111");
        assertThat(ConnectedComponents.label8(fg, 3, 3).count()).isEqualTo(1);
    }

    @Test
    void distanceTransformMatchesBruteForceWithAnisotropicSpacing() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 30; trial++) {
            int w = 1 + rng.nextInt(17);
            int h = 1 + rng.nextInt(13);
            double sx = 0.3 + rng.nextDouble() * 2;
            double sy = 0.3 + rng.nextDouble() * 2;
            boolean[] f = new boolean[w * h];
            for (int i = 0; i < f.length; i++) {
                f[i] = rng.nextDouble() < 0.08;
            }
            double[] d = DistanceTransform.distanceTo(f, w, h, sx, sy);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < f.length; j++) {
                        if (f[j]) {
                            best = Math.min(best, Math.hypot((x - j % w) * sx, (y - j / w) * sy));
                        }
                    }
                    if (Double.isInfinite(best)) {
                        assertThat(d[y * w + x]).isInfinite();
                    } else {
                        assertThat(d[y * w + x]).isCloseTo(best, within(1e-9));
                    }
                }
            }
        }
    }

    private static boolean[] grid(String... rows) {
        int w = rows[0].length();
        boolean[] g = new boolean[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                g[y * w + x] = rows[y].charAt(x) != '.';
            }
        }
        return g;
    }
}
