package org.danseg.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Output shapes of SN and both EN forms, for sizes that are not powers of two and for odd EN inputs. */
class NetworkShapesTest {

    private static Shape forward(ai.djl.nn.Block net, NDManager m, Shape input) {
        NDArray x = m.randomNormal(input);
        return net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().getShape();
    }

    @Test
    void snKeepsTheSideAndGivesOneLogitPerClass() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            for (SnArchitecture a : SnArchitecture.values()) {
                for (int channels : new int[] {1, 3}) {
                    NetworkPair pair = NetworkPair.forTraining(new NetworkPair.Spec(a, 2, Fusion.STACK, EvaluationNet.Kind.IMAGE, channels, 3), m, 32);
                    int h = 3 * a.sizeMultiple();
                    int w = 5 * a.sizeMultiple();
                    assertThat(forward(pair.sn(), m, new Shape(2, channels, h, w))).as(a + " " + channels).isEqualTo(new Shape(2, 3, h, w));
                    assertThat(pair.sn().sizeMultiple()).isEqualTo(a.sizeMultiple());
                }
            }
        }
    }

    @Test
    void enGivesOneScorePerImageOrACeilEighthMapForAnySize() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Fusion fusion : Fusion.values()) {
                int in = fusion.channels(3, 2);
                EvaluationNet image = Networks.evaluation(3, 2, 2, fusion, EvaluationNet.Kind.IMAGE);
                image.initialize(m, 32);
                assertThat(forward(image, m, new Shape(2, in, 37, 45))).isEqualTo(new Shape(2));
                EvaluationNet pixel = Networks.evaluation(3, 2, 2, fusion, EvaluationNet.Kind.PIXEL);
                pixel.initialize(m, 32);
                assertThat(forward(pixel, m, new Shape(2, in, 37, 45))).isEqualTo(new Shape(2, 1, 5, 6));
                assertThat(pixel.getOutputShapes(new Shape[] {new Shape(2, in, 37, 45)})[0]).isEqualTo(new Shape(2, 1, 5, 6));
            }
        }
    }
}
