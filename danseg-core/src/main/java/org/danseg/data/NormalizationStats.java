package org.danseg.data;

import org.danseg.io.Image2D;

/**
 * Per-channel mean and standard deviation of a dataset's intensities, after scaling each image to
 * [0, 1] by its sample type's maximum (so 8- and 16-bit files mix). Kept with every model, so
 * inference normalizes exactly as training did.
 */
public record NormalizationStats(String method, double[] mean, double[] std, long pixels) {

    public static final String METHOD = "per-channel z-score of [0,1]-scaled intensities";

    /** Statistics of two datasets together, weighted by their pixel counts. */
    public static NormalizationStats pooled(NormalizationStats a, NormalizationStats b) {
        if (b == null) {
            return a;
        }
        double wa = (double) a.pixels / (a.pixels + b.pixels);
        double wb = 1 - wa;
        double[] mean = new double[a.mean.length];
        double[] std = new double[a.mean.length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = wa * a.mean[c] + wb * b.mean[c];
            double second = wa * (a.std[c] * a.std[c] + a.mean[c] * a.mean[c]) + wb * (b.std[c] * b.std[c] + b.mean[c] * b.mean[c]);
            std[c] = Math.sqrt(Math.max(second - mean[c] * mean[c], 1e-12));
        }
        return new NormalizationStats(METHOD, mean, std, a.pixels + b.pixels);
    }

    /** Accumulates sums over images; not thread-safe. */
    public static final class Accumulator {
        private final double[] sum;
        private final double[] sumSq;
        private long pixels;

        public Accumulator(int channels) {
            sum = new double[channels];
            sumSq = new double[channels];
        }

        public void add(Image2D image) {
            int n = image.pixelCount();
            float[] d = image.data();
            double scale = 1.0 / image.maxValue();
            for (int c = 0; c < sum.length; c++) {
                double s = 0;
                double s2 = 0;
                for (int i = c * n; i < (c + 1) * n; i++) {
                    double v = d[i] * scale;
                    s += v;
                    s2 += v * v;
                }
                sum[c] += s;
                sumSq[c] += s2;
            }
            pixels += n;
        }

        public NormalizationStats result() {
            double[] mean = new double[sum.length];
            double[] std = new double[sum.length];
            for (int c = 0; c < sum.length; c++) {
                mean[c] = pixels == 0 ? 0 : sum[c] / pixels;
                double var = pixels == 0 ? 1 : sumSq[c] / pixels - mean[c] * mean[c];
                // A constant channel would divide by zero; 1e-6 keeps it finite and harmless.
                std[c] = Math.sqrt(Math.max(var, 1e-12)) + 1e-6;
            }
            return new NormalizationStats(METHOD, mean, std, pixels);
        }
    }
}
