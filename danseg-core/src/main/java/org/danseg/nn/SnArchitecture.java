package org.danseg.nn;

/** The segmentation networks danseg builds: the paper's FCN, or a U-Net. */
public enum SnArchitecture {
    DAN_FCN, UNET;

    /** Input sides must be a multiple of this (the networks' total downsampling). */
    public int sizeMultiple() {
        return this == DAN_FCN ? 32 : 16;
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
