package org.danseg.data.synth;

import java.util.SplittableRandom;
import org.danseg.io.Image2D;
import org.danseg.io.LabelMap;
import org.danseg.io.PixelSpacing;

/**
 * A second, unlike modality for experiments: one-channel fluorescence microscopy of stained nuclei
 * (DAPI-like), so that a recipe is not tuned to the H&E generator. Nuclei are textured ellipses of
 * varied brightness that may touch and overlap (the later one covers the earlier, as in a focal
 * plane), on an unevenly lit background with unlabelled out-of-focus debris, blurred by the optics and
 * corrupted by signal-dependent (shot-like) noise. "Dense" tiles (the malignant flag) hold more and
 * more varied nuclei. Deterministic in (seed, size, dense).
 */
public final class FluorescenceTileGenerator {

    private FluorescenceTileGenerator() {
    }

    public static HistologyTileGenerator.Tile generate(long seed, int size, boolean dense) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] signal = new float[size * size];
        int[] labels = new int[size * size];
        double scale = size / 128.0;
        int count = (int) Math.round((dense ? 14 : 7) * scale * scale * (0.7 + 0.6 * rng.nextDouble()));
        int id = 0;
        for (int n = 0; n < count; n++) {
            double cx = size * rng.nextDouble();
            double cy = size * rng.nextDouble();
            double a = scale * (dense ? 5 + 7 * rng.nextDouble() : 6 + 4 * rng.nextDouble());
            double b = a * (0.55 + 0.45 * rng.nextDouble());
            double angle = Math.PI * rng.nextDouble();
            double brightness = 0.25 + 0.65 * rng.nextDouble();
            float[] texture = ValueNoise.field(rng, size, 3 * scale, 1, 0);
            boolean painted = false;
            int nextId = id + 1;
            for (int y = Math.max(0, (int) (cy - a - 1)); y < Math.min(size, (int) (cy + a + 2)); y++) {
                for (int x = Math.max(0, (int) (cx - a - 1)); x < Math.min(size, (int) (cx + a + 2)); x++) {
                    double dx = x - cx;
                    double dy = y - cy;
                    double u = (dx * Math.cos(angle) + dy * Math.sin(angle)) / a;
                    double v = (-dx * Math.sin(angle) + dy * Math.cos(angle)) / b;
                    double r = u * u + v * v;
                    if (r <= 1) {
                        int i = y * size + x;
                        // brighter rim-to-centre falloff plus chromatin texture
                        signal[i] = (float) (brightness * (0.75 + 0.25 * (1 - r)) * (0.8 + 0.4 * texture[i]));
                        labels[i] = nextId;
                        painted = true;
                    }
                }
            }
            if (painted) {
                id = nextId;
            }
        }
        // unlabelled debris: small, dim, soft blobs
        int debris = (int) Math.round(4 * scale * scale * rng.nextDouble());
        for (int n = 0; n < debris; n++) {
            double cx = size * rng.nextDouble();
            double cy = size * rng.nextDouble();
            double s = scale * (1.5 + 2.5 * rng.nextDouble());
            double level = 0.1 + 0.2 * rng.nextDouble();
            for (int y = Math.max(0, (int) (cy - 3 * s)); y < Math.min(size, (int) (cy + 3 * s)); y++) {
                for (int x = Math.max(0, (int) (cx - 3 * s)); x < Math.min(size, (int) (cx + 3 * s)); x++) {
                    double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (s * s);
                    int i = y * size + x;
                    if (labels[i] == 0) {
                        signal[i] += (float) (level * Math.exp(-d2 / 2));
                    }
                }
            }
        }
        float[] blurred = blur(blur(signal, size), size);
        double gx = rng.nextDouble() - 0.5;
        double gy = rng.nextDouble() - 0.5;
        double floor = 0.03 + 0.07 * rng.nextDouble();
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                double illumination = 1 + 0.35 * (gx * (x - size / 2.0) + gy * (y - size / 2.0)) / size;
                double mean = floor + blurred[i] * illumination;
                double noisy = mean + Math.sqrt(Math.max(mean, 0) * 0.01) * rng.nextGaussian() + 0.01 * rng.nextGaussian();
                out[i] = (float) Math.round(255 * Math.max(0, Math.min(1, noisy)));
            }
        }
        return new HistologyTileGenerator.Tile(new Image2D(size, size, 1, out, 255, PixelSpacing.UNIT),
                new LabelMap(size, size, compact(labels), PixelSpacing.UNIT), dense, id);
    }

    /** 3x3 box blur with clamped edges. */
    private static float[] blur(float[] in, int size) {
        float[] out = new float[in.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = Math.min(size - 1, Math.max(0, y + dy));
                        int xx = Math.min(size - 1, Math.max(0, x + dx));
                        sum += in[yy * size + xx];
                    }
                }
                out[y * size + x] = sum / 9;
            }
        }
        return out;
    }

    /** Instance ids 1..n with no gaps (an overlapped nucleus may have vanished entirely). */
    private static int[] compact(int[] labels) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                out[i] = ids.computeIfAbsent(labels[i], k -> ids.size() + 1);
            }
        }
        return out;
    }
}
