package org.danseg.model;

import org.danseg.config.Axis;
import org.danseg.config.Intensity;

/**
 * How an image becomes SN's input, as the model was trained: {@code channels} input channels,
 * each [0,1]-scaled channel z-scored with {@code mean} and {@code std}; for models trained on
 * volumes, also the slicing axis, the per-volume intensity normalization and the 2.5D context
 * (channels = 2 * context + 1). One record for what config.json, model.json and
 * normalization.json each hold a part of, checked for consistency when a model is read.
 */
public record Preprocessing(int channels, double[] mean, double[] std, Volume volume) {

    /** The volume-specific part; null for models trained on 2D images. */
    public record Volume(Axis axis, Intensity intensity, int context) {
    }

    public Preprocessing {
        if (channels < 1 || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(channels + " channel(s) but a normalization of " + mean.length + " means and " + std.length + " stds");
        }
        if (volume != null && channels != 2 * volume.context() + 1) {
            throw new IllegalArgumentException(channels + " channel(s) but a slice context of " + volume.context()
                    + " means " + (2 * volume.context() + 1));
        }
    }
}
