package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.danseg.data.Batch;
import org.danseg.data.CutMixBox;
import org.danseg.testing.TinySetup;
import org.junit.jupiter.api.Test;

/** CutMix moves images and everything that belongs to them pixel for pixel with one box. */
class CutMixTest {

    @Test
    void imagesAndTheirLabelsAreMixedWithTheSameBox() {
        int p = 8;
        CutMixBox box = new CutMixBox(new int[] {1, 2, 0}, 2, 3, 4, 2);
        float[] images = new float[3 * p * p];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.sin(i * 0.7) * 0.5f + 0.5f;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(images, new Shape(3, 1, p, p));
            NDArray labels = x.gt(0.5f).toType(DataType.FLOAT32, false);
            float[] mixed = PseudoLabelling.mix(x, box).toFloatArray();
            float[] mixedLabels = PseudoLabelling.mix(labels, box).toFloatArray();
            for (int i = 0; i < 3; i++) {
                for (int y = 0; y < p; y++) {
                    for (int c = 0; c < p; c++) {
                        int at = i * p * p + y * p + c;
                        int from = (box.contains(y, c) ? box.partner()[i] : i) * p * p + y * p + c;
                        assertThat(mixed[at]).as("image %d at (%d, %d)", i, y, c).isEqualTo(images[from]);
                        assertThat(mixedLabels[at]).as("label %d at (%d, %d)", i, y, c).isEqualTo(images[from] > 0.5f ? 1f : 0f);
                    }
                }
            }
        }
    }

    @Test
    void theSamplerDrawsABoxInsideThePatchAndAPermutation() {
        try (TinySetup t = new TinySetup(org.danseg.nn.SnArchitecture.DAN_FCN, org.danseg.nn.Fusion.STACK, 32, 1e-3)) {
            for (int it = 0; it < 50; it++) {
                Batch b = t.strongBatch(it, 2, 3);
                CutMixBox box = b.mix();
                assertThat(box.y0()).isBetween(0, 32 - box.height());
                assertThat(box.x0()).isBetween(0, 32 - box.width());
                assertThat(box.height() * box.width()).isBetween(1, 32 * 32 * 2 / 5 + 32);
                assertThat(box.partner()).containsExactlyInAnyOrder(0, 1, 2);
                assertThat(t.strongBatch(it, 2, 3).mix()).as("a pure function of (seed, iteration)").usingRecursiveComparison().isEqualTo(box);
            }
        }
    }
}
