package org.danseg.data.synth;

import java.util.SplittableRandom;

/** Smooth random fields (value noise, smoothstep-interpolated), summed over octaves for tissue texture. */
final class ValueNoise {

    private ValueNoise() {
    }

    /**
     * A field in roughly [-1, 1] with features about {@code cell} pixels wide, stretched by
     * {@code stretch} along {@code angle} (1 = isotropic; > 1 gives fibre-like streaks).
     */
    static float[] field(SplittableRandom rng, int size, double cell, double stretch, double angle) {
        int grid = (int) Math.ceil(size * Math.max(1.0, stretch) * 1.5 / cell) + 3;
        float[] lattice = new float[grid * grid];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double offset = grid / 2.0;
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double cx = x - size / 2.0;
                double cy = y - size / 2.0;
                // Rotate, then compress along the fibre direction so features stretch along it.
                double u = (cx * cos + cy * sin) / (cell * stretch) + offset;
                double v = (-cx * sin + cy * cos) / cell + offset;
                out[y * size + x] = (float) sample(lattice, grid, u, v);
            }
        }
        return out;
    }

    static float[] octaves(SplittableRandom rng, int size, double cell, int count, double stretch, double angle) {
        float[] sum = new float[size * size];
        double amplitude = 1.0;
        double norm = 0;
        for (int o = 0; o < count; o++) {
            float[] f = field(rng, size, Math.max(1.5, cell / (1 << o)), stretch, angle);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (float) (amplitude * f[i]);
            }
            norm += amplitude;
            amplitude *= 0.5;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= (float) norm;
        }
        return sum;
    }

    private static double sample(float[] lattice, int grid, double u, double v) {
        int x0 = clamp((int) Math.floor(u), grid - 2);
        int y0 = clamp((int) Math.floor(v), grid - 2);
        double fx = smooth(u - Math.floor(u));
        double fy = smooth(v - Math.floor(v));
        double a = lattice[y0 * grid + x0];
        double b = lattice[y0 * grid + x0 + 1];
        double c = lattice[(y0 + 1) * grid + x0];
        double d = lattice[(y0 + 1) * grid + x0 + 1];
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }

    private static int clamp(int i, int max) {
        return Math.max(0, Math.min(max, i));
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }
}
