package org.danseg.io.slide;

import java.io.IOException;

/**
 * Where a brightfield slide has tissue, found on a low pyramid level: a pixel is tissue when it is
 * not near-white glass (its mean below {@link #GLASS} of 255, or its colour saturated by more than
 * {@link #SATURATION}). A tile is background, and skipped, when no tissue pixel lies within one
 * overview pixel of its footprint. Grey slides (fluorescence: dark background) are never skipped.
 */
public final class TissueMask {
    static final double GLASS = 220;
    static final double SATURATION = 20;
    /** The overview level's shorter side at least this (coarser levels miss small tissue). */
    static final int OVERVIEW_SIDE = 512;

    private final boolean[] tissue;
    private final int width;
    private final int height;
    private final double downsample;

    private TissueMask(boolean[] tissue, int width, int height, double downsample) {
        this.tissue = tissue;
        this.width = width;
        this.height = height;
        this.downsample = downsample;
    }

    /** The tissue of an RGB slide; null for a grey one (nothing is skipped). */
    public static TissueMask of(Slide slide) throws IOException {
        if (slide.channels() != 3) {
            return null;
        }
        SlideLevel level = slide.overview(OVERVIEW_SIDE);
        int w = level.width();
        int h = level.height();
        boolean[] tissue = new boolean[w * h];
        int band = 256;
        for (int y0 = 0; y0 < h; y0 += band) {
            int rows = Math.min(band, h - y0);
            float[] px = slide.read(level, 0, y0, w, rows);
            int plane = w * rows;
            for (int i = 0; i < plane; i++) {
                float r = px[i];
                float g = px[plane + i];
                float b = px[2 * plane + i];
                float max = Math.max(r, Math.max(g, b));
                float min = Math.min(r, Math.min(g, b));
                tissue[y0 * w + i] = (r + g + b) / 3 < GLASS || max - min > SATURATION;
            }
        }
        return new TissueMask(tissue, w, h, (double) slide.width() / w);
    }

    /** Whether the level-0 square (x, y, side) shows no tissue. */
    public boolean background(int x, int y, int side) {
        int x0 = Math.max(0, (int) Math.floor(x / downsample) - 1);
        int y0 = Math.max(0, (int) Math.floor(y / downsample) - 1);
        int x1 = Math.min(width - 1, (int) Math.ceil((x + side) / downsample) + 1);
        int y1 = Math.min(height - 1, (int) Math.ceil((y + side) / downsample) + 1);
        for (int j = y0; j <= y1; j++) {
            for (int i = x0; i <= x1; i++) {
                if (tissue[j * width + i]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Share of overview pixels that are tissue. */
    public double tissueFraction() {
        long n = 0;
        for (boolean t : tissue) {
            n += t ? 1 : 0;
        }
        return (double) n / tissue.length;
    }
}
