package org.danseg.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** The building blocks both networks share. Convolutions followed by BatchNorm carry no bias (BN's shift replaces it). */
final class Layers {

    private Layers() {
    }

    /** 3x3 convolution (padding 1, no bias) + BatchNorm + ReLU. */
    static void convBnRelu(SequentialBlock into, int filters) {
        into.add(Conv2d.of(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).optBias(false)))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    /** Transposed convolution ({@link UpConv}) with kernel = stride = {@code scale} (no bias) + BatchNorm + ReLU: upsamples by {@code scale}. */
    static Block upConvBnRelu(int filters, int scale) {
        return new SequentialBlock()
                .add(new UpConv(filters, scale))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** A channel count of the paper (at width 64) scaled to {@code width}. */
    static int scaled(int paperChannels, int width) {
        return Math.max(1, paperChannels * width / 64);
    }
}
