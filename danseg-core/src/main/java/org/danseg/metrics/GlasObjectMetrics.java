package org.danseg.metrics;

import org.danseg.io.PixelSpacing;
import org.danseg.raster.DistanceTransform;

/**
 * The GlaS challenge's object-level F1, Dice and Hausdorff (Sirinukunwattana et al. 2017) for one
 * image, returned as {@link ObjectScores} so that sets pool them.
 * <ul>
 *   <li>A predicted object's partner is the true object it overlaps most (ties: lowest id, as
 *       MATLAB's {@code max}); it is a true positive when it covers more than 50% of that partner
 *       (strictly, as in the challenge's F1score.m, which makes partners unique).</li>
 *   <li>Object Dice: each object's Dice with its partner (0 without one), weighted by its area.</li>
 *   <li>Object Hausdorff: each object's Hausdorff distance to its partner, or, without an
 *       overlapping partner, to the nearest object (smallest Hausdorff distance) on the other side.
 *       Hausdorff distances are between whole pixel sets.</li>
 * </ul>
 */
public final class GlasObjectMetrics {

    private GlasObjectMetrics() {
    }

    /** Distances on the grid the labels live on: a 2D image or a 3D volume, with its voxel sizes. */
    public interface Grid {
        double[] distanceTo(boolean[] feature);

        double diagonal();

        /** Physical coordinates of element {@code index} (x fastest), written into {@code xyz}. */
        void position(int index, double[] xyz);
    }

    public static Grid image(int width, int height, PixelSpacing spacing) {
        return new Grid() {
            public double[] distanceTo(boolean[] f) {
                return DistanceTransform.distanceTo(f, width, height, spacing.x(), spacing.y());
            }

            public double diagonal() {
                return SurfaceDistances.diagonal(width, height, spacing);
            }

            public void position(int index, double[] xyz) {
                xyz[0] = (index % width) * spacing.x();
                xyz[1] = (index / width) * spacing.y();
                xyz[2] = 0;
            }
        };
    }

    public static Grid volume(int nx, int ny, int nz, double[] spacing) {
        return new Grid() {
            public double[] distanceTo(boolean[] f) {
                return DistanceTransform.distanceTo(f, nx, ny, nz, spacing[0], spacing[1], spacing[2]);
            }

            public double diagonal() {
                return Math.sqrt(Math.pow(nx * spacing[0], 2) + Math.pow(ny * spacing[1], 2) + Math.pow(nz * spacing[2], 2));
            }

            public void position(int index, double[] xyz) {
                xyz[0] = (index % nx) * spacing[0];
                xyz[1] = (index / nx % ny) * spacing[1];
                xyz[2] = (index / ((long) nx * ny)) * spacing[2];
            }
        };
    }

    public static ObjectScores score(int[] pred, int predCount, int[] truth, int truthCount, int width, int height, PixelSpacing spacing) {
        return score(pred, predCount, truth, truthCount, image(width, height, spacing));
    }

