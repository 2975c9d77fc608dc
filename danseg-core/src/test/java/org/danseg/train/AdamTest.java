package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam against a hand-computed update, and the skip of a step whose gradient is not finite. */
class AdamTest {

    private static Parameter parameter(NDManager m, float... values) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(values));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, 1f, -2f);
            Adam adam = new Adam(List.of(p), m, 0.1);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // loss = 3 w0 - 0.5 w1: gradient (3, -0.5); Adam's first step is lr * g / |g| (bias-corrected)
                NDArray w = p.getArray();
                gc.backward(w.mul(m.create(new float[] {3f, -0.5f})).sum());
            }
            assertThat(adam.step()).isTrue();
            float[] w = p.getArray().toFloatArray();
            assertThat(w[0]).isCloseTo(1f - 0.1f, within(1e-5f));
            assertThat(w[1]).isCloseTo(-2f + 0.1f, within(1e-5f));
            assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(0f, 0f);
        }
    }

    @Test
    void secondStepFollowsTheBiasCorrectedMoments() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, 1f);
            Adam adam = new Adam(List.of(p), m, 0.01);
            double[] grads = {3, -1};
            for (double g : grads) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(p.getArray().mul((float) g).sum());
                }
                assertThat(adam.step()).isTrue();
            }
            // By hand: m1 = 0.3, v1 = 0.009, w1 = 1 - 0.01 * sign; then m2 = 0.9 m1 + 0.1 g2, v2 = 0.999 v1 + 0.001 g2^2,
            // w2 = w1 - 0.01 * (m2 / (1 - 0.9^2)) / (sqrt(v2 / (1 - 0.999^2)) + 1e-8).
            double w1 = 1 - 0.01;
            double m2 = 0.9 * 0.1 * 3 + 0.1 * -1;
            double v2 = 0.999 * 0.001 * 9 + 0.001 * 1;
            double w2 = w1 - 0.01 / (1 - 0.81) * m2 / (Math.sqrt(v2 / (1 - 0.999 * 0.999)) + 1e-8);
            assertThat((double) p.getArray().toFloatArray()[0]).isCloseTo(w2, within(1e-6));
        }
    }

    @Test
    void aNonFiniteGradientSkipsTheStepAndIsClearedNotKept() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, 1f, -2f);
            Adam adam = new Adam(List.of(p), m, 0.1);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.getArray().mul(m.create(new float[] {Float.NaN, 1f})).sum());
            }
            assertThat(adam.step()).as("step with a NaN gradient").isFalse();
            assertThat(adam.skippedSteps()).isEqualTo(1);
            assertThat(p.getArray().toFloatArray()).containsExactly(1f, -2f);
            // Zeroed for real: subtracting NaN from itself would have left NaN for every later step.
            assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(0f, 0f);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.getArray().mul(m.create(new float[] {1f, 1f})).sum());
            }
            assertThat(adam.step()).isTrue();
            assertThat(p.getArray().toFloatArray()[0]).isCloseTo(0.9f, within(1e-5f));
        }
    }

    @Test
    void savingStateLeavesNoArrayBehindAndRestoresExactly() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, 1f, -2f);
            Adam adam = new Adam(List.of(p), m, 0.1);
            byte[] first = adam.encodedState();
            int live = m.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                adam.encodedState();
            }
            assertThat(m.getManagedArrays().size()).as("arrays in the optimizer's manager after 10 checkpoints").isEqualTo(live);
            try (NDManager tmp = m.newSubManager()) {
                adam.restore(ai.djl.ndarray.NDList.decode(tmp, first));
            }
            assertThat(adam.encodedState()).isEqualTo(first);
        }
    }
}
