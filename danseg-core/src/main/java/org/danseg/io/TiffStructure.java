package org.danseg.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A look at a classic TIFF's directories before a decoder sees them: a 180-byte file whose tags
 * claim 348 million values, or 16 387 samples per pixel, made the TIFF decoder allocate gigabytes
 * (found by fuzzing). Every tag's values must fit in the file, and an image danseg reads has 1 to 4
 * samples per pixel. BigTIFF and other formats pass through unchecked.
 */
final class TiffStructure {
    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int MAX_DIRECTORIES = 10_000;

    private TiffStructure() {
    }

    static void check(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length < 8) {
                return;
            }
            byte[] head = new byte[8];
            f.readFully(head);
            ByteOrder order;
            if (head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0) {
                order = ByteOrder.LITTLE_ENDIAN;
            } else if (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42) {
                order = ByteOrder.BIG_ENDIAN;
            } else {
                return;
            }
            long ifd = ByteBuffer.wrap(head, 4, 4).order(order).getInt() & 0xffffffffL;
            Set<Long> seen = new HashSet<>();
            while (ifd != 0) {
                if (ifd + 2 > length || !seen.add(ifd) || seen.size() > MAX_DIRECTORIES) {
                    throw new ImageFormatException(file, "is a damaged TIFF (directory at byte " + ifd + " is outside the file or repeats)");
                }
                f.seek(ifd);
                byte[] countBytes = new byte[2];
                f.readFully(countBytes);
                int entries = ByteBuffer.wrap(countBytes).order(order).getShort() & 0xffff;
                if (ifd + 2 + 12L * entries + 4 > length) {
                    throw new ImageFormatException(file, "is a truncated TIFF (a directory of " + entries + " tags runs past the end)");
                }
                byte[] table = new byte[12 * entries + 4];
                f.readFully(table);
                ByteBuffer b = ByteBuffer.wrap(table).order(order);
                for (int i = 0; i < entries; i++) {
                    int tag = b.getShort(12 * i) & 0xffff;
                    int type = b.getShort(12 * i + 2) & 0xffff;
                    long count = b.getInt(12 * i + 4) & 0xffffffffL;
                    long size = type < TYPE_SIZES.length ? TYPE_SIZES[type] : 0;
                    if (size > 0 && count * size > length) {
                        throw new ImageFormatException(file, "is a damaged TIFF (tag " + tag + " claims " + count + " values, more than the file holds)");
                    }
                    if (tag == SAMPLES_PER_PIXEL && count == 1 && type == 3) {
                        int samples = b.getShort(12 * i + 8) & 0xffff;
                        if (samples < 1 || samples > 4) {
                            throw new ImageFormatException(file, "has " + samples + " samples per pixel; danseg reads grey or RGB images (1-4)");
                        }
                    }
                }
                ifd = b.getInt(12 * entries) & 0xffffffffL;
            }
        }
    }
}
