package org.danseg.train;

import ai.djl.ndarray.NDManager;
import org.danseg.data.TrainingSet;
import org.danseg.infer.ClassMaps;
import org.danseg.infer.TiledPredictor;

/** Foreground Dice of SN on the validation set, all pixels pooled (images are loaded once). */
final class Validator {
    private final TrainingSet images;
    private final TiledPredictor predictor;
    private final int classes;

    Validator(TrainingSet validation, TiledPredictor predictor, int classes) {
        this.images = validation;
        this.predictor = predictor;
        this.classes = classes;
    }

    double dice(NDManager manager) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (TrainingSet.Item item : images.items()) {
            float[] prob = predictor.probabilities(manager, item.pixels(), images.channels(), item.width(), item.height());
            int[] pred = ClassMaps.argmax(prob, classes, item.width() * item.height());
            for (int i = 0; i < pred.length; i++) {
                boolean p = pred[i] != 0;
                boolean t = item.labels()[i] != 0;
                tp += p && t ? 1 : 0;
                fp += p && !t ? 1 : 0;
                fn += !p && t ? 1 : 0;
            }
        }
        return tp + fp + fn == 0 ? 1.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

}
