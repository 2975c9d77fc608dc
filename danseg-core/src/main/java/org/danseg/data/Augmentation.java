package org.danseg.data;

/**
 * On-the-fly augmentation settings: flips, 90-degree rotations (square patches), and per-channel
 * intensity gain/offset jitter on [0, 1] images. Geometry is applied identically to image and labels.
 */
public record Augmentation(boolean flips, boolean rotations, double gainJitter, double offsetJitter) {
    public static final Augmentation DEFAULT = new Augmentation(true, true, 0.1, 0.05);
    public static final Augmentation NONE = new Augmentation(false, false, 0, 0);

    /** The default flips and rotations with gain jitter {@code jitter} and offset jitter half of it ({@code DEFAULT} at 0.1). */
    public static Augmentation withIntensityJitter(double jitter) {
        return new Augmentation(true, true, jitter, jitter / 2);
    }
}
