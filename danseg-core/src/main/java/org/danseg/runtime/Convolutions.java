package org.danseg.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The one place danseg runs the engine's 2D convolution. Where the numerics guard found oneDNN's
 * kernels wrong for channel counts that leave a partial 16-channel block (docs/reliability.md), the
 * convolution runs on aligned counts instead: output channels padded with zero filters to a multiple
 * of 16 and cut off again, input channels above 8 padded with zero planes to a multiple of 16. The
 * result and its gradients are the same linear map; only oneDNN sees other shapes.
 */
public final class Convolutions {
    /** oneDNN's channel block on AVX-512 (a multiple of AVX2's 8). */
    static final int BLOCK = 16;
    private static volatile boolean alignChannels;

    private Convolutions() {
    }

    /** Whether channel counts are aligned now (the guard's decision). */
    public static boolean aligningChannels() {
        return alignChannels;
    }

    static void alignChannels(boolean on) {
        alignChannels = on;
    }

    /** Conv2d.conv2d with bias (or null), stride, padding, dilation and groups 1. */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape padding, Shape dilation) {
        if (!alignChannels) {
            return Conv2d.conv2d(x, w, bias, stride, padding, dilation, 1).singletonOrThrow();
        }
        Shape ws = w.getShape();
        long out = ws.get(0);
        long in = ws.get(1);
        long alignedOut = roundUp(out);
        long alignedIn = in <= 8 ? in : roundUp(in);
        // Everything made here belongs to the input's manager (the iteration's or the batch's): made on the
        // weights' manager it would live as long as the model.
        NDManager m = x.getManager();
        NDArray xa = x;
        NDArray wa = w;
        NDArray ba = bias;
        if (alignedIn != in) {
            Shape xs = x.getShape();
            xa = NDArrays.concat(new NDList(x, m.zeros(new Shape(xs.get(0), alignedIn - in, xs.get(2), xs.get(3)), x.getDataType())), 1);
            wa = movedTo(NDArrays.concat(new NDList(w, m.zeros(new Shape(out, alignedIn - in, ws.get(2), ws.get(3)), w.getDataType())), 1), m);
        }
        if (alignedOut != out) {
            wa = movedTo(NDArrays.concat(new NDList(wa, m.zeros(new Shape(alignedOut - out, alignedIn, ws.get(2), ws.get(3)), w.getDataType())), 0), m);
            if (bias != null) {
                ba = movedTo(NDArrays.concat(new NDList(bias, m.zeros(new Shape(alignedOut - out), bias.getDataType())), 0), m);
            }
        }
        NDArray y = Conv2d.conv2d(xa, wa, ba, stride, padding, dilation, 1).singletonOrThrow();
        return alignedOut == out ? y : y.get(":, 0:" + out);
    }

    /** An op's result belongs to its first input's manager: moved to {@code m}. */
    private static NDArray movedTo(NDArray a, NDManager m) {
        a.attach(m);
        return a;
    }

    private static long roundUp(long channels) {
        return (channels + BLOCK - 1) / BLOCK * BLOCK;
    }
}
