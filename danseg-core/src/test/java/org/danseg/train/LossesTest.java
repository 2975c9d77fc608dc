package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The losses against values computed by hand, for three pixels of which the third carries no label. */
class LossesTest {
    // Two classes, pixels (0, 1, 2): class 1, class 0, unlabelled.
    private static final float[] LOGITS = {0.5f, -1f, 2f, /* class 1: */ 1.5f, 0.25f, -3f};
    private static final float[] ONE_HOT = {0f, 1f, 0f, /* class 1: */ 1f, 0f, 0f};

    @BeforeAll
    static void engine() {
        Engine.getEngine("PyTorch");
    }

    private static double logSoftmax(double own, double other) {
        return own - Math.log(Math.exp(own) + Math.exp(other));
    }

    @Test
    void crossEntropyAveragesOverLabelledPixelsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS, new Shape(1, 2, 1, 3));
            NDArray oneHot = m.create(ONE_HOT, new Shape(1, 2, 1, 3));
            double expected = -(logSoftmax(1.5, 0.5) + logSoftmax(-1, 0.25)) / 2;
            assertThat(Losses.crossEntropy(logits, oneHot, 2).getFloat()).isCloseTo((float) expected, within(1e-6f));
            // The unlabelled pixel's logits do not matter.
            float[] other = LOGITS.clone();
            other[2] = -7f;
            other[5] = 9f;
            assertThat(Losses.crossEntropy(m.create(other, new Shape(1, 2, 1, 3)), oneHot, 2).getFloat()).isCloseTo((float) expected, within(1e-6f));
        }
    }

    @Test
    void softDiceIsOneMinusSmoothedForegroundDiceOnLabelledPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] prob = {0.3f, 0.6f, 0.1f, /* class 1: */ 0.7f, 0.4f, 0.9f};
            NDArray oneHot = m.create(ONE_HOT, new Shape(1, 2, 1, 3));
            // Class 1 on labelled pixels: P = (0.7, 0.4), G = (1, 0); (2 |PG| + 1) / (|P| + |G| + 1).
            double dice = (2 * 0.7 + 1) / (0.7 + 0.4 + 1 + 1);
            assertThat(Losses.softDice(m.create(prob, new Shape(1, 2, 1, 3)), oneHot).getFloat()).isCloseTo((float) (1 - dice), within(1e-6f));
            prob[5] = 0.0f;
            prob[2] = 1.0f;
            assertThat(Losses.softDice(m.create(prob, new Shape(1, 2, 1, 3)), oneHot).getFloat())
                    .as("the unlabelled pixel is ignored").isCloseTo((float) (1 - dice), within(1e-6f));
        }
    }

    @Test
    void bceWithLogitsMatchesTheDefinitionAndStaysFiniteForLargeLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            double t = 0.9;
            double expected = 0;
            for (double x : new double[] {2.0, -0.5}) {
                double s = 1 / (1 + Math.exp(-x));
                expected += -(t * Math.log(s) + (1 - t) * Math.log(1 - s)) / 2;
            }
            assertThat(Losses.bceWithLogits(m.create(new float[] {2f, -0.5f}), 0.9f).getFloat()).isCloseTo((float) expected, within(1e-6f));
            // For x = 200 and target 0 the loss is x itself (log(1 + e^x) = x), not infinity.
            assertThat(Losses.bceWithLogits(m.create(new float[] {200f}), 0f).getFloat()).isCloseTo(200f, within(1e-3f));
        }
    }
}
