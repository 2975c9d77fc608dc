package org.danseg.train;

import ai.djl.ndarray.NDManager;
import org.danseg.data.TrainingSet;
import org.danseg.infer.ClassMaps;
import org.danseg.infer.TiledPredictor;
import org.danseg.metrics.PixelCounts;

/** Foreground Dice of SN on the validation set, all pixels pooled (images are loaded once): prediction's sliding window, evaluate's Dice. */
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
        PixelCounts pooled = PixelCounts.ZERO;
        for (TrainingSet.Item item : images.items()) {
            float[] prob = predictor.probabilities(manager, item.pixels(), images.channels(), item.width(), item.height());
            int[] pred = ClassMaps.argmax(prob, classes, item.width() * item.height());
            boolean[] p = new boolean[pred.length];
            boolean[] t = new boolean[pred.length];
            for (int i = 0; i < pred.length; i++) {
                p[i] = pred[i] != 0;
                t[i] = item.labels()[i] != 0;
            }
            pooled = pooled.plus(PixelCounts.of(p, t));
        }
        return pooled.dice();
    }
}
