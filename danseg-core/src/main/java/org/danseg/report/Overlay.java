package org.danseg.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.danseg.io.Image2D;
import org.danseg.raster.Boundaries;

/** An image with the true outlines in green and the predicted ones in magenta, as an embeddable PNG. */
final class Overlay {
    private static final int TRUTH = 0x00C800;
    private static final int PREDICTION = 0xFF00FF;

    private Overlay() {
    }

    static String png(Image2D image, int[] truth, int[] prediction) throws IOException {
        int w = image.width();
        int h = image.height();
        int n = w * h;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double scale = 255.0 / image.maxValue();
        float[] d = image.data();
        boolean[] t = Boundaries.of(truth, w, h);
        boolean[] p = Boundaries.of(prediction, w, h);
        for (int i = 0; i < n; i++) {
            int r;
            int g;
            int b;
            if (image.channels() >= 3) {
                r = clamp(d[i] * scale);
                g = clamp(d[n + i] * scale);
                b = clamp(d[2 * n + i] * scale);
            } else {
                r = g = b = clamp(d[i] * scale);
            }
            int rgb = (r << 16) | (g << 8) | b;
            if (t[i]) {
                rgb = TRUTH;
            }
            if (p[i]) {
                rgb = PREDICTION;
            }
            out.setRGB(i % w, i / w, rgb);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
