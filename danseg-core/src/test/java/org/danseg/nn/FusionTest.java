package org.danseg.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.danseg.nn.Fusion;
import org.junit.jupiter.api.Test;

class FusionTest {

    @Test
    void stackConcatenatesImageAndProbabilities() {
        try (NDManager m = NDManager.newBaseManager()) {
            // One pixel, C = 2 image channels (0.2, 0.6), K = 2 classes (0.3, 0.7).
            NDArray image = m.create(new float[] {0.2f, 0.6f}, new Shape(1, 2, 1, 1));
            NDArray prob = m.create(new float[] {0.3f, 0.7f}, new Shape(1, 2, 1, 1));
            NDArray fused = Fusion.STACK.fuse(image, prob);
            assertThat(fused.getShape()).isEqualTo(new Shape(1, 4, 1, 1));
            assertThat(fused.toFloatArray()).containsExactly(0.2f, 0.6f, 0.3f, 0.7f);
            assertThat(Fusion.STACK.channels(2, 2)).isEqualTo(4);
        }
    }

    @Test
    void productGivesIPAndOneMinusIPPerClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = m.create(new float[] {0.2f, 0.6f}, new Shape(1, 2, 1, 1));
            NDArray prob = m.create(new float[] {0.3f, 0.7f}, new Shape(1, 2, 1, 1));
            NDArray fused = Fusion.PRODUCT.fuse(image, prob);
            // 2 * C * K = 8 channels: class 0: I*P0 (0.06, 0.18), (1-I)*P0 (0.24, 0.12); class 1: I*P1 (0.14, 0.42), (1-I)*P1 (0.56, 0.28).
            assertThat(fused.getShape()).isEqualTo(new Shape(1, 8, 1, 1));
            float[] v = fused.toFloatArray();
            float[] expected = {0.06f, 0.18f, 0.24f, 0.12f, 0.14f, 0.42f, 0.56f, 0.28f};
            for (int i = 0; i < 8; i++) {
                assertThat(v[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-6f));
            }
            assertThat(Fusion.PRODUCT.channels(3, 2)).isEqualTo(12);
        }
    }

    @Test
    void maskGivesTheSegmentationAloneSoEnCannotSeeTheImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray prob = m.create(new float[] {0.3f, 0.7f}, new Shape(1, 2, 1, 1));
            NDArray a = Fusion.MASK.fuse(m.create(new float[] {0.2f, 0.6f}, new Shape(1, 2, 1, 1)), prob);
            NDArray b = Fusion.MASK.fuse(m.create(new float[] {0.9f, 0.1f}, new Shape(1, 2, 1, 1)), prob);
            assertThat(a.toFloatArray()).containsExactly(0.3f, 0.7f);
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
            assertThat(Fusion.MASK.channels(3, 2)).isEqualTo(2);
        }
    }

    @Test
    void bothFusionsKeepSpatialShapeForRgbImages() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = m.randomUniform(0f, 1f, new Shape(2, 3, 8, 8));
            NDArray prob = m.randomUniform(0f, 1f, new Shape(2, 2, 8, 8));
            assertThat(Fusion.STACK.fuse(image, prob).getShape()).isEqualTo(new Shape(2, 5, 8, 8));
            assertThat(Fusion.PRODUCT.fuse(image, prob).getShape()).isEqualTo(new Shape(2, 12, 8, 8));
        }
    }
}
