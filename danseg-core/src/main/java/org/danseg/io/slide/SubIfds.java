package org.danseg.io.slide;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The reduced levels an OME-TIFF keeps as SubIFDs (tag 330 of the first page: the pyramid QuPath,
 * bfconvert and tifffile write). TwelveMonkeys' reader parses them as metadata but decodes only the
 * pages of the main chain, so each SubIFD is read through {@link #stream}: the file as it is but for
 * its header, which names that SubIFD as the first page (tile offsets are absolute, so its tiles are
 * found where they are).
 */
final class SubIfds {
    static final int TAG_SUB_IFDS = 330;
    /** More would be a damaged file: a pyramid halves down to a tile in at most ~20 levels. */
    private static final int MAX_SUB_IFDS = 64;

    private SubIfds() {
    }

    /** The SubIFD offsets of the first page, in file order (empty when it has none or the file is no TIFF). */
    static List<Long> of(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length < 16) {
                return List.of();
            }
            byte[] head = new byte[16];
            f.readFully(head);
            ByteOrder order = head[0] == 'I' && head[1] == 'I' ? ByteOrder.LITTLE_ENDIAN : head[0] == 'M' && head[1] == 'M' ? ByteOrder.BIG_ENDIAN : null;
            if (order == null) {
                return List.of();
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(order);
            int magic = h.getShort(2) & 0xffff;
            boolean big = magic == 43;
            if (magic != 42 && !big) {
                return List.of();
            }
            long ifd = big ? h.getLong(8) : h.getInt(4) & 0xffffffffL;
            int countSize = big ? 8 : 2;
            int entrySize = big ? 20 : 12;
            if (ifd <= 0 || ifd + countSize > length) {
                return List.of();
            }
            f.seek(ifd);
            byte[] countBytes = new byte[countSize];
            f.readFully(countBytes);
            ByteBuffer c = ByteBuffer.wrap(countBytes).order(order);
            long entries = big ? c.getLong(0) : c.getShort(0) & 0xffff;
            if (entries < 0 || ifd + countSize + entries * entrySize > length || entries > 10_000) {
                return List.of();
            }
            byte[] table = new byte[(int) entries * entrySize];
            f.readFully(table);
            ByteBuffer t = ByteBuffer.wrap(table).order(order);
            for (int i = 0; i < entries; i++) {
                int at = i * entrySize;
                if ((t.getShort(at) & 0xffff) != TAG_SUB_IFDS) {
                    continue;
                }
                int type = t.getShort(at + 2) & 0xffff;
                long count = big ? t.getLong(at + 4) : t.getInt(at + 4) & 0xffffffffL;
                // LONG or IFD (4 bytes), LONG8 or IFD8 (8 bytes).
                int size = type == 4 || type == 13 ? 4 : type == 16 || type == 18 ? 8 : 0;
                if (size == 0 || count < 1 || count > MAX_SUB_IFDS) {
                    return List.of();
                }
                int inline = big ? 8 : 4;
                ByteBuffer values;
                if (count * size <= inline) {
                    values = ByteBuffer.wrap(table, at + (big ? 12 : 8), inline).slice().order(order);
                } else {
                    long offset = big ? t.getLong(at + 12) : t.getInt(at + 8) & 0xffffffffL;
                    if (offset < 0 || offset + count * size > length) {
                        return List.of();
                    }
                    byte[] v = new byte[(int) (count * size)];
                    f.seek(offset);
                    f.readFully(v);
                    values = ByteBuffer.wrap(v).order(order);
                }
                List<Long> out = new ArrayList<>();
                for (int k = 0; k < count; k++) {
                    long o = size == 4 ? values.getInt(k * 4) & 0xffffffffL : values.getLong(k * 8);
                    if (o > 0 && o < length) {
                        out.add(o);
                    }
                }
                return out;
            }
            return List.of();
        }
    }

    /** The file with its header naming the IFD at {@code ifd} as its first (and, for a SubIFD, only) page. */
    static ImageInputStream stream(Path file, long ifd) throws IOException {
        return new HeaderPointingAt(new FileImageInputStream(file.toFile()), ifd);
    }

    /** Reads through to the file; the first-page offset in the header reads as another IFD's. */
    private static final class HeaderPointingAt extends ImageInputStreamImpl {
        private final ImageInputStream file;
        private final byte[] header;
        private final byte[] one = new byte[1];

        HeaderPointingAt(ImageInputStream file, long ifd) throws IOException {
            this.file = file;
            byte[] head = new byte[16];
            file.seek(0);
            file.readFully(head);
            ByteOrder order = head[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            ByteBuffer h = ByteBuffer.wrap(head).order(order);
            if ((h.getShort(2) & 0xffff) == 43) {
                h.putLong(8, ifd);
                header = head;
            } else {
                h.putInt(4, (int) ifd);
                header = java.util.Arrays.copyOf(head, 8);
            }
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            file.seek(streamPos);
            int n = file.read(b, off, len);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n && streamPos + i < header.length; i++) {
                b[off + i] = header[(int) (streamPos + i)];
            }
            bitOffset = 0;
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            try {
                return file.length();
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            super.close();
            file.close();
        }
    }
}
