package org.danseg.experiment;

import java.util.Locale;

/**
 * One evaluation of one cell: a row of results.csv. {@code evaluation} names what was scored
 * ("test" for images; "unannotated-slices" or "volume" for a volume); distances are in
 * {@code distanceUnit}. {@code annotatedImages}: the annotated images' base names (or the slices),
 * separated by ';'.
 */
public record CellResult(String budget, int annotated, String variant, String mode, long seed, String evaluation,
                         double dice, double objectF1, double objectDice, double objectHausdorff, double hd95,
                         String distanceUnit, double trainSeconds, Double enSpearman, String annotatedImages) {

    static final String CSV_HEADER = "budget,annotated,variant,mode,seed,evaluation,dice,object_f1,object_dice,object_hausdorff,hd95,distance_unit,"
            + "train_seconds,en_spearman,annotated_images";

    /** A row whose annotated images are not named. */
    public CellResult(String budget, int annotated, String variant, String mode, long seed, String evaluation,
                      double dice, double objectF1, double objectDice, double objectHausdorff, double hd95,
                      String distanceUnit, double trainSeconds, Double enSpearman) {
        this(budget, annotated, variant, mode, seed, evaluation, dice, objectF1, objectDice, objectHausdorff, hd95, distanceUnit, trainSeconds,
                enSpearman, "");
    }

    /** A row without EN scores (no EN, or a volume). */
    public CellResult(String budget, int annotated, String variant, String mode, long seed, String evaluation,
                      double dice, double objectF1, double objectDice, double objectHausdorff, double hd95,
                      String distanceUnit, double trainSeconds) {
        this(budget, annotated, variant, mode, seed, evaluation, dice, objectF1, objectDice, objectHausdorff, hd95, distanceUnit, trainSeconds, null, "");
    }

    String csv() {
        return String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%s,%.6f,%.6f,%.6f,%.4f,%.4f,%s,%.1f,%s,%s",
                budget, annotated, variant, mode, seed, evaluation, dice, objectF1, objectDice, objectHausdorff, hd95, distanceUnit, trainSeconds,
                enSpearman == null || enSpearman.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", enSpearman), annotatedImages == null ? "" : annotatedImages);
    }

    /** The metrics summarised in tables and plots, in order. */
    enum Metric {
        DICE("Dice", true), OBJECT_F1("object F1", true), OBJECT_DICE("object Dice", true),
        OBJECT_HAUSDORFF("object Hausdorff", false), HD95("HD95", false);

        final String title;
        final boolean higherIsBetter;

        Metric(String title, boolean higherIsBetter) {
            this.title = title;
            this.higherIsBetter = higherIsBetter;
        }

        double of(CellResult r) {
            return switch (this) {
                case DICE -> r.dice();
                case OBJECT_F1 -> r.objectF1();
                case OBJECT_DICE -> r.objectDice();
                case OBJECT_HAUSDORFF -> r.objectHausdorff();
                case HD95 -> r.hd95();
            };
        }
    }
}
