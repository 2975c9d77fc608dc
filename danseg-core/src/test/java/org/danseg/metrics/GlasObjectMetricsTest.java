package org.danseg.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.danseg.io.Mask;
import org.danseg.io.PixelSpacing;
import org.danseg.testing.Masks;
import org.junit.jupiter.api.Test;

/** Hand-worked GlaS object metrics; every expected number is derived in the comment above it. */
class GlasObjectMetricsTest {

    private static ObjectScores score(Mask pred, Mask truth) {
        return GlasObjectMetrics.score(pred.objects(), pred.objectCount(), truth.objects(), truth.objectCount(),
                truth.width(), truth.height(), truth.spacing());
    }

    @Test
    void bothEmptyIsPerfect() {
        Mask empty = Masks.binary("....", "....");
        ObjectScores s = score(empty, empty);
        assertThat(s.f1()).isEqualTo(1.0);
        assertThat(s.objectDice()).isEqualTo(1.0);
        assertThat(s.objectHausdorff()).isEqualTo(0.0);
    }

    @Test
    void emptyPredictionScoresZeroAndTheDiagonal() {
        Mask truth = Masks.binary("11..", "11..", "....");
        Mask pred = Masks.binary("....", "....", "....");
        ObjectScores s = score(pred, truth);
        assertThat(s.f1()).isEqualTo(0.0);
        assertThat(s.objectDice()).isEqualTo(0.0);
        // 4x3 image: diagonal 5; both terms are the diagonal.
        assertThat(s.objectHausdorff()).isEqualTo(5.0);
        assertThat(s.falseNegatives()).isEqualTo(1);
    }

    @Test
    void emptyTruthScoresZeroAndTheDiagonal() {
        ObjectScores s = score(Masks.binary("1...", "....", "...."), Masks.binary("....", "....", "...."));
        assertThat(s.f1()).isEqualTo(0.0);
        assertThat(s.objectDice()).isEqualTo(0.0);
        assertThat(s.objectHausdorff()).isEqualTo(5.0);
        assertThat(s.falsePositives()).isEqualTo(1);
    }

