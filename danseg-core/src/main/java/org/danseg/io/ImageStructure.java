package org.danseg.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A look at a file's structure before an ImageIO decoder sees it, where a few bytes can make a
 * decoder allocate gigabytes (found by fuzzing): a 180-byte TIFF whose tags claimed 348 million values
 * and 16 387 samples per pixel; a 64-byte BMP holding "JPEG" data with 24 141 bits per pixel. In a
 * classic TIFF every tag's values must fit in the file and a pixel has 1 to 4 samples; a BMP must be
 * uncompressed, RLE or bit-field coded with a plain bit depth. Other formats pass through unchecked.
 */
public final class ImageStructure {
    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int MAX_DIRECTORIES = 10_000;

    private ImageStructure() {
    }

    public static void check(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length >= 2) {
                byte[] magic = new byte[2];
                f.readFully(magic);
                if (magic[0] == 'B' && magic[1] == 'M') {
                    checkBmp(f, file);
                    return;
                }
                f.seek(0);
            }
            checkTiff(f, file, length);
        }
    }

    /** BITMAPINFOHEADER fields: planes 1, a plain bit depth, no embedded JPEG/PNG (compression 4, 5). */
    private static void checkBmp(RandomAccessFile f, Path file) throws IOException {
        if (f.length() < 34) {
            return; // the decoder reports the truncation itself
        }
        byte[] h = new byte[34];
        f.seek(0);
        f.readFully(h);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int headerSize = b.getInt(14);
        if (headerSize < 40) {
            return; // the old 12-byte OS/2 header has no compression field
        }
        int planes = b.getShort(26) & 0xffff;
        int bits = b.getShort(28) & 0xffff;
        int compression = b.getInt(30);
        boolean plainBits = bits == 1 || bits == 4 || bits == 8 || bits == 16 || bits == 24 || bits == 32;
        if (planes != 1 || !plainBits || compression < 0 || compression > 3 && compression != 6) {
            throw new ImageFormatException(file, "is a BMP danseg does not read (planes " + planes + ", " + bits + " bits per pixel, compression "
                    + compression + "); save it as PNG or TIFF");
        }
    }

    private static void checkTiff(RandomAccessFile f, Path file, long length) throws IOException {
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
                if (tag == SAMPLES_PER_PIXEL && count == 1) {
                    // Any integer type: a fuzzed file stored 16 121 856 samples per pixel as a signed long.
                    long samples = type == 3 || type == 8 ? b.getShort(12 * i + 8) & 0xffff
                            : type == 4 || type == 9 ? b.getInt(12 * i + 8) & 0xffffffffL
                            : type == 1 || type == 6 ? b.get(12 * i + 8) & 0xff : -1;
                    if (samples < 1 || samples > 4) {
                        throw new ImageFormatException(file, "has " + samples + " samples per pixel; danseg reads grey or RGB images (1-4)");
                    }
                }
            }
            ifd = b.getInt(12 * entries) & 0xffffffffL;
        }
    }
}
