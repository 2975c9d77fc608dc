package org.danseg.export;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * NumPy's .npy format, version 1.0, for little-endian float32 arrays: the magic string, the
 * version, a header dictionary (dtype, order, shape) padded so the data starts on a 64-byte
 * boundary, then the values in C order. What bioimage.io's test tensors are.
 */
public final class NpyFile {

    private NpyFile() {
    }

    public static byte[] float32(float[] values, long... shape) {
        long n = 1;
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            n *= d;
            dims.append(d).append(", ");
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + (shape.length == 1 ? dims : dims.substring(0, dims.length() - 2)) + "), }";
        int unpadded = 10 + dict.length() + 1;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(h.length & 0xff);
        out.write(h.length >> 8);
        out.writeBytes(h);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        out.writeBytes(data.array());
        return out.toByteArray();
    }
}
