package org.danseg.metrics;

import java.util.List;

/**
 * Metrics of a whole set, the JSON that {@code danseg evaluate --json} writes. Top-level values
 * describe the foreground (every non-zero class together). {@code dice}, {@code iou},
 * {@code precision}, {@code recall} pool all pixels of all images; the object metrics pool all
 * objects of all images (GlaS); {@code hd95} and {@code assd} are means over images;
 * {@code meanDice} is the mean of the per-image Dice values. Counts say what each number counts.
 */
public record SetEvaluation(
        int images,
        String distanceUnit,
        double dice, double iou, double precision, double recall,
        double hd95, double assd,
        double objectF1, double objectDice, double objectHausdorff,
        double meanDice,
        long truthPixels, long predPixels,
        long truthObjects, long predObjects,
        long objectTruePositives, long objectFalsePositives, long objectFalseNegatives,
        List<ClassEvaluation> perClass,
        List<ImageEvaluation> perImage,
        String predictionSource, String truthSource) {

    /** The same results, recording where the predictions and the true masks were read from. */
    public SetEvaluation withSources(String predictions, String truth) {
        return new SetEvaluation(images, distanceUnit, dice, iou, precision, recall, hd95, assd, objectF1, objectDice,
                objectHausdorff, meanDice, truthPixels, predPixels, truthObjects, predObjects, objectTruePositives,
                objectFalsePositives, objectFalseNegatives, perClass, perImage, predictions, truth);
    }
}
