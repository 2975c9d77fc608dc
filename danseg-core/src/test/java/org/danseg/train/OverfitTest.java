package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.danseg.data.Batch;
import org.danseg.nn.Fusion;
import org.danseg.nn.SnArchitecture;
import org.danseg.testing.TinySetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both SN types learn a trivially learnable set (bright discs) to Dice > 0.95 within a test-sized budget. */
@Tag("slow")
class OverfitTest {

    @ParameterizedTest
    @EnumSource(SnArchitecture.class)
    void tinyNetworkFitsDiscs(SnArchitecture architecture) {
        try (TinySetup t = new TinySetup(architecture, Fusion.STACK, 32, 1e-2)) {
            for (int it = 0; it < 120; it++) {
                try (NDManager m = t.manager.newSubManager()) {
                    t.steps.supervised(t.batch(it, 4, 0), m);
                }
            }
            // Evaluate in inference mode (running statistics) on fresh augmented batches.
            long tp = 0;
            long fp = 0;
            long fn = 0;
            ParameterStore ps = new ParameterStore(t.manager, false);
            for (int it = 1000; it < 1004; it++) {
                Batch b = t.batch(it, 4, 0);
                try (NDManager m = t.manager.newSubManager()) {
                    NDArray x = m.create(b.images(), new Shape(4, 3, 32, 32)).sub(0.3f).div(0.3f);
                    int[] pred = t.sn.forward(ps, new NDList(x), false).singletonOrThrow().argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
                    float[] oneHot = b.oneHot();
                    int plane = 32 * 32;
                    for (int i = 0; i < pred.length; i++) {
                        int img = i / plane;
                        boolean truth = oneHot[(img * 2 + 1) * plane + i % plane] > 0;
                        boolean p = pred[i] == 1;
                        tp += p && truth ? 1 : 0;
                        fp += p && !truth ? 1 : 0;
                        fn += !p && truth ? 1 : 0;
                    }
                }
            }
            double dice = 2.0 * tp / (2.0 * tp + fp + fn);
            assertThat(dice).as(architecture + " Dice").isGreaterThan(0.95);
        }
    }
}