    public static ObjectScores score(int[] pred, int predCount, int[] truth, int truthCount, Grid grid) {
        double diagonal = grid.diagonal();
        if (predCount == 0 && truthCount == 0) {
            return new ObjectScores(0, 0, 0, 0, 0, 0, 0, 0, 0, diagonal);
        }
        long[] predArea = areas(pred, predCount);
        long[] truthArea = areas(truth, truthCount);
        long[][] overlap = new long[predCount + 1][truthCount + 1];
        for (int i = 0; i < pred.length; i++) {
            overlap[pred[i]][truth[i]]++;
        }
        int[] predPartner = new int[predCount + 1];
        for (int s = 1; s <= predCount; s++) {
            predPartner[s] = argmaxOverlap(overlap[s]);
        }
        int[] truthPartner = new int[truthCount + 1];
        for (int g = 1; g <= truthCount; g++) {
            long best = 0;
            for (int s = 1; s <= predCount; s++) {
                if (overlap[s][g] > best) {
                    best = overlap[s][g];
                    truthPartner[g] = s;
                }
            }
        }

        long tp = 0;
        double predDice = 0;
        double predArea2 = 0;
        for (int s = 1; s <= predCount; s++) {
            int g = predPartner[s];
            predArea2 += predArea[s];
            if (g == 0) {
                continue;
            }
            if (2 * overlap[s][g] > truthArea[g]) {
                tp++;
            }
            predDice += predArea[s] * dice(overlap[s][g], predArea[s], truthArea[g]);
        }
        double truthDice = 0;
        double truthArea2 = 0;
        for (int g = 1; g <= truthCount; g++) {
            int s = truthPartner[g];
            truthArea2 += truthArea[g];
            if (s != 0) {
                truthDice += truthArea[g] * dice(overlap[s][g], predArea[s], truthArea[g]);
            }
        }

        double predHausdorff = 0;
        double truthHausdorff = 0;
        if (predCount > 0 && truthCount > 0) {
            HausdorffTable h = HausdorffTable.of(pred, predArea, truth, truthArea, grid);
            for (int s = 1; s <= predCount; s++) {
                int g = predPartner[s];
                predHausdorff += predArea[s] * (g != 0 ? h.between(s, g) : h.nearestTruth(s));
            }
            for (int g = 1; g <= truthCount; g++) {
                int s = truthPartner[g];
                truthHausdorff += truthArea[g] * (s != 0 ? h.between(s, g) : h.nearestPred(g));
            }
        } else {
            // One side is empty: every object of the other side is paired with nothing.
            predHausdorff = predArea2 * diagonal;
            truthHausdorff = truthArea2 * diagonal;
        }
        return new ObjectScores(predCount, truthCount, tp, predArea2, truthArea2, predDice, truthDice,
                predHausdorff, truthHausdorff, diagonal);
    }

    private static int argmaxOverlap(long[] row) {
        int best = 0;
        long bestCount = 0;
        for (int g = 1; g < row.length; g++) {
            if (row[g] > bestCount) {
                bestCount = row[g];
                best = g;
            }
        }
        return best;
    }

    private static double dice(long overlap, long a, long b) {
        return 2.0 * overlap / (a + b);
    }

    private static long[] areas(int[] objects, int count) {
        long[] area = new long[count + 1];
        for (int o : objects) {
            area[o]++;
        }
        return area;
    }

    /** Directed Hausdorff distances between every predicted and every true object. */
    private record HausdorffTable(double[][] predToTruth, double[][] truthToPred) {

        /** {@code predArea}, {@code truthArea}: element counts per object (index 0 unused), as score() has them. */
        static HausdorffTable of(int[] pred, long[] predArea, int[] truth, long[] truthArea, Grid grid) {
            int predCount = predArea.length - 1;
            int truthCount = truthArea.length - 1;
            double[][] predToTruth = new double[predCount + 1][truthCount + 1];
            double[][] truthToPred = new double[truthCount + 1][predCount + 1];
            boolean[] object = new boolean[pred.length];
            for (int g = 1; g <= truthCount; g++) {
                double[] d = distanceToObject(truth, g, object, grid);
                for (int i = 0; i < pred.length; i++) {
                    int s = pred[i];
                    if (s != 0 && d[i] > predToTruth[s][g]) {
                        predToTruth[s][g] = d[i];
                    }
                }
            }
            // Speckle: thousands of tiny predicted objects would each cost a distance transform of
            // the whole image or volume; their distances are computed from their few elements.
            double[][][] smallPred = positions(pred, predArea, grid, SMALL_OBJECT);
            double[][][] truthPoints = null;
            for (int s = 1; s <= predCount; s++) {
                if (smallPred[s] != null) {
                    truthPoints = truthPoints != null ? truthPoints : positions(truth, truthArea, grid, Long.MAX_VALUE);
                    for (int g = 1; g <= truthCount; g++) {
                        truthToPred[g][s] = farthestDistance(truthPoints[g], smallPred[s]);
                    }
                    continue;
                }
                double[] d = distanceToObject(pred, s, object, grid);
                for (int i = 0; i < truth.length; i++) {
                    int g = truth[i];
                    if (g != 0 && d[i] > truthToPred[g][s]) {
                        truthToPred[g][s] = d[i];
                    }
                }
            }
            return new HausdorffTable(predToTruth, truthToPred);
        }

