package org.danseg.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * EN, in one of two forms ({@link Kind}):
 * <ul>
 *   <li>{@code IMAGE}, the paper's: VGG-like stages {@code c64 c64 P c128 P c256 c256 P c512 c512 P c512 c512}
 *       (scaled by width/64), global average pooling, three fully connected + BN + ReLU layers of
 *       8*width units, and one logit per (image, segmentation) pair. Global pooling replaces the
 *       paper's flattening so EN accepts any input size.</li>
 *   <li>{@code PIXEL}, a fully convolutional judge in the manner of Hung et al. (BMVC 2018): four 3x3
 *       convolutions, three of stride 2 (2w, 4w, 8w, 8w channels, LeakyReLU 0.2), then a 3x3
 *       convolution to one logit per location of a map at 1/8 of the input size (ceil). No BatchNorm:
 *       each location's score depends on its own image and segmentation only, never on the other
 *       members of the batch.</li>
 * </ul>
 */
public final class EvaluationNet extends ai.djl.nn.AbstractBlock {
    /** Where EN's verdict lives: one logit per image, or one per location of a coarse map. */
    public enum Kind { IMAGE, PIXEL }

    /** The coarse map's stride in pixels, for {@link Kind#PIXEL}. */
    public static final int PIXEL_STRIDE = 8;

    private final SequentialBlock body = new SequentialBlock();
    private final int inChannels;
    private final Kind kind;

    public EvaluationNet(int inChannels, int width) {
        this(inChannels, width, Kind.IMAGE);
    }

    public EvaluationNet(int inChannels, int width, Kind kind) {
        this.inChannels = inChannels;
        this.kind = kind;
        if (kind == Kind.IMAGE) {
            for (SequentialBlock stage : new VggStages(VggStages.EN_SPEC, width).stages) {
                body.add(stage);
            }
            body.add(Pool.globalAvgPool2dBlock());
            int hidden = 8 * width;
            for (int i = 0; i < 3; i++) {
                body.add(Linear.builder().setUnits(hidden).optBias(false).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock());
            }
            body.add(Linear.builder().setUnits(1).build());
        } else {
            int[] filters = {2 * width, 4 * width, 8 * width, 8 * width};
            int[] strides = {2, 2, 2, 1};
            for (int i = 0; i < filters.length; i++) {
                body.add(conv(filters[i], strides[i])).add(Activation.leakyReluBlock(0.2f));
            }
            body.add(conv(1, 1));
        }
        addChildBlock("body", body);
    }

    private static Conv2d conv(int filters, int stride) {
        return Conv2d.of(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optStride(new Shape(stride, stride))
                .setFilters(filters));
    }

    public Kind kind() {
        return kind;
    }

    public void initialize(NDManager manager, int size) {
        initialize(manager, DataType.FLOAT32, new Shape(2, inChannels, size, size));
    }

    /** IMAGE: logits (B). PIXEL: logits (B, 1, ceil(H/8), ceil(W/8)). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var out = body.forward(ps, inputs, training).singletonOrThrow();
        return new NDList(kind == Kind.IMAGE ? out.reshape(-1) : out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (kind == Kind.IMAGE) {
            return new Shape[] {new Shape(in.get(0))};
        }
        return new Shape[] {new Shape(in.get(0), 1, coarse(in.get(2)), coarse(in.get(3)))};
    }

    private static long coarse(long n) {
        for (int i = 0; i < 3; i++) {
            n = (n + 1) / 2;
        }
        return n;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }
}
