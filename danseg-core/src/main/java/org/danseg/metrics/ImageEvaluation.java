package org.danseg.metrics;

import java.util.List;

/** Every metric for one image (foreground = all non-zero classes together), plus per-class pixel metrics. */
public record ImageEvaluation(
        String image,
        double dice, double iou, double precision, double recall,
        double hd95, double assd,
        double objectF1, double objectDice, double objectHausdorff,
        long truthPixels, long predPixels,
        long truthObjects, long predObjects,
        List<ClassEvaluation> perClass) {
}