        /** Objects of at most this many elements get exact distances by enumeration instead of a distance transform. */
        static final int SMALL_OBJECT = 64;

        /**
         * Coordinates of the elements of every object 1..count with at most {@code maxArea}
         * elements: [object][axis][element]; null for larger objects.
         */
        private static double[][][] positions(int[] labels, long[] area, Grid grid, long maxArea) {
            int count = area.length - 1;
            double[][][] p = new double[count + 1][][];
            for (int o = 1; o <= count; o++) {
                if (area[o] <= maxArea) {
                    p[o] = new double[3][(int) area[o]];
                }
            }
            int[] filled = new int[count + 1];
            double[] xyz = new double[3];
            for (int i = 0; i < labels.length; i++) {
                int o = labels[i];
                if (o != 0 && p[o] != null) {
                    grid.position(i, xyz);
                    for (int a = 0; a < 3; a++) {
                        p[o][a][filled[o]] = xyz[a];
                    }
                    filled[o]++;
                }
            }
            return p;
        }

        /**
         * max over points x of {@code from} of the distance from x to the nearest point of
         * {@code to} (a small set), exactly: with c the centroid of {@code to} and r its radius
         * about c, that distance lies within r of |x - c|, so only points with |x - c| >= max|x - c| - 2r
         * can attain the maximum, and only those are measured against every point of {@code to}.
         */
        static double farthestDistance(double[][] from, double[][] to) {
            int n = to[0].length;
            double cx = 0, cy = 0, cz = 0;
            for (int k = 0; k < n; k++) {
                cx += to[0][k];
                cy += to[1][k];
                cz += to[2][k];
            }
            cx /= n;
            cy /= n;
            cz /= n;
            double r = 0;
            for (int k = 0; k < n; k++) {
                r = Math.max(r, Math.sqrt(sq(to[0][k] - cx) + sq(to[1][k] - cy) + sq(to[2][k] - cz)));
            }
            int m = from[0].length;
            double[] centre = new double[m];
            double maxCentre = 0;
            for (int i = 0; i < m; i++) {
                centre[i] = Math.sqrt(sq(from[0][i] - cx) + sq(from[1][i] - cy) + sq(from[2][i] - cz));
                maxCentre = Math.max(maxCentre, centre[i]);
            }
            double threshold = maxCentre - 2 * r - 1e-9;
            double best = 0;
            for (int i = 0; i < m; i++) {
                if (centre[i] < threshold) {
                    continue;
                }
                double nearest = Double.POSITIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    nearest = Math.min(nearest, sq(from[0][i] - to[0][k]) + sq(from[1][i] - to[1][k]) + sq(from[2][i] - to[2][k]));
                }
                best = Math.max(best, Math.sqrt(nearest));
            }
            return best;
        }

        private static double sq(double v) {
            return v * v;
        }

        private static double[] distanceToObject(int[] labels, int id, boolean[] scratch, Grid grid) {
            for (int i = 0; i < labels.length; i++) {
                scratch[i] = labels[i] == id;
            }
            return grid.distanceTo(scratch);
        }

        double between(int s, int g) {
            return Math.max(predToTruth[s][g], truthToPred[g][s]);
        }

        double nearestTruth(int s) {
            double best = Double.POSITIVE_INFINITY;
            for (int g = 1; g < predToTruth[s].length; g++) {
                best = Math.min(best, between(s, g));
            }
            return best;
        }

        double nearestPred(int g) {
            double best = Double.POSITIVE_INFINITY;
            for (int s = 1; s < truthToPred[g].length; s++) {
                best = Math.min(best, between(s, g));
            }
            return best;
        }
    }
}
