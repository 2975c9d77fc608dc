package org.danseg.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;

/**
 * A segmentation network: (B, C, H, W) image -> (B, K, H, W) class logits (softmax is applied by
 * the caller). H and W must be multiples of {@link #sizeMultiple()}; callers pad and crop.
 */
public abstract class SegmentationNet extends AbstractBlock {
    protected final int inChannels;
    protected final int classes;

    protected SegmentationNet(int inChannels, int classes) {
        this.inChannels = inChannels;
        this.classes = classes;
    }

    /** Input sides must be multiples of this (the network's total downsampling). */
    public abstract int sizeMultiple();

    public int classes() {
        return classes;
    }

    public int inChannels() {
        return inChannels;
    }

    /**
     * This network's layers as ONNX nodes in inference form (BatchNorm folded), from {@code input}
     * (B, C, H, W) to its class logits; returns the logits' value name.
     */
    public abstract String toOnnx(org.danseg.nn.onnx.OnnxGraph graph, String input);

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), classes, in.get(2), in.get(3))};
    }

    /** Initializes the parameters for inputs of {@code channels} x {@code size} x {@code size}. */
    public void initialize(NDManager manager, int size) {
        initialize(manager, DataType.FLOAT32, new Shape(2, inChannels, size, size));
    }
}
