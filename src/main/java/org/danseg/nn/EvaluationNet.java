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
 * The paper's EN: VGG-like stages {@code c64 c64 P c128 P c256 c256 P c512 c512 P c512 c512}
 * (scaled by width/64), global average pooling, three fully connected + BN + ReLU layers of
 * 8*width units, and one output logit per (image, segmentation) pair (sigmoid in the loss).
 * Global pooling replaces the paper's flattening so EN accepts any input size.
 */
public final class EvaluationNet extends ai.djl.nn.AbstractBlock {
    private final SequentialBlock body = new SequentialBlock();
    private final int inChannels;

    public EvaluationNet(int inChannels, int width) {
        this.inChannels = inChannels;
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
        addChildBlock("body", body);
    }

    public void initialize(NDManager manager, int size) {
        initialize(manager, DataType.FLOAT32, new Shape(2, inChannels, size, size));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(body.forward(ps, inputs, training).singletonOrThrow().reshape(-1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }
}
