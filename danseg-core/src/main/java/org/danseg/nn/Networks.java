package org.danseg.nn;

import org.danseg.runtime.NumericsGuard;

/** Builds the networks a config names. */
public final class Networks {

    private Networks() {
    }

    /** Every network is built through here, so none runs before the numerics guard has decided (docs/reliability.md). */
    public static SegmentationNet segmentation(SnArchitecture architecture, int inChannels, int classes, int width) {
        NumericsGuard.require();
        return switch (architecture) {
            case DAN_FCN -> new DanFcn(inChannels, classes, width);
            case UNET -> new UNet(inChannels, classes, width);
            case UNET4 -> new UNet(inChannels, classes, width, 4);
        };
    }

    /** He-normal initialization of every convolution and linear weight (the default for ReLU networks). */
    public static void useHeInitialization(ai.djl.nn.Block block) {
        block.setInitializer(new ai.djl.training.initializer.XavierInitializer(
                ai.djl.training.initializer.XavierInitializer.RandomType.GAUSSIAN,
                ai.djl.training.initializer.XavierInitializer.FactorType.IN, 2), ai.djl.nn.Parameter.Type.WEIGHT);
    }

    public static EvaluationNet evaluation(int imageChannels, int classes, int width, Fusion fusion) {
        return evaluation(imageChannels, classes, width, fusion, EvaluationNet.Kind.IMAGE);
    }

    public static EvaluationNet evaluation(int imageChannels, int classes, int width, Fusion fusion, EvaluationNet.Kind kind) {
        NumericsGuard.require();
        return new EvaluationNet(fusion.channels(imageChannels, classes), width, kind);
    }
}
