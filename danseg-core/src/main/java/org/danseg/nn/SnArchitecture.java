package org.danseg.nn;

/** The segmentation networks danseg builds: the paper's FCN, or a U-Net of five levels (unet) or four (unet4). */
public enum SnArchitecture {
    DAN_FCN, UNET, UNET4;

    /** Input sides must be a multiple of this (the networks' total downsampling). */
    public int sizeMultiple() {
        return switch (this) {
            case DAN_FCN -> 32;
            case UNET -> 16;
            case UNET4 -> 8;
        };
    }

    /**
     * The smallest training patch: one that leaves a 4 x 4 bottleneck. With less, the deepest
     * features are mostly zero padding and batch statistics come from a handful of values, so
     * the network learns from the patch border and predicts differently on larger tiles (issue
     * 21: dan-fcn on 64-pixel patches, a 2 x 2 bottleneck, scored Dice 0.70 at tile 64 and 0.13 at 256).
     */
    public int minimumPatch() {
        return 4 * sizeMultiple();
    }
}
