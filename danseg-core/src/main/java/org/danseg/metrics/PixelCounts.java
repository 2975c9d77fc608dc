package org.danseg.metrics;

/**
 * Confusion counts of one class over one image or, summed, over a whole set (the set-level
 * {@code dice} and {@code iou} pool all pixels of all images).
 */
public record PixelCounts(long tp, long fp, long fn) {

    public static final PixelCounts ZERO = new PixelCounts(0, 0, 0);

    public static PixelCounts of(boolean[] pred, boolean[] truth) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i]) {
                if (truth[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (truth[i]) {
                fn++;
            }
        }
        return new PixelCounts(tp, fp, fn);
    }

    public PixelCounts plus(PixelCounts o) {
        return new PixelCounts(tp + o.tp, fp + o.fp, fn + o.fn);
    }

    public long predPixels() {
        return tp + fp;
    }

    public long truthPixels() {
        return tp + fn;
    }

    private boolean bothEmpty() {
        return tp + fp + fn == 0;
    }

    public double dice() {
        return Ratios.ratio(2.0 * tp, 2.0 * tp + fp + fn, bothEmpty());
    }

    public double iou() {
        return Ratios.ratio(tp, tp + fp + fn, bothEmpty());
    }

    public double precision() {
        return Ratios.ratio(tp, tp + fp, bothEmpty());
    }

    public double recall() {
        return Ratios.ratio(tp, tp + fn, bothEmpty());
    }
}
