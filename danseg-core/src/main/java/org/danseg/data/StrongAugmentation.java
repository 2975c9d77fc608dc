package org.danseg.data;

import java.util.SplittableRandom;

/**
 * The "strong" view of an unannotated patch for consistency training (FixMatch, UniMatch): the
 * same pixels and geometry as the weak view, so a pseudo-label made on the weak view holds pixel for
 * pixel, with heavy photometric changes (per-channel gain and offset, gamma, Gaussian noise) and a
 * cut-out box filled with one grey value. Only intensities change, never positions.
 */
public record StrongAugmentation(double gainJitter, double offsetJitter, double gammaJitter, double noise,
                                 double cutoutProbability, double cutoutMaxFraction) {
    public static final StrongAugmentation DEFAULT = new StrongAugmentation(0.3, 0.15, 0.4, 0.03, 0.5, 0.5);

    /** Writes the strong view of the patch at {@code offset} in {@code weak} into {@code strong}. */
    void apply(float[] weak, float[] strong, int offset, int channels, int patch, SplittableRandom rng) {
        int plane = patch * patch;
        for (int ch = 0; ch < channels; ch++) {
            float gain = (float) (1 + gainJitter * (2 * rng.nextDouble() - 1));
            float shift = (float) (offsetJitter * (2 * rng.nextDouble() - 1));
            double gamma = Math.exp(gammaJitter * (2 * rng.nextDouble() - 1));
            int base = offset + ch * plane;
            for (int i = 0; i < plane; i++) {
                double v = Math.pow(Math.max(0f, weak[base + i]), gamma) * gain + shift + noise * rng.nextGaussian();
                strong[base + i] = (float) Math.max(0, Math.min(1, v));
            }
        }
        if (rng.nextDouble() < cutoutProbability) {
            int side = Math.max(1, (int) Math.round(patch * cutoutMaxFraction * rng.nextDouble()));
            int x0 = rng.nextInt(patch - side + 1);
            int y0 = rng.nextInt(patch - side + 1);
            float grey = (float) rng.nextDouble();
            for (int ch = 0; ch < channels; ch++) {
                for (int y = y0; y < y0 + side; y++) {
                    java.util.Arrays.fill(strong, offset + ch * plane + y * patch + x0, offset + ch * plane + y * patch + x0 + side, grey);
                }
            }
        }
    }
}
