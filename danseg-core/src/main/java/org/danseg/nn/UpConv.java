package org.danseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Transposed convolution with kernel = stride = s (no overlap, no bias), computed as a 1x1
 * convolution to C_out*s*s channels followed by a depth-to-space rearrangement. The two are the
 * same linear map with the same parameter count; DJL's PyTorch engine does not implement
 * transposed convolution, so this is how danseg expresses it.
 */
public final class UpConv extends AbstractBlock {
    private final int filters;
    private final int scale;
    private final Conv2d conv;

    public UpConv(int filters, int scale) {
        this.filters = filters;
        this.scale = scale;
        this.conv = addChildBlock("conv", Conv2d.of(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters * scale * scale)
                .optBias(false)));
    }

    /** The 1x1 convolution to C_out*s*s channels. */
    Conv2d conv() {
        return conv;
    }

    /** s: the upsampling factor (kernel = stride). */
    int scale() {
        return scale;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = conv.forward(ps, inputs, training).singletonOrThrow();
        Shape s = x.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        // (B, O*s*s, H, W) -> (B, O, s, s, H, W) -> (B, O, H, s, W, s) -> (B, O, H*s, W*s)
        NDArray y = x.reshape(b, filters, scale, scale, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(b, filters, h * scale, w * scale);
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), filters, in.get(2) * scale, in.get(3) * scale)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }
}
