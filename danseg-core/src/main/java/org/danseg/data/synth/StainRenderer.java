package org.danseg.data.synth;

import java.util.SplittableRandom;
import org.danseg.io.Image2D;
import org.danseg.io.PixelSpacing;

/**
 * Beer-Lambert rendering of stain concentrations to 8-bit RGB with per-image stain colour
 * variation, optical blur and sensor noise, the nuisances that make real slides differ.
 */
final class StainRenderer {
    // Ruifrok and Johnston's H&E optical-density vectors (RGB).
    private static final double[] H = {0.650, 0.704, 0.286};
    private static final double[] E = {0.072, 0.990, 0.105};

    private StainRenderer() {
    }

    static Image2D render(StainCanvas canvas, SplittableRandom rng) {
        double[] h = jitter(H, rng, 0.10);
        double[] e = jitter(E, rng, 0.10);
        double hStrength = 0.75 + 0.6 * rng.nextDouble();
        double eStrength = 0.6 + 0.7 * rng.nextDouble();
        double background = 0.02 + 0.05 * rng.nextDouble();
        double blurSigma = 0.4 + 1.2 * rng.nextDouble();
        double noise = 2.0 + 5.0 * rng.nextDouble();
        int n = canvas.size * canvas.size;
        float[] hBlur = blur(canvas.haematoxylin, canvas.size, blurSigma);
        float[] eBlur = blur(canvas.eosin, canvas.size, blurSigma);
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double od = background + hStrength * hBlur[i] * h[c] + eStrength * eBlur[i] * e[c];
                double value = 255.0 * StrictMath.exp(-od) + noise * gaussian(rng);
                rgb[c * n + i] = (float) Math.max(0, Math.min(255, Math.rint(value)));
            }
        }
        return new Image2D(canvas.size, canvas.size, 3, rgb, 255.0, PixelSpacing.UNIT);
    }

    private static double[] jitter(double[] v, SplittableRandom rng, double amount) {
        double[] out = new double[3];
        double norm = 0;
        for (int c = 0; c < 3; c++) {
            out[c] = Math.max(0.01, v[c] + amount * (rng.nextDouble() * 2 - 1));
            norm += out[c] * out[c];
        }
        norm = Math.sqrt(norm);
        for (int c = 0; c < 3; c++) {
            out[c] /= norm;
        }
        return out;
    }

    static float[] blur(float[] src, int size, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = StrictMath.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int xx = Math.max(0, Math.min(size - 1, x + k));
                    acc += kernel[k + radius] * src[y * size + xx];
                }
                tmp[y * size + x] = (float) acc;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int yy = Math.max(0, Math.min(size - 1, y + k));
                    acc += kernel[k + radius] * tmp[yy * size + x];
                }
                out[y * size + x] = (float) acc;
            }
        }
        return out;
    }

    /** Box-Muller; uses StrictMath so the same seed gives the same bytes on every JVM. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }
}
