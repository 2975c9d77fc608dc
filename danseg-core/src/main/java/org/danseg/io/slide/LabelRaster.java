package org.danseg.io.slide;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A slide-sized label image (one byte a pixel, row-major) kept in a temporary file, not in memory:
 * prediction appends finished rows top to bottom, the writers read regions back. Each row
 * remembers the columns that hold its non-zero labels, and only those are written (the file is
 * sparse, its holes read as zeros) or read back: on a slide that is mostly glass the raster costs
 * the tissue, not the slide's area (a 40 000 x 40 000 slide would be 1.6 GB written and read). A
 * few hundred kilobytes of heap; deleted on close.
 */
public final class LabelRaster implements AutoCloseable {
    private final Path file;
    private final RandomAccessFile data;
    private final int width;
    private final int height;
    // Row y's non-zero labels lie in columns [from[y], to[y]); from == to: the row is all background.
    private final int[] from;
    private final int[] to;
    private int rowsWritten;
    private long foreground;

    public LabelRaster(Path folder, int width, int height) throws IOException {
        this.file = Files.createTempFile(folder, ".danseg-labels-", ".raw");
        this.data = new RandomAccessFile(file.toFile(), "rw");
        this.width = width;
        this.height = height;
        this.from = new int[height];
        this.to = new int[height];
        data.setLength((long) width * height);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Appends the next {@code rows} whole rows; labels must be 0..255. */
    public void append(int y0, int rows, int[] labels) throws IOException {
        append(y0, rows, 0, width, labels);
    }

    /**
     * Appends the next {@code rows} rows given for columns {@code x0 .. x0 + columns - 1} only
     * ({@code labels[r * columns + i]}); every other pixel of these rows is background (0).
     */
    public void append(int y0, int rows, int x0, int columns, int[] labels) throws IOException {
        if (y0 != rowsWritten) {
            throw new IllegalStateException("rows " + y0 + ".. arrive out of order (next " + rowsWritten + ")");
        }
        if (x0 < 0 || columns < 0 || x0 + columns > width || labels.length < rows * columns) {
            throw new IllegalArgumentException("columns " + x0 + ".." + (x0 + columns) + " of " + rows + " rows do not fit a raster "
                    + width + " wide with " + labels.length + " labels");
        }
        byte[] row = new byte[columns];
        for (int r = 0; r < rows; r++) {
            int lo = columns;
            int hi = 0;
            for (int i = 0; i < columns; i++) {
                int l = labels[r * columns + i];
                if (l < 0 || l > 255) {
                    throw new IllegalArgumentException("label " + l + " does not fit a byte");
                }
                if (l != 0) {
                    lo = Math.min(lo, i);
                    hi = i + 1;
                    foreground++;
                }
                row[i] = (byte) l;
            }
            int y = y0 + r;
            if (lo < hi) {
                data.seek((long) y * width + x0 + lo);
                data.write(row, lo, hi - lo);
                from[y] = x0 + lo;
                to[y] = x0 + hi;
            }
        }
        rowsWritten += rows;
    }

    /**
     * Rows before {@code y} are not this raster's to fill (a part of a slide predicted apart, whose
     * rows start there); they stay background. Only before any row is appended.
     */
    public void startAt(int y) {
        if (rowsWritten != 0 || y < 0 || y > height) {
            throw new IllegalStateException("a raster starts at row " + y + " only before any row arrives (next " + rowsWritten + ")");
        }
        rowsWritten = y;
    }

    /** How many pixels appended so far hold a non-zero label. */
    public long foreground() {
        return foreground;
    }

    /** The next row to be appended. */
    public int rowsWritten() {
        return rowsWritten;
    }

    private static final int PART_MAGIC = 0x44534c42; // "DSLB"

    /**
     * Rows {@code y0 .. y1 - 1} as a part file (big-endian: "DSLB", width, y0, y1, then per row the
     * columns holding labels, from and to, and those labels): what a machine that predicted a part
     * of a slide hands to the one that writes its mask.
     */
    public void writeRows(int y0, int y1, OutputStream out) throws IOException {
        if (y0 < 0 || y1 > rowsWritten || y0 > y1) {
            throw new IllegalArgumentException("rows " + y0 + ".." + y1 + " are not finished (next " + rowsWritten + ")");
        }
        DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
        d.writeInt(PART_MAGIC);
        d.writeInt(width);
        d.writeInt(y0);
        d.writeInt(y1);
        byte[] row = new byte[0];
        for (int y = y0; y < y1; y++) {
            d.writeInt(from[y]);
            d.writeInt(to[y]);
            int n = to[y] - from[y];
            if (n > 0) {
                row = row.length < n ? new byte[n] : row;
                data.seek((long) y * width + from[y]);
                data.readFully(row, 0, n);
                d.write(row, 0, n);
            }
        }
        d.flush();
    }

    /**
     * Appends the rows of a part file written by {@link #writeRows}; they must be the next rows and
     * the raster as wide. {@code name} names the part in errors.
     */
    public void appendRows(InputStream in, String name) throws IOException {
        DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
        try {
            if (d.readInt() != PART_MAGIC) {
                throw new IOException(name + ": not a danseg label part");
            }
            int w = d.readInt();
            int y0 = d.readInt();
            int y1 = d.readInt();
            if (w != width || y0 != rowsWritten || y1 < y0 || y1 > height) {
                throw new IOException(name + ": holds rows " + y0 + ".." + y1 + " of a raster " + w + " wide; expected rows from " + rowsWritten
                        + " of one " + width + " wide and " + height + " high");
            }
            byte[] row = new byte[0];
            for (int y = y0; y < y1; y++) {
                int f = d.readInt();
                int t = d.readInt();
                if (f < 0 || t > width || f > t) {
                    throw new IOException(name + ": row " + y + " has columns " + f + ".." + t + " outside 0.." + width);
                }
                int n = t - f;
                if (n > 0) {
                    row = row.length < n ? new byte[n] : row;
                    d.readFully(row, 0, n);
                    data.seek((long) y * width + f);
                    data.write(row, 0, n);
                    for (int i = 0; i < n; i++) {
                        foreground += row[i] != 0 ? 1 : 0;
                    }
                }
                from[y] = n > 0 ? f : 0;
                to[y] = n > 0 ? t : 0;
            }
            rowsWritten = y1;
        } catch (java.io.EOFException e) {
            throw new IOException(name + ": ends early (a truncated label part)");
        }
    }

    /** The first column of row {@code y} that may hold a non-zero label (all before it are 0). */
    public int from(int y) {
        return from[y];
    }

    /** One past the last column of row {@code y} that may hold a non-zero label; equal to {@link #from}: the row is all 0. */
    public int to(int y) {
        return to[y];
    }

    /**
     * Labels of the region (x, y, w, h) of the image downsampled by {@code step} (nearest: pixel
     * (i, j) is level-0 pixel (i * step, j * step)), as unsigned bytes row-major. Only the columns
     * of each row that hold labels are read from the file.
     */
    public synchronized byte[] read(int x, int y, int w, int h, int step) throws IOException {
        byte[] out = new byte[w * h];
        byte[] row = new byte[0];
        for (int j = 0; j < h; j++) {
            int sy = (y + j) * step;
            // Output columns i whose source column (x + i) * step lies in [from, to).
            int i0 = Math.max(0, ceilDiv(from[sy], step) - x);
            int i1 = Math.min(w, ceilDiv(to[sy], step) - x);
            if (i0 >= i1) {
                continue;
            }
            int span = (i1 - i0 - 1) * step + 1;
            if (row.length < span) {
                row = new byte[span];
            }
            data.seek((long) sy * width + (long) (x + i0) * step);
            data.readFully(row, 0, span);
            if (step == 1) {
                System.arraycopy(row, 0, out, j * w + i0, i1 - i0);
            } else {
                for (int i = i0; i < i1; i++) {
                    out[j * w + i] = row[(i - i0) * step];
                }
            }
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public void close() throws IOException {
        data.close();
        Files.deleteIfExists(file);
    }
}
