package org.danseg.infer;

/**
 * Where sliding-window tiles start along one axis: evenly spaced from 0 to length - tile so that
 * neighbours overlap by at least {@code overlap} of a tile (nnU-Net's placement). A side shorter
 * than a tile gets one tile at 0 (padded by the caller).
 */
final class TileGrid {

    private TileGrid() {
    }

    static int[] starts(int length, int tile, double overlap) {
        if (length <= tile) {
            return new int[] {0};
        }
        double step = tile * (1 - overlap);
        int n = (int) Math.ceil((length - tile) / step) + 1;
        int[] s = new int[n];
        double actual = (double) (length - tile) / (n - 1);
        for (int i = 0; i < n; i++) {
            s[i] = (int) Math.round(i * actual);
        }
        return s;
    }

    /** Gaussian importance of each tile pixel, sigma = tile/8 (as nnU-Net), 1 at the centre, never below 1e-3. */
    static float[] gaussian(int tile) {
        float[] w = new float[tile * tile];
        double sigma = tile / 8.0;
        double c = (tile - 1) / 2.0;
        for (int y = 0; y < tile; y++) {
            for (int x = 0; x < tile; x++) {
                double d2 = (x - c) * (x - c) + (y - c) * (y - c);
                w[y * tile + x] = (float) Math.max(1e-3, Math.exp(-d2 / (2 * sigma * sigma)));
            }
        }
        return w;
    }
}
