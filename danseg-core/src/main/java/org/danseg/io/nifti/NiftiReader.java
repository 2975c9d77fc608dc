package org.danseg.io.nifti;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.danseg.io.ImageFormatException;

/**
 * Reads single-file NIfTI-1 volumes ({@code .nii}, {@code .nii.gz}): both byte orders, the types of
 * {@link NiftiDataType}, scl_slope/scl_inter, up to 4 dimensions with a 4th of size 1. The header is
 * checked before anything large is allocated: impossible or absurd dimensions, unknown types and
 * files shorter than their header claims are refused with a message naming the file.
 */
public final class NiftiReader {
    static final int HEADER_SIZE = 348;
    /** Refuse more voxels than a Java array (and any sensible volume) holds. */
    static final long MAX_VOXELS = Integer.MAX_VALUE - 8;
    static final long MAX_OFFSET = 64L << 20;

    private NiftiReader() {
    }

    public static boolean isNifti(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".nii") || n.endsWith(".nii.gz");
    }

    public static NiftiVolume read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, "no such file");
        }
        boolean gz = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
        long available;
        try {
            available = gz ? gzipDeclaredSize(file) : Files.size(file);
        } catch (IOException e) {
            throw new ImageFormatException(file, "unreadable (" + e.getMessage() + ")", e);
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            byte[] header = new byte[HEADER_SIZE];
            readFully(in, header, file, "header");
            ByteOrder order = byteOrder(header, file);
            ByteBuffer h = ByteBuffer.wrap(header).order(order);
            String magic = new String(header, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
            if (magic.equals("ni1")) {
                throw new ImageFormatException(file, "is the header of a .hdr/.img pair; danseg reads single-file NIfTI (.nii, .nii.gz)");
            }
            if (!magic.equals("n+1")) {
                throw new ImageFormatException(file, "not a NIfTI-1 file (magic '" + magic.replaceAll("[^ -~]", "?") + "')");
            }
            int rank = h.getShort(40);
            if (rank < 1 || rank > 7) {
                throw new ImageFormatException(file, "has an invalid number of dimensions (dim[0] = " + rank + ")");
            }
            long[] dim = new long[8];
            for (int d = 1; d <= 7; d++) {
                dim[d] = d <= rank ? h.getShort(40 + 2 * d) : 1;
                if (dim[d] < 1) {
                    throw new ImageFormatException(file, "has a non-positive size " + dim[d] + " in dimension " + d);
                }
            }
            if (rank > 4 || dim[4] > 1) {
                long extra = dim[4] * dim[5] * dim[6] * dim[7];
                if (extra > 1) {
                    throw new ImageFormatException(file, "holds " + extra + " volumes (a 4D series or more); danseg takes one 3D volume");
                }
            }
            int code = h.getShort(70);
            NiftiDataType type = NiftiDataType.of(code);
            if (type == null) {
                throw new ImageFormatException(file, "has voxel type " + code + ", which danseg does not read (uint8, int8, int16, uint16, int32, float32, float64)");
            }
            long voxels = dim[1] * dim[2] * dim[3];
            if (voxels > MAX_VOXELS) {
                throw new ImageFormatException(file, "claims " + dim[1] + " x " + dim[2] + " x " + dim[3] + " voxels, more than danseg can hold");
            }
            // Checked before the voxels are allocated: a .nii.gz's stated size (ISIZE) is easily wrong, and a
            // 68-byte file claiming 861 M voxels used to allocate 3.4 GB before finding out.
            long heap = Runtime.getRuntime().maxMemory();
            if (voxels * 4 * 2 > heap * 0.8) {
                throw new ImageFormatException(file, String.format(java.util.Locale.ROOT,
                        "is %d x %d x %d voxels: reading it needs about %.1f GB, more than danseg's %.1f GB of memory "
                                + "(raise it with DANSEG_JAVA_OPTS=-Xmx...)", dim[1], dim[2], dim[3], voxels * 8 / 1e9, heap / 1e9));
            }
            long offset = (long) h.getFloat(108);
            if (offset < HEADER_SIZE + 4) {
                offset = HEADER_SIZE + 4; // some writers leave vox_offset 0 in single files; the data then follow the 4 extension bytes
            }
            if (offset > MAX_OFFSET) {
                // The header and its extensions are held in memory; tens of megabytes of extensions mean a damaged header.
                throw new ImageFormatException(file, "has its voxels at byte " + offset + " (vox_offset): a damaged header");
            }
            long bytes = voxels * type.bytes();
            if (available >= 0 && available < offset + bytes) {
                throw new ImageFormatException(file, "header claims " + (offset + bytes) + " bytes but the file holds " + available);
            }
            byte[] prefix = new byte[(int) offset];
            System.arraycopy(header, 0, prefix, 0, HEADER_SIZE);
            byte[] rest = new byte[(int) offset - HEADER_SIZE];
            readFully(in, rest, file, "extensions");
            System.arraycopy(rest, 0, prefix, HEADER_SIZE, rest.length);
            float slope = h.getFloat(112);
            float inter = h.getFloat(116);
            boolean scaled = slope != 0 && !Float.isNaN(slope) && !(slope == 1 && (inter == 0 || Float.isNaN(inter)));
            float[] values = readVoxels(in, (int) voxels, type, order, file);
            if (scaled) {
                float b = Float.isNaN(inter) ? 0 : inter;
                for (int i = 0; i < values.length; i++) {
                    values[i] = values[i] * slope + b;
                }
            }
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    long plane = dim[1] * dim[2];
                    throw new ImageFormatException(file, "has a non-finite voxel value (" + values[i] + " at voxel " + (i % dim[1]) + ","
                            + (i / dim[1] % dim[2]) + "," + (i / plane) + "); replace NaN and infinite values (e.g. by 0) first");
                }
            }
            return new NiftiVolume((int) dim[1], (int) dim[2], (int) dim[3], values, type, prefix, order);
        } catch (java.util.zip.ZipException e) {
            throw new ImageFormatException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (ImageFormatException e) {
            throw e;
        } catch (java.io.EOFException e) {
            throw new ImageFormatException(file, "truncated (it ends before its header or voxels do)", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "unreadable NIfTI (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    private static ByteOrder byteOrder(byte[] header, Path file) throws ImageFormatException {
        int little = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        int big = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (little == HEADER_SIZE) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (big == HEADER_SIZE) {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new ImageFormatException(file, "not a NIfTI-1 file (sizeof_hdr is not 348 in either byte order)");
    }

    private static float[] readVoxels(DataInputStream in, int voxels, NiftiDataType type, ByteOrder order, Path file) throws IOException {
        float[] values = new float[voxels];
        int chunkVoxels = 1 << 18;
        byte[] buf = new byte[chunkVoxels * type.bytes()];
        for (int start = 0; start < voxels; start += chunkVoxels) {
            int n = Math.min(chunkVoxels, voxels - start);
            readFully(in, buf, n * type.bytes(), file);
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n * type.bytes()).order(order);
            for (int i = 0; i < n; i++) {
                values[start + i] = switch (type) {
                    case UINT8 -> b.get() & 0xff;
                    case INT8 -> b.get();
                    case INT16 -> b.getShort();
                    case UINT16 -> b.getShort() & 0xffff;
                    case INT32 -> b.getInt();
                    case FLOAT32 -> b.getFloat();
                    case FLOAT64 -> (float) b.getDouble();
                };
            }
        }
        return values;
    }

    private static void readFully(DataInputStream in, byte[] b, Path file, String what) throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new ImageFormatException(file, "ends inside its " + what);
        }
    }

    private static void readFully(DataInputStream in, byte[] b, int len, Path file) throws IOException {
        try {
            in.readFully(b, 0, len);
        } catch (EOFException e) {
            throw new ImageFormatException(file, "ends before all voxels its header declares");
        }
    }

    /** The uncompressed size a gzip file records in its trailer (modulo 2^32), or -1 when unusable. */
    private static long gzipDeclaredSize(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 18 || size > (1L << 32)) {
            return -1; // trailer size wraps for outputs of 4 GiB or more: rely on EOF checks then
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(size - 4);
            byte[] t = new byte[4];
            f.readFully(t);
            long declared = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            // A multi-member gzip records only its last member: do not trust a size smaller than the header.
            return declared >= HEADER_SIZE ? declared : -1;
        }
    }
}
