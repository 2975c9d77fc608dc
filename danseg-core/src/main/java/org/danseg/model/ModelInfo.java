package org.danseg.model;

/** MODEL_DIR/model.json: what the data decided about the networks (input channels, classes, how masks were read). */
public record ModelInfo(int channels, int classes, String maskType) {
}
