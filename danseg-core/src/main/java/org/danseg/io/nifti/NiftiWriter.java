package org.danseg.io.nifti;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.danseg.io.AtomicFiles;

/**
 * Writes a {@link NiftiVolume} as {@code .nii} or {@code .nii.gz} (by extension), atomically: the
 * source header and extensions byte for byte, except the voxel type, bits per voxel and scaling,
 * which describe the values written (stored as they are: scl_slope 1, scl_inter 0).
 */
public final class NiftiWriter {

    private NiftiWriter() {
    }

    public static void write(NiftiVolume v, NiftiDataType type, Path file) throws IOException {
        byte[] prefix = v.headerAndExtensions().clone();
        ByteBuffer h = ByteBuffer.wrap(prefix).order(v.order());
        h.putShort(70, (short) type.code);
        h.putShort(72, (short) type.bits);
        h.putFloat(108, prefix.length);
        h.putFloat(112, 1f);
        h.putFloat(116, 0f);
        // Display range of the source may not fit the new values.
        h.putFloat(124, 0f);
        h.putFloat(128, 0f);
        boolean gz = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
        AtomicFiles.write(file, target -> {
            GZIPOutputStream zip = gz ? new GZIPOutputStream(target, 1 << 16) : null;
            OutputStream out = new BufferedOutputStream(zip != null ? zip : target, 1 << 16);
            out.write(prefix);
            int chunk = 1 << 16;
            ByteBuffer b = ByteBuffer.allocate(chunk * type.bytes()).order(v.order());
            float[] values = v.values();
            for (int start = 0; start < values.length; start += chunk) {
                b.clear();
                int n = Math.min(chunk, values.length - start);
                for (int i = 0; i < n; i++) {
                    put(b, type, values[start + i], file);
                }
                out.write(b.array(), 0, b.position());
            }
            out.flush();
            if (zip != null) {
                zip.finish();
            }
        });
    }

    private static void put(ByteBuffer b, NiftiDataType type, float value, Path file) throws IOException {
        switch (type) {
            case UINT8 -> b.put((byte) checked(value, 0, 255, type, file));
            case INT8 -> b.put((byte) checked(value, -128, 127, type, file));
            case INT16 -> b.putShort((short) checked(value, Short.MIN_VALUE, Short.MAX_VALUE, type, file));
            case UINT16 -> b.putShort((short) checked(value, 0, 65535, type, file));
            case INT32 -> b.putInt((int) checked(value, Integer.MIN_VALUE, Integer.MAX_VALUE, type, file));
            case FLOAT32 -> b.putFloat(value);
            case FLOAT64 -> b.putDouble(value);
        }
    }

    private static long checked(float value, long min, long max, NiftiDataType type, Path file) throws IOException {
        long r = Math.round(value);
        if (r < min || r > max || r != value) {
            throw new IOException(file + ": value " + value + " cannot be stored as " + type.name().toLowerCase(java.util.Locale.ROOT));
        }
        return r;
    }
}
