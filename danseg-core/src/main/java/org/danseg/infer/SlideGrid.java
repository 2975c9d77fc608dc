package org.danseg.infer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.danseg.io.PixelSpacing;
import org.danseg.io.slide.Slide;
import org.danseg.io.slide.SlideLevel;

/**
 * The pixel grid a slide is predicted on, so that the network sees the pixel size it was trained
 * at: the coarsest pyramid level whose pixels are no coarser than the model's (within
 * {@link #TOLERANCE}), resampled to the model's pixel size when the two still differ by more than
 * that (area averaging when shrinking, bilinear when enlarging); level 0 as it is when the model or
 * the slide states no physical pixel size. The mask is written on this grid; {@link #scaleX()} and
 * {@link #scaleY()} take its coordinates back to level 0, where QuPath's objects live.
 */
public final class SlideGrid {
    /** Pixel sizes this close (relative) count as the same: no resampling. */
    static final double TOLERANCE = 0.02;

    /** Which level is read and how many of its pixels make one grid pixel along x and y (1: read as it is). */
    public record Choice(int level, double factorX, double factorY) {
        public boolean resampled() {
            return factorX != 1.0 || factorY != 1.0;
        }
    }

    private final Slide slide;
    private final SlideLevel level;
    private final Choice choice;
    private final int width;
    private final int height;
    private final PixelSpacing spacing;
    /** Level pixels per grid pixel as sampled: the choice's factors made exact for the grid's whole-pixel size. */
    private final double fx;
    private final double fy;

    private SlideGrid(Slide slide, Choice choice, PixelSpacing levelSpacing) {
        this.slide = slide;
        this.choice = choice;
        this.level = slide.levels().get(choice.level());
        this.width = choice.resampled() ? Math.max(1, (int) Math.round(level.width() / choice.factorX())) : level.width();
        this.height = choice.resampled() ? Math.max(1, (int) Math.round(level.height() / choice.factorY())) : level.height();
        this.fx = (double) level.width() / width;
        this.fy = (double) level.height() / height;
        this.spacing = "mm".equals(levelSpacing.unit())
                ? new PixelSpacing(levelSpacing.x() * level.width() / width, levelSpacing.y() * level.height() / height, "mm")
                : levelSpacing;
    }

    /**
     * The grid for a model trained at {@code model} (null: no physical size) on a slide whose level-0
     * pixel is {@code level0} (the slide's own or {@code --pixel-size}).
     */
    public static SlideGrid of(Slide slide, PixelSpacing level0, PixelSpacing model) {
        Choice c = choose(slide.levels(), level0, model);
        return new SlideGrid(slide, c, levelSpacing(slide.levels(), c.level(), level0));
    }

    /** The choice alone, for a pyramid's level shapes. */
    static Choice choose(List<SlideLevel> levels, PixelSpacing level0, PixelSpacing model) {
        if (model == null || !"mm".equals(model.unit()) || !"mm".equals(level0.unit())) {
            return new Choice(0, 1, 1);
        }
        int best = 0;
        for (int i = 1; i < levels.size(); i++) {
            PixelSpacing s = levelSpacing(levels, i, level0);
            if (s.x() <= model.x() * (1 + TOLERANCE) && s.y() <= model.y() * (1 + TOLERANCE)) {
                best = i;
            }
        }
        PixelSpacing s = levelSpacing(levels, best, level0);
        double fx = model.x() / s.x();
        double fy = model.y() / s.y();
        if (Math.abs(fx - 1) <= TOLERANCE && Math.abs(fy - 1) <= TOLERANCE) {
            return new Choice(best, 1, 1);
        }
        return new Choice(best, fx, fy);
    }

    /** A level's pixel size, from level 0's and the shapes (the level's own rounding included). */
    private static PixelSpacing levelSpacing(List<SlideLevel> levels, int i, PixelSpacing level0) {
        if (!"mm".equals(level0.unit())) {
            return level0;
        }
        SlideLevel l = levels.get(i);
        return new PixelSpacing(level0.x() * levels.get(0).width() / l.width(), level0.y() * levels.get(0).height() / l.height(), "mm");
    }

    public Choice choice() {
        return choice;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A grid pixel's physical size (the slide's level-0 spacing kind when the slide states none). */
    public PixelSpacing spacing() {
        return spacing;
    }

