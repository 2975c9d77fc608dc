package org.danseg.metrics;

/**
 * Pixel metrics of one class: {@code dice}/{@code iou}/{@code precision}/{@code recall} from pooled
 * counts, {@code hd95}/{@code assd} the mean over the images counted in {@code images}.
 */
public record ClassEvaluation(int classLabel, double dice, double iou, double precision, double recall,
                              double hd95, double assd, double meanDice, long truthPixels, long predPixels, int images) {
}
