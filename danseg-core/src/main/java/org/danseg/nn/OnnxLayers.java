package org.danseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.danseg.nn.onnx.OnnxGraph;

/**
 * The blocks of {@link Layers} as ONNX nodes, in inference form: BatchNorm folded into the
 * convolution before it (weights scaled by gamma / sqrt(var + eps), bias beta - mean * that
 * scale), {@link UpConv} as a 1x1 convolution and DepthToSpace in CRD order (the same
 * rearrangement as its reshape-transpose-reshape).
 */
final class OnnxLayers {
    /** DJL's BatchNorm default, which every BatchNorm of danseg's networks uses. */
    private static final double BN_EPSILON = 1e-5;

    private OnnxLayers() {
    }

    /** A linear operation waiting for a BatchNorm that may follow it: weights (O, I, k, k), bias (O) or null, and the UpConv scale (1 for a plain convolution). */
    private static final class Pending {
        float[] weight;
        long[] shape;
        float[] bias;
        int scale;

        Pending(float[] weight, long[] shape, float[] bias, int scale) {
            this.weight = weight;
            this.shape = shape;
            this.bias = bias;
            this.scale = scale;
        }
    }

    /** The children of a block built by {@link Layers}: convolutions, BatchNorms, ReLUs and a leading max-pool. */
    static String sequence(OnnxGraph g, SequentialBlock block, String x) {
        Pending pending = null;
        boolean first = true;
        for (var child : block.getChildren()) {
            Block b = child.getValue();
            if (b instanceof BatchNorm bn) {
                fold(pending, bn);
            } else {
                x = emit(g, pending, x);
                pending = null;
                if (b instanceof Conv2d conv) {
                    pending = pending(conv, 1);
                } else if (b instanceof UpConv up) {
                    pending = pending(up.conv(), up.scale());
                } else if (b instanceof LambdaBlock && first) {
                    x = maxPool(g, x); // VggStages: a stage after the first starts with its pool
                } else if (b instanceof LambdaBlock) {
                    x = g.node("Relu", List.of(x));
                } else {
                    throw new IllegalStateException("no ONNX form for " + b.getClass().getSimpleName());
                }
            }
            first = false;
        }
        return emit(g, pending, x);
    }

    static String maxPool(OnnxGraph g, String x) {
        return g.node("MaxPool", List.of(x), "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2});
    }

    /** A convolution on its own (with its bias, if any). */
    static String conv(OnnxGraph g, Conv2d conv, String x) {
        return emit(g, pending(conv, 1), x);
    }

    static String upConv(OnnxGraph g, UpConv up, String x) {
        return emit(g, pending(up.conv(), up.scale()), x);
    }

    private static Pending pending(Conv2d conv, int scale) {
        NDArray w = conv.getParameters().get("weight").getArray();
        Parameter bias = conv.getParameters().get("bias");
        return new Pending(w.toFloatArray(), w.getShape().getShape(), bias == null ? null : bias.getArray().toFloatArray(), scale);
    }

    private static void fold(Pending p, BatchNorm bn) {
        if (p == null) {
            throw new IllegalStateException("a BatchNorm without a convolution before it has no folded form");
        }
        float[] gamma = bn.getParameters().get("gamma").getArray().toFloatArray();
        float[] beta = bn.getParameters().get("beta").getArray().toFloatArray();
        float[] mean = bn.getParameters().get("runningMean").getArray().toFloatArray();
        float[] var = bn.getParameters().get("runningVar").getArray().toFloatArray();
        int outputs = (int) p.shape[0];
        int perOutput = p.weight.length / outputs;
        int group = p.scale * p.scale; // UpConv: BN channel c scales conv outputs c*s*s .. c*s*s + s*s - 1
        float[] bias = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            int c = o / group;
            double scale = gamma[c] / Math.sqrt(var[c] + BN_EPSILON);
            for (int i = 0; i < perOutput; i++) {
                p.weight[o * perOutput + i] = (float) (p.weight[o * perOutput + i] * scale);
            }
            double before = p.bias == null ? 0 : p.bias[o];
            bias[o] = (float) ((before - mean[c]) * scale + beta[c]);
        }
        p.bias = bias;
    }

    private static String emit(OnnxGraph g, Pending p, String x) {
        if (p == null) {
            return x;
        }
        long k = p.shape[2];
        String w = g.constant("w", p.weight, p.shape);
        List<String> in = p.bias == null ? List.of(x, w) : List.of(x, w, g.constant("b", p.bias, p.shape[0]));
        long pad = (k - 1) / 2;
        String y = g.node("Conv", in, "kernel_shape", new long[] {k, p.shape[3]}, "pads", new long[] {pad, pad, pad, pad});
        return p.scale == 1 ? y : g.node("DepthToSpace", List.of(y), "blocksize", (long) p.scale, "mode", "CRD");
    }
}
