package org.danseg.data;

/**
 * One training mini-batch in Java arrays, ready to become tensors: {@code images} (N, C, P, P) in
 * [0, 1], the first {@code annotated} of them annotated; {@code oneHot} (annotated, K, P, P) class
 * indicators, all zero at pixels without a label (padding), which therefore never reach the loss;
 * {@code labelledPixels} counts the pixels that carry a label. With strong views, {@code strongImages}
 * holds one per unannotated patch (same pixels and geometry, other intensities) and {@code mix} the
 * CutMix box that recipes mixing unannotated patches apply to the strong views and their pseudo-labels.
 */
public record Batch(int iteration, int annotated, int unannotated, int channels, int classes, int patch,
                    float[] images, float[] oneHot, long labelledPixels, float[] strongImages, CutMixBox mix) {

    public int size() {
        return annotated + unannotated;
    }

    /** The annotated part alone (itself when there is no unannotated part). */
    public Batch annotatedOnly() {
        if (unannotated == 0) {
            return this;
        }
        float[] first = java.util.Arrays.copyOf(images, annotated * channels * patch * patch);
        return new Batch(iteration, annotated, 0, channels, classes, patch, first, oneHot, labelledPixels, null, null);
    }
}
