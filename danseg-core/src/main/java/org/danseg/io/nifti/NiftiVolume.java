package org.danseg.io.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 3D NIfTI-1 volume: voxel values (after scl_slope/scl_inter) in the file's voxel order (i fastest,
 * then j, then k), and the file's header and extensions kept byte for byte so that outputs carry
 * pixdim, qform, sform and everything else unchanged.
 */
public record NiftiVolume(int nx, int ny, int nz, float[] values, NiftiDataType storedType, byte[] headerAndExtensions, ByteOrder order) {

    /** A new volume with a minimal little-endian header: the given voxel sizes in mm, no qform/sform. */
    public static NiftiVolume blank(int nx, int ny, int nz, double sx, double sy, double sz, NiftiDataType type) {
        ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 348);
        short[] dim = {3, (short) nx, (short) ny, (short) nz, 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            h.putShort(40 + 2 * i, dim[i]);
        }
        h.putShort(70, (short) type.code);
        h.putShort(72, (short) type.bits);
        h.putFloat(76, 1f);
        h.putFloat(80, (float) sx);
        h.putFloat(84, (float) sy);
        h.putFloat(88, (float) sz);
        h.putFloat(108, 352f);
        h.putFloat(112, 1f);
        h.put(123, (byte) 2); // xyzt_units: millimetres
        h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        return new NiftiVolume(nx, ny, nz, new float[nx * ny * nz], type, h.array(), ByteOrder.LITTLE_ENDIAN);
    }

    public int index(int i, int j, int k) {
        return (k * ny + j) * nx + i;
    }

    public float get(int i, int j, int k) {
        return values[index(i, j, k)];
    }

    private ByteBuffer header() {
        return ByteBuffer.wrap(headerAndExtensions).order(order);
    }

    /** Voxel size along i, j, k (pixdim[1..3]), in the file's spatial unit (usually mm). */
    public double[] spacing() {
        ByteBuffer h = header();
        return new double[] {Math.abs(h.getFloat(80)), Math.abs(h.getFloat(84)), Math.abs(h.getFloat(88))};
    }

    public int qformCode() {
        return header().getShort(252);
    }

    public int sformCode() {
        return header().getShort(254);
    }

    /** The sform rows (srow_x, srow_y, srow_z), 12 values. */
    public float[] sform() {
        ByteBuffer h = header();
        float[] s = new float[12];
        for (int i = 0; i < 12; i++) {
            s[i] = h.getFloat(280 + 4 * i);
        }
        return s;
    }

    /** The quaternion parameters b, c, d and offsets x, y, z of the qform. */
    public float[] qform() {
        ByteBuffer h = header();
        float[] q = new float[6];
        for (int i = 0; i < 6; i++) {
            q[i] = h.getFloat(256 + 4 * i);
        }
        return q;
    }

    /**
     * Why this volume cannot be a label map (null when it can): labels are whole numbers from 0 to
     * {@code maxLabel}; anything else is most likely an intensity image given as labels.
     */
    public String labelProblem(long maxLabel) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v != Math.rint(v) || v < 0 || v > maxLabel) {
                String where = " at voxel " + (i % nx) + "," + (i / nx % ny) + "," + (i / ((long) nx * ny));
                return v != Math.rint(v) ? "holds a non-integer value (" + v + where + "); a label volume holds whole numbers: is it an intensity image?"
                        : v < 0 ? "holds a negative label (" + (long) v + where + ")"
                        : "holds the label " + (long) v + where + "; labels above " + maxLabel + " are not supported here";
            }
        }
        return null;
    }

    /**
     * Why {@code other} does not lie in this volume's space (null when it does): the same voxel
     * grid, voxel size and, where both state one, the same sform/qform.
     */
    public String spaceMismatch(NiftiVolume other) {
        if (nx != other.nx || ny != other.ny || nz != other.nz) {
            return other.nx + "x" + other.ny + "x" + other.nz + " voxels, not " + nx + "x" + ny + "x" + nz;
        }
        double[] a = spacing();
        double[] b = other.spacing();
        for (int d = 0; d < 3; d++) {
            if (Math.abs(a[d] - b[d]) > 1e-3 * Math.max(1e-6, Math.max(a[d], b[d]))) {
                return "voxel size " + java.util.Arrays.toString(b) + " differs from " + java.util.Arrays.toString(a);
            }
        }
        if (sformCode() > 0 && other.sformCode() > 0 && !close(sform(), other.sform())) {
            return "its sform (voxel-to-world affine) differs";
        }
        if (qformCode() > 0 && other.qformCode() > 0 && !close(qform(), other.qform())) {
            return "its qform (voxel-to-world transform) differs";
        }
        return null;
    }

    private static boolean close(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-3 * Math.max(1.0, Math.abs(a[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The same geometry and header with other values (for example a segmentation of this volume). */
    public NiftiVolume withValues(float[] newValues, NiftiDataType type) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException("expected " + values.length + " voxels, got " + newValues.length);
        }
        return new NiftiVolume(nx, ny, nz, newValues, type, headerAndExtensions, order);
    }
}
