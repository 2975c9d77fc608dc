package org.danseg.config;

/** A volume's slicing axis in voxel order i, j, k = x, y, z. */
public enum Axis {
    X, Y, Z;

    /** 0, 1 or 2: the index into (nx, ny, nz). */
    public int index() {
        return ordinal();
    }
}
