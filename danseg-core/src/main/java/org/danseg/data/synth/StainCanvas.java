package org.danseg.data.synth;

/**
 * Haematoxylin and eosin concentration maps of one tile, and the drawing primitives that paint
 * tissue into them. Rendering to RGB is {@link StainRenderer}'s job.
 */
final class StainCanvas {
    final int size;
    final float[] haematoxylin;
    final float[] eosin;

    StainCanvas(int size) {
        this.size = size;
        this.haematoxylin = new float[size * size];
        this.eosin = new float[size * size];
    }

    /**
     * A soft-edged filled ellipse (a nucleus, a red cell, a vacuole): adds {@code h} and
     * {@code e} (negative values clear stain) with an edge softness of about a pixel.
     */
    void ellipse(double cx, double cy, double rx, double ry, double angle, double h, double e) {
        double extent = Math.max(rx, ry) + 2;
        int x0 = Math.max(0, (int) Math.floor(cx - extent));
        int x1 = Math.min(size - 1, (int) Math.ceil(cx + extent));
        int y0 = Math.max(0, (int) Math.floor(cy - extent));
        int y1 = Math.min(size - 1, (int) Math.ceil(cy + extent));
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double r = Math.min(rx, ry);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * cos + dy * sin) / rx;
                double v = (-dx * sin + dy * cos) / ry;
                double d = (Math.sqrt(u * u + v * v) - 1.0) * r;
                double w = d <= -0.7 ? 1.0 : d >= 0.7 ? 0.0 : 0.5 - d / 1.4;
                if (w > 0) {
                    int i = y * size + x;
                    haematoxylin[i] = Math.max(0f, haematoxylin[i] + (float) (w * h));
                    eosin[i] = Math.max(0f, eosin[i] + (float) (w * e));
                }
            }
        }
    }
}
