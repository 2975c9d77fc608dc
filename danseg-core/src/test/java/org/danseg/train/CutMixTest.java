package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.danseg.config.CutMixSource;
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
    void copyPasteWithAnnotatedPatchesPutsTheirPixelsAndLabelsInsideTheBoxThenAroundIt() {
        int p = 8;
        CutMixBox box = new CutMixBox(new int[] {1, 2, 0}, 2, 3, 4, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray strong = m.full(new Shape(3, 1, p, p), 0.25f);
            NDArray weakLabels = m.ones(new Shape(3, 1, p, p)).concat(m.zeros(new Shape(3, 1, p, p)), 1); // all background
            NDArray trust = m.full(new Shape(3, 1, p, p), 0.5f);
            NDArray annotated = m.arange(2f).reshape(2, 1, 1, 1).add(0.6f).broadcast(2, 1, p, p); // 0.6 and 1.6
            NDArray oneHot = m.zeros(new Shape(2, 1, p, p)).concat(m.ones(new Shape(2, 1, p, p)), 1); // all foreground
            PseudoLabelling.Weak weak = new PseudoLabelling.Weak(weakLabels, weakLabels, trust);
            PseudoLabelling.Mixed mixed = PseudoLabelling.mixed(strong, weak, trust, box, CutMixSource.ANNOTATED, annotated, oneHot);
            float[] image = mixed.strong01().toFloatArray();
            float[] labels = mixed.labels().toFloatArray();
            float[] weight = mixed.weight().toFloatArray();
            for (int i = 0; i < 3; i++) {
                for (int y = 0; y < p; y++) {
                    for (int c = 0; c < p; c++) {
                        boolean fromAnnotated = box.contains(y, c) == (i % 2 == 0);
                        int at = i * p * p + y * p + c;
                        float annotatedValue = 0.6f + box.partner()[i] % 2;
                        assertThat(image[at]).as("image %d at (%d, %d)", i, y, c).isEqualTo(fromAnnotated ? annotatedValue : 0.25f);
                        assertThat(labels[i * 2 * p * p + p * p + y * p + c]).as("foreground label %d at (%d, %d)", i, y, c)
                                .isEqualTo(fromAnnotated ? 1f : 0f);
                        assertThat(weight[at]).as("weight %d at (%d, %d)", i, y, c).isEqualTo(fromAnnotated ? 1f : 0.5f);
                    }
                }
            }
            PseudoLabelling.Mixed among = PseudoLabelling.mixed(strong, weak, trust, box, CutMixSource.UNANNOTATED, annotated, oneHot);
            assertThat(among.strong01().max().getFloat()).as("unannotated source: no annotated pixel").isEqualTo(0.25f);
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
