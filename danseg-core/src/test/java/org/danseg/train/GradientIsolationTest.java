package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.danseg.nn.Fusion;
import org.danseg.nn.SnArchitecture;
import org.danseg.testing.TinySetup;
import org.junit.jupiter.api.Test;

/** The EN step changes only EN; the SN step changes only SN, EN's BatchNorm statistics included. */
class GradientIsolationTest {

    private static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (var p : block.getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static List<String> changed(Map<String, float[]> before, Block block) {
        List<String> names = new ArrayList<>();
        for (var p : block.getParameters()) {
            if (!Arrays.equals(before.get(p.getKey()), p.getValue().getArray().toFloatArray())) {
                names.add(p.getKey());
            }
        }
        return names;
    }

    private static List<String> names(Block block, boolean statistics) {
        List<String> names = new ArrayList<>();
        for (var p : block.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            boolean isStat = t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR;
            if (isStat == statistics) {
                names.add(p.getKey());
            }
        }
        return names;
    }

    /**
     * Parameters holding a non-zero gradient. A step that fails to freeze the other network does
     * not change that network's weights (its optimizer does not run) but leaves gradients in it,
     * which its own next step would apply: only this check sees the leak.
     */
    private static List<String> withGradient(Block block) {
        List<String> names = new ArrayList<>();
        for (var p : block.getParameters()) {
            ai.djl.ndarray.NDArray w = p.getValue().getArray();
            if (w.hasGradient()) {
                try (ai.djl.ndarray.NDArray g = w.getGradient()) {
                    if (g.abs().sum().getFloat() != 0f) {
                        names.add(p.getKey());
                    }
                }
            }
        }
        return names;
    }

    @Test
    void eachStepChangesExactlyItsOwnNetwork() {
        for (Fusion fusion : Fusion.values()) {
            for (boolean balance : new boolean[] {false, true}) {
                checkIsolation(fusion, balance);
            }
        }
    }

    private void checkIsolation(Fusion fusion, boolean balance) {
        {
            try (TinySetup t = new TinySetup(SnArchitecture.DAN_FCN, fusion, 32, 1e-3, balance); NDManager it = t.manager.newSubManager();
                 GradientCollector gc = t.steps.newCollector()) {
                DanSteps.Forward f = t.steps.forward(t.batch(0, 2, 2), it);
                Map<String, float[]> sn0 = snapshot(t.sn);
                Map<String, float[]> en0 = snapshot(t.en);

                t.steps.enStep(gc, f);
                assertThat(t.enOpt.skippedSteps()).as("EN steps skipped for non-finite gradients").isZero();
                assertThat(names(t.sn, true)).as("SN's BatchNorm statistics are parameters the checks see").isNotEmpty();
                assertThat(names(t.en, true)).as("EN's BatchNorm statistics are parameters the checks see").isNotEmpty();
                assertThat(changed(sn0, t.sn)).as("SN after the EN step").isEmpty();
                assertThat(withGradient(t.sn)).as("gradients left in SN by the EN step").isEmpty();
                // Adam moves every EN weight; EN's BatchNorm statistics follow its forward pass.
                assertThat(changed(en0, t.en)).as("EN after the EN step").containsAll(names(t.en, false)).containsAll(names(t.en, true));

                Map<String, float[]> sn1 = snapshot(t.sn);
                Map<String, float[]> en1 = snapshot(t.en);
                t.steps.snStep(gc, f, 1.0);
                assertThat(t.snOpt.skippedSteps()).as("SN steps skipped for non-finite gradients").isZero();
                assertThat(changed(en1, t.en)).as("EN after the SN step").isEmpty();
                assertThat(withGradient(t.en)).as("gradients left in EN by the SN step").isEmpty();
                assertThat(changed(sn1, t.sn)).as("SN after the SN step").containsAll(names(t.sn, false));
                assertThat(changed(sn1, t.sn)).as("SN statistics are not touched by the step itself").doesNotContainAnyElementsOf(names(t.sn, true));
            }
        }
    }

    @Test
    void danWithLambdaZeroIsTheBaselineExactly() {
        // Same batch: the DAN iteration (EN step + SN step, lambda 0) must leave SN - weights and
        // BatchNorm running statistics - as the supervised step on the annotated part does.
        for (boolean balance : new boolean[] {false, true}) {
            try (TinySetup a = new TinySetup(SnArchitecture.DAN_FCN, Fusion.STACK, 32, 1e-3, balance);
                 TinySetup b = new TinySetup(SnArchitecture.DAN_FCN, Fusion.STACK, 32, 1e-3, balance)) {
                for (int iteration = 0; iteration < 2; iteration++) {
                    try (NDManager it = a.manager.newSubManager()) {
                        a.steps.adversarial(a.batch(iteration, 2, 2), it, 0.0);
                    }
                    try (NDManager it = b.manager.newSubManager()) {
                        b.steps.supervised(b.batch(iteration, 2, 0), it); // as --mode supervised samples it
                    }
                }
                assertThat(a.snOpt.skippedSteps() + a.enOpt.skippedSteps() + b.snOpt.skippedSteps()).as("steps skipped for non-finite gradients").isZero();
                Map<String, float[]> wa = snapshot(a.sn);
                Map<String, float[]> wb = snapshot(b.sn);
                assertThat(wa.keySet()).containsAll(names(a.sn, true));
                for (String k : wa.keySet()) {
                    float[] x = wa.get(k);
                    float[] y = wb.get(k);
                    for (int i = 0; i < x.length; i++) {
                        assertThat(x[i]).as(k + " balance " + balance).isCloseTo(y[i], org.assertj.core.api.Assertions.within(1e-6f));
                    }
                }
            }
        }
    }
}
