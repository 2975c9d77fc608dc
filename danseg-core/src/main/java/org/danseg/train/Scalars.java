package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic inside an autograd graph. DJL turns {@code x.mul(2f)} into a 0-d tensor
 * over a Java direct buffer, closes it after the operation, and Java frees the buffer at its next
 * garbage collection; autograd keeps that scalar for the backward pass of mul, div and maximum, so a
 * collection between forward and backward made the backward pass read freed memory: random NaN
 * weights in runs that were identical up to that iteration (measured 2026-11-29; RecipeTest and
 * LossesScalarTest fail without this). {@code full} makes the constant in PyTorch's own memory.
 */
final class Scalars {

    private Scalars() {
    }

    /** A 0-d tensor holding {@code value}, with {@code like}'s manager, device and type. */
    static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
