package org.danseg.metrics;

import java.util.Arrays;
import org.danseg.io.PixelSpacing;
import org.danseg.raster.DistanceTransform;

/**
 * Boundary distances between a predicted and a true region, defined as in MedPy (widely used in
 * the field): a region's surface is its pixels that have a 4-neighbour outside it (the image edge
 * counts as outside); HD95 is the 95th percentile (linear interpolation) of the distances from
 * each surface to the other, both directions pooled; ASSD the mean of the two directed mean
 * distances. Distances are in the spacing's unit.
 *
 * <p>Empty cases: both empty gives 0; exactly one empty gives the image diagonal (the largest
 * distance possible in the image), so a missed or hallucinated region is never dropped.
 */
public final class SurfaceDistances {

    public record Result(double hd95, double assd, double hausdorff) {
    }

    private SurfaceDistances() {
    }

    public static double diagonal(int width, int height, PixelSpacing spacing) {
        return Math.hypot(width * spacing.x(), height * spacing.y());
    }

    public static Result compute(boolean[] pred, boolean[] truth, int width, int height, PixelSpacing spacing) {
        return compute(pred, truth, m -> surface(m, width, height),
                f -> DistanceTransform.distanceTo(f, width, height, spacing.x(), spacing.y()), diagonal(width, height, spacing));
    }

    /**
     * The same for any grid: {@code surface} finds a region's surface, {@code distanceTo} gives every
     * element's distance to a set, {@code diagonal} is the grid's largest distance.
     */
    static Result compute(boolean[] pred, boolean[] truth, java.util.function.UnaryOperator<boolean[]> surface,
                          java.util.function.Function<boolean[], double[]> distanceTo, double diagonal) {
        boolean predEmpty = isEmpty(pred);
        boolean truthEmpty = isEmpty(truth);
        if (predEmpty && truthEmpty) {
            return new Result(0, 0, 0);
        }
        if (predEmpty || truthEmpty) {
            return new Result(diagonal, diagonal, diagonal);
        }
        boolean[] predSurface = surface.apply(pred);
        boolean[] truthSurface = surface.apply(truth);
        double[] predToTruth = sample(distanceTo.apply(truthSurface), predSurface);
        double[] truthToPred = sample(distanceTo.apply(predSurface), truthSurface);
        double[] both = new double[predToTruth.length + truthToPred.length];
        System.arraycopy(predToTruth, 0, both, 0, predToTruth.length);
        System.arraycopy(truthToPred, 0, both, predToTruth.length, truthToPred.length);
        Arrays.sort(both);
        double assd = (mean(predToTruth) + mean(truthToPred)) / 2.0;
        return new Result(percentile(both, 95.0), assd, both[both.length - 1]);
    }

    /** Pixels of the region with at least one 4-neighbour outside it or on the image edge. */
    static boolean[] surface(boolean[] region, int width, int height) {
        boolean[] s = new boolean[region.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (!region[i]) {
                    continue;
                }
                boolean interior = x > 0 && x < width - 1 && y > 0 && y < height - 1
                        && region[i - 1] && region[i + 1] && region[i - width] && region[i + width];
                s[i] = !interior;
            }
        }
        return s;
    }

    /** numpy's default (linear) percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        double rank = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[] sample(double[] distances, boolean[] where) {
        int count = 0;
        for (boolean b : where) {
            if (b) {
                count++;
            }
        }
        double[] out = new double[count];
        int k = 0;
        for (int i = 0; i < where.length; i++) {
            if (where[i]) {
                out[k++] = distances[i];
            }
        }
        return out;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        return sum / v.length;
    }

    private static boolean isEmpty(boolean[] m) {
        for (boolean b : m) {
            if (b) {
                return false;
            }
        }
        return true;
    }
}
