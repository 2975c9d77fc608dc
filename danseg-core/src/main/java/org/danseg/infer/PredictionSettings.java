package org.danseg.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/**
 * What a prediction folder was made with, written beside its masks (as nnU-Net's predictor
 * does): the model and checkpoint, the engine, the sliding window and test-time augmentation, the formats.
 */
public record PredictionSettings(String model, String checkpoint, String engine, int tile, double overlap, int batch, boolean flips, String format,
                                 boolean probabilities) {
    public static final String FILE = "prediction.json";

    public String toJson() throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n";
    }
}
