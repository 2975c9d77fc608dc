package org.danseg.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * Forward multiply-accumulates of a network per input image, counted as the reference script
 * counts them: convolutions and fully connected layers only (BatchNorm, activations, pooling,
 * softmax and losses are not counted). Reads every convolution's and linear layer's input shape as
 * recorded when the network was initialized, so initialize it at the size to count.
 */
public final class MacCount {

    private MacCount() {
    }

    /** GFLOP (2 x MACs / 1e9) of one forward pass per image. */
    public static double forwardGflopPerImage(Block net) {
        return 2.0 * macs(net) / 1e9;
    }

    /** MACs of one forward pass per image. */
    public static double macs(Block block) {
        double total = 0;
        Shape in = block instanceof Conv2d || block instanceof Linear ? block.describeInput().get(0).getValue() : null;
        if (block instanceof Conv2d) {
            Shape out = block.getOutputShapes(new Shape[] {in})[0];
            Shape weight = block.getParameters().get("weight").getArray().getShape();
            // Each output element costs Cin/groups * kh * kw.
            total += (double) out.size() / in.get(0) * (weight.size() / weight.get(0));
        } else if (block instanceof Linear) {
            // DJL's Linear records its input without the feature axis: (batch, ...leading dims).
            Shape weight = block.getParameters().get("weight").getArray().getShape();
            total += (double) in.size() / in.get(0) * weight.size();
        }
        for (var child : block.getChildren()) {
            total += macs(child.getValue());
        }
        return total;
    }
}
