package org.danseg.infer;

/** A segmented image: class probabilities (K, H, W) after blending; labels are their per-pixel argmax. */
public record Prediction(int width, int height, int classes, float[] probabilities) {

    public int[] labels() {
        return ClassMaps.argmax(probabilities, classes, width * height);
    }

    /** The probability plane of class {@code k}, (H, W). */
    public float[] plane(int k) {
        float[] p = new float[width * height];
        System.arraycopy(probabilities, k * width * height, p, 0, p.length);
        return p;
    }
}
