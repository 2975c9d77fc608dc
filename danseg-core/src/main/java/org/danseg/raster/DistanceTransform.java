package org.danseg.raster;

/**
 * Exact Euclidean distance transform (Felzenszwalb and Huttenlocher, 2012), separable in x and y,
 * with anisotropic pixel spacing. For every pixel: the distance to the nearest feature pixel.
 */
public final class DistanceTransform {

    private DistanceTransform() {
    }

    /**
     * Distances from every pixel to the nearest {@code true} pixel of {@code feature}, in the units of
     * {@code sx}/{@code sy}; {@code +Infinity} everywhere when there is no feature pixel.
     */
    public static double[] distanceTo(boolean[] feature, int width, int height, double sx, double sy) {
        int n = width * height;
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            sq[i] = feature[i] ? 0.0 : Double.POSITIVE_INFINITY;
        }
        int longest = Math.max(width, height);
        double[] f = new double[longest];
        double[] d = new double[longest];
        int[] v = new int[longest];
        double[] z = new double[longest + 1];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                f[x] = sq[y * width + x];
            }
            transform1d(f, width, sx * sx, d, v, z);
            for (int x = 0; x < width; x++) {
                sq[y * width + x] = d[x];
            }
        }
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                f[y] = sq[y * width + x];
            }
            transform1d(f, height, sy * sy, d, v, z);
            for (int y = 0; y < height; y++) {
                sq[y * width + x] = d[y];
            }
        }
        for (int i = 0; i < n; i++) {
            sq[i] = Math.sqrt(sq[i]);
        }
        return sq;
    }

    private static double intersection(double[] f, double w2, int q, int p) {
        return ((f[q] + w2 * q * q) - (f[p] + w2 * p * p)) / (2.0 * w2 * (q - p));
    }

    /**
     * The same for a 3D grid (x fastest, then y, then z) with voxel sizes {@code sx, sy, sz}: three
     * passes of the exact 1D transform.
     */
    public static double[] distanceTo(boolean[] feature, int nx, int ny, int nz, double sx, double sy, double sz) {
        int n = nx * ny * nz;
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            sq[i] = feature[i] ? 0.0 : Double.POSITIVE_INFINITY;
        }
        int longest = Math.max(nx, Math.max(ny, nz));
        double[] f = new double[longest];
        double[] d = new double[longest];
        int[] v = new int[longest];
        double[] z = new double[longest + 1];
        int[] sizes = {nx, ny, nz};
        int[] strides = {1, nx, nx * ny};
        double[] w2 = {sx * sx, sy * sy, sz * sz};
        for (int axis = 0; axis < 3; axis++) {
            int len = sizes[axis];
            int stride = strides[axis];
            for (int start = 0; start < n; start++) {
                // Each line along the axis starts where the axis coordinate is 0.
                if ((start / stride) % len != 0) {
                    continue;
                }
                for (int q = 0; q < len; q++) {
                    f[q] = sq[start + q * stride];
                }
                transform1d(f, len, w2[axis], d, v, z);
                for (int q = 0; q < len; q++) {
                    sq[start + q * stride] = d[q];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            sq[i] = Math.sqrt(sq[i]);
        }
        return sq;
    }

    /** Lower envelope of parabolas w2*(q-p)^2 + f(p); infinite f values are skipped. */
    private static void transform1d(double[] f, int n, double w2, double[] d, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            // z[0] is -infinity, so the envelope never empties.
            double s = intersection(f, w2, q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersection(f, w2, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            java.util.Arrays.fill(d, 0, n, Double.POSITIVE_INFINITY);
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            while (z[j + 1] < q) {
                j++;
            }
            double dq = q - v[j];
            d[q] = w2 * dq * dq + f[v[j]];
        }
    }
}
