package org.danseg.io;

/**
 * A 2D image as read from disk: raw sample values (not normalized) as floats in channel-major
 * (C, H, W) order, the layout a tensor wants. {@code maxValue} is the largest value the sample
 * type can hold (255 for 8-bit, 65535 for 16-bit), so callers can scale to [0, 1] without guessing.
 */
public record Image2D(int width, int height, int channels, float[] data, double maxValue, PixelSpacing spacing) {

    public Image2D {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width);
        }
        if (data.length != (long) width * height * channels) {
            throw new IllegalArgumentException("data length " + data.length + " does not match " + channels + "x" + height + "x" + width);
        }
    }

    public float get(int channel, int y, int x) {
        return data[(channel * height + y) * width + x];
    }

    public int pixelCount() {
        return width * height;
    }
}
