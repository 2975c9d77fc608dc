package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Copies between tensors inside PyTorch. DJL's {@code copyTo} goes through a Java buffer and
 * rebinds the target's storage to it ({@code set(toByteBuffer())}): the target then lives in Java
 * memory, the hazard that once corrupted training (DJL_NOTES.md). A slice assignment is PyTorch's
 * own {@code copy_}: the target keeps its PyTorch-owned storage.
 */
final class InPlace {
    private static final NDIndex ALL = new NDIndex(":");

    private InPlace() {
    }

    /** Overwrites {@code target}'s values with {@code source}'s (same shape), in PyTorch memory. */
    static void copy(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("copy of " + source.getShape() + " into " + target.getShape());
        }
        target.set(ALL, source);
    }
}
