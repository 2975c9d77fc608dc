package org.danseg.metrics;

/**
 * Sums behind the GlaS object-level metrics for one image or, added up, for a whole set (the
 * challenge pools objects over all images: counts are summed and area weights run over the set).
 *
 * <p>Empty cases: with no object on either side, F1 and object Dice are 1 and object Hausdorff 0.
 * When one side has no object, F1 and object Dice are 0; for object Hausdorff each object of the
 * other side is paired with nothing, and its term is the image diagonal ({@code diagonal}, the
 * largest image's diagonal in a pooled set) so that a model that finds nothing is never scored as
 * better than one that finds something.
 */
public record ObjectScores(
        long predObjects, long truthObjects,
        long truePositives,
        double predArea, double truthArea,
        double predWeightedDice, double truthWeightedDice,
        double predWeightedHausdorff, double truthWeightedHausdorff,
        double diagonal) {

    public static final ObjectScores NONE = new ObjectScores(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ObjectScores plus(ObjectScores o) {
        return new ObjectScores(predObjects + o.predObjects, truthObjects + o.truthObjects, truePositives + o.truePositives,
                predArea + o.predArea, truthArea + o.truthArea,
                predWeightedDice + o.predWeightedDice, truthWeightedDice + o.truthWeightedDice,
                predWeightedHausdorff + o.predWeightedHausdorff, truthWeightedHausdorff + o.truthWeightedHausdorff,
                Math.max(diagonal, o.diagonal));
    }

    public long falsePositives() {
        return predObjects - truePositives;
    }

    public long falseNegatives() {
        return truthObjects - truePositives;
    }

    private boolean bothEmpty() {
        return predObjects == 0 && truthObjects == 0;
    }

    public double f1() {
        return Ratios.ratio(2.0 * truePositives, 2.0 * truePositives + falsePositives() + falseNegatives(), bothEmpty());
    }

    public double objectDice() {
        if (bothEmpty()) {
            return 1.0;
        }
        double predTerm = predArea == 0 ? 0 : predWeightedDice / predArea;
        double truthTerm = truthArea == 0 ? 0 : truthWeightedDice / truthArea;
        return 0.5 * (predTerm + truthTerm);
    }

    public double objectHausdorff() {
        if (bothEmpty()) {
            return 0.0;
        }
        double predTerm = predArea == 0 ? diagonal : predWeightedHausdorff / predArea;
        double truthTerm = truthArea == 0 ? diagonal : truthWeightedHausdorff / truthArea;
        return 0.5 * (predTerm + truthTerm);
    }
}
