package org.danseg.data;

import java.util.SplittableRandom;

/**
 * The "strong" view of an unannotated patch for consistency training (FixMatch, UniMatch): the
 * same pixels and geometry as the weak view, so a pseudo-label made on the weak view holds pixel for
 * pixel, with heavy photometric changes (per-channel gain and offset, gamma, Gaussian noise), a 3 x 3
 * binomial blur with probability {@code blurProbability}, and a cut-out box filled with one grey
 * value with probability {@code cutoutProbability}. Only intensities change, never positions.
 * The default has no cut-out: its grey box keeps the weak view's pseudo-label under pixels that no
 * longer show it; recipes that mix patches use {@link CutMixBox} instead, as the reference does.
 */
public record StrongAugmentation(double gainJitter, double offsetJitter, double gammaJitter, double noise,
                                 double blurProbability, double cutoutProbability, double cutoutMaxFraction) {
    public static final StrongAugmentation DEFAULT = new StrongAugmentation(0.3, 0.15, 0.4, 0.03, 0.5, 0, 0.5);

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
        if (rng.nextDouble() < blurProbability) {
            for (int ch = 0; ch < channels; ch++) {
                blur(strong, offset + ch * plane, patch);
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

    /** 3 x 3 binomial blur ([1 2 1] / 4 in each direction) of one plane in place, edges replicated. */
    static void blur(float[] a, int base, int n) {
        float[] row = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int l = Math.max(0, x - 1);
                int r = Math.min(n - 1, x + 1);
                row[y * n + x] = 0.25f * a[base + y * n + l] + 0.5f * a[base + y * n + x] + 0.25f * a[base + y * n + r];
            }
        }
        for (int y = 0; y < n; y++) {
            int u = Math.max(0, y - 1);
            int d = Math.min(n - 1, y + 1);
            for (int x = 0; x < n; x++) {
                a[base + y * n + x] = 0.25f * row[u * n + x] + 0.5f * row[y * n + x] + 0.25f * row[d * n + x];
            }
        }
    }
}
