package org.danseg.metrics;

/**
 * The one rule for empty cases, shared by every ratio metric: a ratio whose denominator is zero
 * is 1 when prediction and truth are both empty (perfect agreement on "nothing here") and 0
 * otherwise. No metric ever returns NaN, so no case can silently drop out of a mean.
 */
final class Ratios {

    private Ratios() {
    }

    static double ratio(double numerator, double denominator, boolean bothEmpty) {
        if (denominator == 0) {
            return bothEmpty ? 1.0 : 0.0;
        }
        return numerator / denominator;
    }
}
