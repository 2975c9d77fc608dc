package org.danseg.io.slide;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A slide-sized label image (one byte a pixel, row-major) kept in a temporary file, not in memory:
 * prediction appends finished rows top to bottom, the writers read regions back. A 40 000 x 40 000
 * slide is 1.6 GB here and a few kilobytes of heap. Deleted on close.
 */
public final class LabelRaster implements AutoCloseable {
    private final Path file;
    private final RandomAccessFile data;
    private final int width;
    private final int height;
    private int rowsWritten;

    public LabelRaster(Path folder, int width, int height) throws IOException {
        this.file = Files.createTempFile(folder, ".danseg-labels-", ".raw");
        this.data = new RandomAccessFile(file.toFile(), "rw");
        this.width = width;
        this.height = height;
        data.setLength((long) width * height);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Appends the next {@code rows} rows; labels must be 0..255. */
    public void append(int y0, int rows, int[] labels) throws IOException {
        if (y0 != rowsWritten || labels.length != rows * width) {
            throw new IllegalStateException("rows " + y0 + ".. arrive out of order (next " + rowsWritten + ")");
        }
        byte[] row = new byte[rows * width];
        for (int i = 0; i < row.length; i++) {
            int l = labels[i];
            if (l < 0 || l > 255) {
                throw new IllegalArgumentException("label " + l + " does not fit a byte");
            }
            row[i] = (byte) l;
        }
        data.seek((long) y0 * width);
        data.write(row);
        rowsWritten += rows;
    }

    /**
     * Labels of the region (x, y, w, h) of the image downsampled by {@code step} (nearest: pixel
     * (i, j) is level-0 pixel (i * step, j * step)), as unsigned bytes row-major.
     */
    public synchronized byte[] read(int x, int y, int w, int h, int step) throws IOException {
        byte[] out = new byte[w * h];
        if (step == 1) {
            byte[] row = new byte[w];
            for (int j = 0; j < h; j++) {
                data.seek((long) (y + j) * width + x);
                data.readFully(row);
                System.arraycopy(row, 0, out, j * w, w);
            }
            return out;
        }
        int span = (w - 1) * step + 1;
        byte[] row = new byte[span];
        for (int j = 0; j < h; j++) {
            data.seek((long) (y + j) * step * width + (long) x * step);
            data.readFully(row);
            for (int i = 0; i < w; i++) {
                out[j * w + i] = row[i * step];
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        data.close();
        Files.deleteIfExists(file);
    }
}
