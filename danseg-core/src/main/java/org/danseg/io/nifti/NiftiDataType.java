package org.danseg.io.nifti;

/** The NIfTI-1 voxel types danseg reads and writes (codes from nifti1.h). */
public enum NiftiDataType {
    UINT8(2, 8), INT16(4, 16), INT32(8, 32), FLOAT32(16, 32), FLOAT64(64, 64), INT8(256, 8), UINT16(512, 16);

    public final int code;
    public final int bits;

    NiftiDataType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    public int bytes() {
        return bits / 8;
    }

    /** The type for a code, or null when danseg does not support it. */
    public static NiftiDataType of(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
