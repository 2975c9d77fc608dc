package org.danseg.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.danseg.io.PixelSpacing;

/**
 * MODEL_DIR/model.json: what the data decided about the networks (input channels, classes, how
 * masks were read) and the physical pixel size the model was trained at ({@code pixelSize}, in
 * millimetres as every {@link PixelSpacing}; absent when the training images stated none and
 * {@code --pixel-size} was not given): slides are predicted at it.
 */
public record ModelInfo(int channels, int classes, String maskType, @JsonInclude(JsonInclude.Include.NON_NULL) PixelSpacing pixelSize) {

    public ModelInfo {
        if (pixelSize != null && !"mm".equals(pixelSize.unit())) {
            throw new IllegalArgumentException("a model's pixel size is physical (mm), not " + pixelSize.unit());
        }
    }

    /** A model trained at no known physical pixel size. */
    public ModelInfo(int channels, int classes, String maskType) {
        this(channels, classes, maskType, null);
    }
}
