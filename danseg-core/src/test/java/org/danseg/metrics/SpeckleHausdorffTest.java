package org.danseg.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tiny predicted objects (speckle) take a shortcut in the object Hausdorff distance (enumeration
 * instead of a distance transform); both paths must give the brute-force GlaS value, in 2D and 3D.
 */
class SpeckleHausdorffTest {

    @Test
    void speckleAndLargeObjectsMatchBruteForceIn3d() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 6; trial++) {
            int nx = 14, ny = 12, nz = 9;
            double[] spacing = {0.7 + rng.nextDouble(), 0.5 + rng.nextDouble(), 1 + 2 * rng.nextDouble()};
            int[] truth = new int[nx * ny * nz];
            int[] pred = new int[truth.length];
            // Truth: a large box (object 1) and a small one (object 2).
            box(truth, nx, ny, 1, 1, 1, 8, 7, 6, 1);
            box(truth, nx, ny, 10, 8, 5, 12, 10, 7, 2);
            // Prediction: a large box overlapping truth 1 (object 1, > 64 voxels) and speckle.
            box(pred, nx, ny, 2, 1, 2, 9, 7, 7, 1);
            // Speckle objects: 1 to 12 scattered voxels each within a 5 x 5 x 3 window (an object
            // is its label, connected or not), so the centroid bound is exercised with r > 0.
            int next = 2;
            for (int k = 0; k < 25; k++) {
                int x0 = rng.nextInt(nx - 4), y0 = rng.nextInt(ny - 4), z0 = rng.nextInt(nz - 2);
                int voxels = 1 + rng.nextInt(12);
                boolean any = false;
                for (int v = 0; v < voxels; v++) {
                    int i = ((z0 + rng.nextInt(3)) * ny + y0 + rng.nextInt(5)) * nx + x0 + rng.nextInt(5);
                    if (pred[i] == 0) {
                        pred[i] = next;
                        any = true;
                    }
                }
                next += any ? 1 : 0;
            }
            int predCount = next - 1;
            ObjectScores fast = GlasObjectMetrics.score(pred, predCount, truth, 2, GlasObjectMetrics.volume(nx, ny, nz, spacing));
            double expected = bruteObjectHausdorff(pred, predCount, truth, 2, nx, ny, spacing);
            assertThat(fast.objectHausdorff()).as("trial " + trial).isCloseTo(expected, within(1e-9));
        }
    }

    private static void box(int[] l, int nx, int ny, int x0, int y0, int z0, int x1, int y1, int z1, int id) {
        for (int z = z0; z <= z1; z++) {
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    l[(z * ny + y) * nx + x] = id;
                }
            }
        }
    }

    /** The GlaS definition written out directly: partners by largest overlap, else the nearest object. */
    private static double bruteObjectHausdorff(int[] pred, int pc, int[] truth, int tc, int nx, int ny, double[] sp) {
        double[][] h = new double[pc + 1][tc + 1];
        for (int s = 1; s <= pc; s++) {
            for (int g = 1; g <= tc; g++) {
                h[s][g] = Math.max(directed(pred, s, truth, g, nx, ny, sp), directed(truth, g, pred, s, nx, ny, sp));
            }
        }
        long[][] overlap = new long[pc + 1][tc + 1];
        long[] pa = new long[pc + 1];
        long[] ta = new long[tc + 1];
        for (int i = 0; i < pred.length; i++) {
            overlap[pred[i]][truth[i]]++;
            pa[pred[i]]++;
            ta[truth[i]]++;
        }
        double predSum = 0, predArea = 0, truthSum = 0, truthArea = 0;
        for (int s = 1; s <= pc; s++) {
            int best = 0;
            for (int g = 1; g <= tc; g++) {
                if (overlap[s][g] > (best == 0 ? 0 : overlap[s][best])) {
                    best = g;
                }
            }
            double d = Double.POSITIVE_INFINITY;
            for (int g = 1; g <= tc; g++) {
                d = Math.min(d, h[s][g]);
            }
            predSum += pa[s] * (best != 0 ? h[s][best] : d);
            predArea += pa[s];
        }
        for (int g = 1; g <= tc; g++) {
            int best = 0;
            for (int s = 1; s <= pc; s++) {
                if (overlap[s][g] > (best == 0 ? 0 : overlap[best][g])) {
                    best = s;
                }
            }
            double d = Double.POSITIVE_INFINITY;
            for (int s = 1; s <= pc; s++) {
                d = Math.min(d, h[s][g]);
            }
            truthSum += ta[g] * (best != 0 ? h[best][g] : d);
            truthArea += ta[g];
        }
        return 0.5 * (predSum / predArea + truthSum / truthArea);
    }

    private static double directed(int[] a, int ia, int[] b, int ib, int nx, int ny, double[] sp) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != ia) {
                continue;
            }
            double nearest = Double.POSITIVE_INFINITY;
            for (int j = 0; j < b.length; j++) {
                if (b[j] == ib) {
                    double dx = (i % nx - j % nx) * sp[0];
                    double dy = (i / nx % ny - j / nx % ny) * sp[1];
                    double dz = (i / (nx * ny) - j / (nx * ny)) * sp[2];
                    nearest = Math.min(nearest, dx * dx + dy * dy + dz * dz);
                }
            }
            worst = Math.max(worst, Math.sqrt(nearest));
        }
        return worst;
    }
}