    @Test
    void onePixelObjectsMatchedAndMissed() {
        // Truth: two one-pixel objects at (0,0) and (4,0). Prediction: one pixel at (0,0).
        Mask truth = Masks.binary("1...1");
        Mask pred = Masks.binary("1....");
        ObjectScores s = score(pred, truth);
        // TP 1, FP 0, FN 1 -> F1 = 2/3.
        assertThat(s.f1()).isCloseTo(2.0 / 3.0, within(1e-12));
        // Pred term: 1. Truth term: (1*1 + 1*0)/2 = 0.5. Object Dice = 0.75.
        assertThat(s.objectDice()).isCloseTo(0.75, within(1e-12));
        // Pred term 0; truth term: (1*0 + 1*H(G2, nearest S = S1) = 4)/2 = 2 -> 1.0.
        assertThat(s.objectHausdorff()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void objectSplitInTwo() {
        // Truth: one 6-pixel bar. Prediction: the same bar split in two 3-pixel halves.
        Mask truth = Masks.binary("111111");
        Mask pred = Masks.binary("111.11");
        ObjectScores s = score(pred, truth);
        // Left half covers 3/6 = 50% (not > 50%): FP; right half 2/6: FP. TP 0 -> F1 0.
        assertThat(s.truePositives()).isZero();
        assertThat(s.f1()).isEqualTo(0.0);
        // Pred term: (3 * 2*3/9 + 2 * 2*2/8)/5 = (2 + 1)/5 = 0.6.
        // Truth term: partner = left half (overlap 3): 2*3/9 = 2/3.
        assertThat(s.objectDice()).isCloseTo(0.5 * (0.6 + 2.0 / 3.0), within(1e-12));
        // H(left, bar) = 3 (bar's x=5 to x=2), H(right, bar) = 4 (x=0 to x=4).
        // Pred term: (3*3 + 2*4)/5 = 3.4; truth term: H(bar, left) = 3.
        assertThat(s.objectHausdorff()).isCloseTo(0.5 * (3.4 + 3.0), within(1e-12));
    }

    @Test
    void twoObjectsMerged() {
        // Truth: two 2-pixel objects with a gap; prediction: one merged 5-pixel object.
        Mask truth = Masks.binary("11.11");
        Mask pred = Masks.binary("11111");
        ObjectScores s = score(pred, truth);
        // Merged object: partner = first truth object (tie 2 vs 2, lowest id), covers 100% -> TP.
        assertThat(s.truePositives()).isEqualTo(1);
        // TP 1, FP 0, FN 1 -> 2/3.
        assertThat(s.f1()).isCloseTo(2.0 / 3.0, within(1e-12));
        // Pred term: 2*2/7. Truth term: both truth objects partner the merged one: 2*2/7 each.
        assertThat(s.objectDice()).isCloseTo(4.0 / 7.0, within(1e-12));
        // H(merged, G1) = 4 (x=4 to x<=1 is 3... max over merged of dist to {0,1} = 3; over G1 to merged = 0) -> 3.
        // H(merged, G2) = 3. All terms 3.
        assertThat(s.objectHausdorff()).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void touchingInstancesStaySeparateButTouchingBinaryRegionsMerge() {
        // Two instances that touch: as instances, 2 objects; as a binary mask, one 8-connected component.
        Mask asInstances = Masks.instances("1122", "1122");
        Mask asBinary = Masks.binary("1122", "1122");
        assertThat(asInstances.objectCount()).isEqualTo(2);
        assertThat(asBinary.objectCount()).isEqualTo(1);
        ObjectScores s = score(asBinary, asInstances);
        // The merged prediction covers 100% of instance 1 (lowest id on the tie): TP 1, FN 1.
        assertThat(s.f1()).isCloseTo(2.0 / 3.0, within(1e-12));
    }

    @Test
    void diagonalNeighboursAreOneObject() {
        Mask m = Masks.binary("1..", ".1.", "..1");
        assertThat(m.objectCount()).isEqualTo(1);
    }

    @Test
    void objectsAtImageBorders() {
        // Objects touching the border are ordinary objects: shifted by one pixel, still matched.
        Mask truth = Masks.binary("11...", "11...", ".....", "...11", "...11");
        Mask pred = Masks.binary("1....", "11...", ".....", "....1", "...11");
        ObjectScores s = score(pred, truth);
        assertThat(s.f1()).isEqualTo(1.0);
        // Each pair: overlap 3, areas 3 and 4 -> Dice 6/7; all terms 6/7.
        assertThat(s.objectDice()).isCloseTo(6.0 / 7.0, within(1e-12));
        // Each pair: the missing pixel is at distance 1 from the predicted object.
        assertThat(s.objectHausdorff()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void setLevelPoolsObjectsAcrossImages() {
        // Image A: perfect one 4-pixel object. Image B: truth object missed entirely.
        Mask a = Masks.binary("11", "11");
        Mask bTruth = Masks.binary("11", "1.");
        Mask bPred = Masks.binary("..", "..");
        SetEvaluation e = Evaluator.evaluate(List.of(new Evaluator.Case("a", a, a), new Evaluator.Case("b", bPred, bTruth)), 2, null);
        // Pooled: TP 1, FP 0, FN 1 -> 2/3 (the mean of per-image F1s would be 0.5).
        assertThat(e.objectF1()).isCloseTo(2.0 / 3.0, within(1e-12));
        // Pred term: 1 (only A's object). Truth term: (4*1 + 3*0)/7 = 4/7.
        assertThat(e.objectDice()).isCloseTo(0.5 * (1 + 4.0 / 7.0), within(1e-12));
        assertThat(e.perImage()).hasSize(2);
        assertThat(e.perImage().get(1).objectF1()).isEqualTo(0.0);
        assertThat(e.meanDice()).isCloseTo(0.5, within(1e-12));
        // Pooled pixels: TP 4, FN 3 -> Dice 8/11.
        assertThat(e.dice()).isCloseTo(8.0 / 11.0, within(1e-12));
    }

    @Test
    void spacingScalesHausdorff() {
        Mask truth = Masks.withSpacing(Masks.binary("1...1"), new PixelSpacing(0.5, 2.0, "mm"));
        Mask pred = Masks.withSpacing(Masks.binary("1...."), new PixelSpacing(0.5, 2.0, "mm"));
        ObjectScores s = score(pred, truth);
        // As onePixelObjectsMatchedAndMissed, distances scaled by 0.5 along x.
        assertThat(s.objectHausdorff()).isCloseTo(0.5, within(1e-12));
    }
}