    /** Level-0 pixels per grid pixel along x. */
    public double scaleX() {
        return (double) slide.width() / width;
    }

    /** Level-0 pixels per grid pixel along y. */
    public double scaleY() {
        return (double) slide.height() / height;
    }

    /** One line for the user: which level is read, at what pixel size, and whether it is resampled. */
    public String describe() {
        String size = "mm".equals(spacing.unit()) ? " (" + micrometres(spacing.x()) + " um per pixel)" : "";
        return "level " + choice.level() + " of " + slide.levels().size() + ", " + width + " x " + height + size
                + (choice.resampled() ? String.format(Locale.ROOT, ", resampled by %.4g from the level's pixels", choice.factorX()) : "");
    }

    /** A length in mm as micrometres to 4 significant digits, without trailing zeros ("0.5", "0.6002"). */
    public static String micrometres(double mm) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", mm * 1000)).stripTrailingZeros().toPlainString();
    }

    /** The grid region (x, y, w, h) as 8-bit samples (C, h, w) in [0, 255]; it must lie inside the grid. */
    public float[] read(int x, int y, int w, int h) throws IOException {
        if (!choice.resampled()) {
            return slide.read(level, x, y, w, h);
        }
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + w + "x" + h + " is outside the " + width + "x" + height + " grid");
        }
        Axis ax = new Axis(fx, level.width());
        Axis ay = new Axis(fy, level.height());
        int sx0 = ax.first(x);
        int sx1 = ax.end(x + w - 1);
        int sy0 = ay.first(y);
        int sy1 = ay.end(y + h - 1);
        int sw = sx1 - sx0;
        int sh = sy1 - sy0;
        float[] src = slide.read(level, sx0, sy0, sw, sh);
        int channels = src.length / (sw * sh);
        float[] rows = new float[channels * sh * w];
        for (int i = 0; i < w; i++) {
            int j0 = ax.first(x + i);
            float[] wt = ax.weights(x + i);
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < sh; r++) {
                    int base = (c * sh + r) * sw + (j0 - sx0);
                    float v = 0;
                    for (int k = 0; k < wt.length; k++) {
                        v += wt[k] * src[base + k];
                    }
                    rows[(c * sh + r) * w + i] = v;
                }
            }
        }
        float[] out = new float[channels * h * w];
        for (int r = 0; r < h; r++) {
            int j0 = ay.first(y + r);
            float[] wt = ay.weights(y + r);
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < w; i++) {
                    float v = 0;
                    for (int k = 0; k < wt.length; k++) {
                        v += wt[k] * rows[(c * sh + j0 - sy0 + k) * w + i];
                    }
                    out[(c * h + r) * w + i] = v;
                }
            }
        }
        return out;
    }

    /**
     * Resampling along one axis of {@code n} source pixels, {@code f} source pixels per grid pixel:
     * grid pixel i covers source [i f, (i + 1) f); shrinking (f > 1) averages the source pixels by
     * their overlap, enlarging interpolates linearly between the two nearest source centres.
     */
    record Axis(double f, int n) {
        int first(int i) {
            if (f > 1) {
                return Math.min(n - 1, (int) Math.floor(i * f));
            }
            double c = (i + 0.5) * f - 0.5;
            return Math.max(0, Math.min(n - 1, (int) Math.floor(c)));
        }

        /** One past the last source pixel grid pixel i reads. */
        int end(int i) {
            return first(i) + weights(i).length;
        }

        float[] weights(int i) {
            int j0 = first(i);
            if (f > 1) {
                double lo = i * f;
                double hi = Math.min(n, (i + 1) * f);
                int j1 = Math.max(j0 + 1, Math.min(n, (int) Math.ceil(hi)));
                float[] w = new float[j1 - j0];
                double sum = 0;
                for (int j = j0; j < j1; j++) {
                    double o = Math.max(0, Math.min(j + 1, hi) - Math.max(j, lo));
                    w[j - j0] = (float) o;
                    sum += o;
                }
                if (sum <= 0) {
                    return new float[] {1f}; // past the last source pixel (rounding of the grid's size): repeat it
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (w[k] / sum);
                }
                return w;
            }
            double c = (i + 0.5) * f - 0.5;
            if (c <= 0 || j0 >= n - 1) {
                return new float[] {1f};
            }
            float t = (float) (c - j0);
            return new float[] {1 - t, t};
        }
    }
}
