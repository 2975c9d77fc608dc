package org.danseg.raster;

/** Outlines of labelled regions: pixels whose label differs from a 4-neighbour's (or that touch the image edge). */
public final class Boundaries {

    private Boundaries() {
    }

    /** Pixels of non-zero label next to a pixel of another label. */
    public static boolean[] of(int[] labels, int width, int height) {
        boolean[] b = new boolean[labels.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int v = labels[i];
                if (v == 0) {
                    continue;
                }
                b[i] = x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || labels[i - 1] != v || labels[i + 1] != v || labels[i - width] != v || labels[i + width] != v;
            }
        }
        return b;
    }
}
