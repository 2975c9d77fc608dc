package org.danseg.nn;

/** The segmentation networks danseg builds: the paper's FCN, or a U-Net. */
public enum SnArchitecture {
    DAN_FCN, UNET;

    /** Input sides must be a multiple of this (the networks' total downsampling). */
    public int sizeMultiple() {
        return this == DAN_FCN ? 32 : 16;
    }
}
