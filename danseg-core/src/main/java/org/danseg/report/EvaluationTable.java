package org.danseg.report;

import java.util.Locale;
import org.danseg.metrics.ClassEvaluation;
import org.danseg.metrics.SetEvaluation;

/** A plain-text table of a set evaluation, with what each number counts. */
public final class EvaluationTable {

    private EvaluationTable() {
    }

    public static String format(SetEvaluation e) {
        StringBuilder b = new StringBuilder();
        String unit = e.distanceUnit();
        b.append(String.format(Locale.ROOT, "Evaluated %d image(s); foreground = all non-zero classes; distances in %s%n", e.images(), unit));
        row(b, "Dice (pooled pixels)", e.dice(), String.format("truth %d px, predicted %d px", e.truthPixels(), e.predPixels()));
        row(b, "IoU (pooled pixels)", e.iou(), "");
        row(b, "precision", e.precision(), "");
        row(b, "recall", e.recall(), "");
        row(b, "mean per-image Dice", e.meanDice(), e.images() + " images");
        row(b, "HD95 (" + unit + ")", e.hd95(), "mean over images");
        row(b, "ASSD (" + unit + ")", e.assd(), "mean over images");
        row(b, "object F1", e.objectF1(), String.format("TP %d, FP %d, FN %d", e.objectTruePositives(), e.objectFalsePositives(), e.objectFalseNegatives()));
        row(b, "object Dice", e.objectDice(), String.format("%d true, %d predicted objects", e.truthObjects(), e.predObjects()));
        row(b, "object Hausdorff (" + unit + ")", e.objectHausdorff(), "GlaS, objects pooled over the set");
        if (e.perClass().size() > 1) {
            b.append(String.format(Locale.ROOT, "%nper class:  %-6s %8s %8s %8s %10s%n", "class", "Dice", "IoU", "meanDice", "HD95"));
            for (ClassEvaluation c : e.perClass()) {
                b.append(String.format(Locale.ROOT, "            %-6d %8.4f %8.4f %8.4f %10.3f%n", c.classLabel(), c.dice(), c.iou(), c.meanDice(), c.hd95()));
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, double value, String counts) {
        b.append(String.format(Locale.ROOT, "  %-28s %10.4f   %s%n", name, value, counts));
    }
}
