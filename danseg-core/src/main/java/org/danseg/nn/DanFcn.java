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
 * The paper's SN (Zhang et al. 2017, Fig. 2): VGG-like encoder
 * {@code c64 c64 P c128 P c256 c256 P c512 c512 P c512 c512 P c1024 c1024} with every channel count
 * scaled by width/64, three branches of transposed convolution (kernel = stride = 8, 16, 32) to
 * 2*width channels + BN + ReLU from the stages at 1/8, 1/16 and 1/32, concatenation, 3x3 conv to
 * 2*width + BN + ReLU, 1x1 conv to K class logits. Identical to the PyTorch reference network that docs/performance.md compares against (torch_dan_bench.py).
 */
public final class DanFcn extends SegmentationNet {
    private static final int[] BRANCH_STAGES = {3, 4, 5};

    private final List<SequentialBlock> stages;
    private final List<Block> branches = new ArrayList<>();
    private final SequentialBlock head = new SequentialBlock();

    public DanFcn(int inChannels, int classes, int width) {
        super(inChannels, classes);
        VggStages vgg = new VggStages(VggStages.SN_SPEC, width);
        stages = vgg.stages;
        for (int i = 0; i < stages.size(); i++) {
            addChildBlock("stage" + i, stages.get(i));
        }
        int b = 2 * width;
        for (int s : BRANCH_STAGES) {
            branches.add(addChildBlock("branch" + s, Layers.upConvBnRelu(b, 1 << s)));
        }
        Layers.convBnRelu(head, b);
        head.add(Conv2d.of(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes)));
        addChildBlock("head", head);
    }

    @Override
    public int sizeMultiple() {
        return 32;
    }

    @Override
    public String toOnnx(org.danseg.nn.onnx.OnnxGraph g, String input) {
        String x = input;
        String[] features = new String[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            x = OnnxLayers.sequence(g, stages.get(i), x);
            features[i] = x;
        }
        java.util.List<String> ups = new java.util.ArrayList<>();
        for (int k = 0; k < BRANCH_STAGES.length; k++) {
            ups.add(OnnxLayers.sequence(g, (SequentialBlock) branches.get(k), features[BRANCH_STAGES[k]]));
        }
        return OnnxLayers.sequence(g, head, g.node("Concat", ups, "axis", 1L));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray[] features = new NDArray[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
            features[i] = x;
        }
        NDList ups = new NDList();
        for (int k = 0; k < BRANCH_STAGES.length; k++) {
            ups.add(branches.get(k).forward(ps, new NDList(features[BRANCH_STAGES[k]]), training).singletonOrThrow());
        }
        return head.forward(ps, new NDList(NDArrays.concat(ups, 1)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        Shape[] stageOut = new Shape[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).initialize(manager, dataType, shape);
            shape = stages.get(i).getOutputShapes(new Shape[] {shape})[0];
            stageOut[i] = shape;
        }
        long concatChannels = 0;
        Shape up = null;
        for (int k = 0; k < BRANCH_STAGES.length; k++) {
            Block branch = branches.get(k);
            branch.initialize(manager, dataType, stageOut[BRANCH_STAGES[k]]);
            up = branch.getOutputShapes(new Shape[] {stageOut[BRANCH_STAGES[k]]})[0];
            concatChannels += up.get(1);
        }
        head.initialize(manager, dataType, new Shape(up.get(0), concatChannels, up.get(2), up.get(3)));
    }
}
