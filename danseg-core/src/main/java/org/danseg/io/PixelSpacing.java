package org.danseg.io;

/**
 * Physical size of one pixel. Files that carry no physical size get {@link #UNIT}: distances are
 * then in pixels, and every report says which.
 */
public record PixelSpacing(double x, double y, String unit) {
    public static final PixelSpacing UNIT = new PixelSpacing(1.0, 1.0, "px");

    public PixelSpacing {
        if (!(x > 0) || !(y > 0) || Double.isInfinite(x) || Double.isInfinite(y)) {
            throw new IllegalArgumentException("pixel spacing must be positive and finite: " + x + " x " + y);
        }
    }

    public static PixelSpacing millimetres(double x, double y) {
        return new PixelSpacing(x, y, "mm");
    }

}
