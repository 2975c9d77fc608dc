package org.danseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A standard 2D U-Net (Ronneberger et al. 2015, with BatchNorm and same-padding): five levels
 * ({@code --sn unet}) or four ({@code unet4}, the reference script's) of two 3x3 conv + BN + ReLU
 * with base, 2, 4, 8 (, 16) x base channels (base 16: the common 16-32-64-128-256), 2x2 max-pooling down, 2x2 transposed convolution up (as {@link UpConv}; U-Net's up-convolutions carry no bias here), skip concatenation,
 * 1x1 conv to K logits.
 */
public final class UNet extends SegmentationNet {
    private final int levels;

    private final List<SequentialBlock> down = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final List<SequentialBlock> decode = new ArrayList<>();
    private final Block pool = Layers.maxPool();
    private final Block out;

    public UNet(int inChannels, int classes, int base) {
        this(inChannels, classes, base, 5);
    }

    public UNet(int inChannels, int classes, int base, int levels) {
        super(inChannels, classes);
        this.levels = levels;
        for (int l = 0; l < levels; l++) {
            SequentialBlock b = new SequentialBlock();
            Layers.convBnRelu(b, base << l);
            Layers.convBnRelu(b, base << l);
            down.add(addChildBlock("down" + l, b));
        }
        for (int l = levels - 2; l >= 0; l--) {
            up.add(addChildBlock("up" + l, new UpConv(base << l, 2)));
            SequentialBlock b = new SequentialBlock();
            Layers.convBnRelu(b, base << l);
            Layers.convBnRelu(b, base << l);
            decode.add(addChildBlock("decode" + l, b));
        }
        addChildBlock("pool", pool);
        out = addChildBlock("out", Conv2d.of(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes)));
    }

    @Override
    public int sizeMultiple() {
        return 1 << (levels - 1);
    }

    @Override
    public String toOnnx(org.danseg.nn.onnx.OnnxGraph g, String input) {
        String x = input;
        String[] skips = new String[levels];
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                x = OnnxLayers.maxPool(g, x);
            }
            x = OnnxLayers.sequence(g, down.get(l), x);
            skips[l] = x;
        }
        for (int k = 0; k < levels - 1; k++) {
            int l = levels - 2 - k;
            x = OnnxLayers.upConv(g, (UpConv) up.get(k), x);
            x = OnnxLayers.sequence(g, decode.get(k), g.node("Concat", java.util.List.of(skips[l], x), "axis", 1L));
        }
        return OnnxLayers.conv(g, (ai.djl.nn.convolutional.Conv2d) out, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray[] skips = new NDArray[levels];
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                x = pool.forward(ps, new NDList(x), training).singletonOrThrow();
            }
            x = down.get(l).forward(ps, new NDList(x), training).singletonOrThrow();
            skips[l] = x;
        }
        for (int k = 0; k < levels - 1; k++) {
            int l = levels - 2 - k;
            x = up.get(k).forward(ps, new NDList(x), training).singletonOrThrow();
            x = decode.get(k).forward(ps, new NDList(NDArrays.concat(new NDList(skips[l], x), 1)), training).singletonOrThrow();
        }
        return out.forward(ps, new NDList(x), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape[] skip = new Shape[levels];
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                s = pool.getOutputShapes(new Shape[] {s})[0];
            }
            down.get(l).initialize(manager, dataType, s);
            s = down.get(l).getOutputShapes(new Shape[] {s})[0];
            skip[l] = s;
        }
        pool.initialize(manager, dataType, skip[0]);
        for (int k = 0; k < levels - 1; k++) {
            int l = levels - 2 - k;
            up.get(k).initialize(manager, dataType, s);
            Shape u = up.get(k).getOutputShapes(new Shape[] {s})[0];
            Shape cat = new Shape(u.get(0), u.get(1) + skip[l].get(1), u.get(2), u.get(3));
            decode.get(k).initialize(manager, dataType, cat);
            s = decode.get(k).getOutputShapes(new Shape[] {cat})[0];
        }
        out.initialize(manager, dataType, s);
    }
}
