package org.danseg.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Patches are a pure function of (seed, iteration), and geometry moves image and labels together. */
class PatchSamplerTest {

    /**
     * One-channel images whose every pixel value encodes its position and whose label is a
     * function of that value: after any crop, flip or rotation the pair must still agree.
     */
    private static TrainingSet coded(int n, int w, int h, boolean annotated) {
        List<TrainingSet.Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] px = new float[w * h];
            int[] labels = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int code = (i * h + y) * w + x + 1;
                    px[y * w + x] = code / (float) (1 << 20);
                    labels[y * w + x] = code % 3;
                }
            }
            items.add(new TrainingSet.Item("c" + i, w, h, px, annotated ? labels : null));
        }
        return new TrainingSet(items, 1, 3);
    }

    @Test
    void aBatchDependsOnlyOnSeedAndIterationAndTheAnnotatedPartNotOnTheUnannotated() {
        PatchSampler s = new PatchSampler(coded(3, 40, 50, true), coded(4, 40, 50, false), 32, 9, Augmentation.DEFAULT);
        Batch a = s.batch(5, 2, 2);
        assertThat(new PatchSampler(coded(3, 40, 50, true), coded(4, 40, 50, false), 32, 9, Augmentation.DEFAULT).batch(5, 2, 2).images())
                .containsExactly(a.images());
        assertThat(s.batch(6, 2, 2).images()).isNotEqualTo(a.images());
        assertThat(new PatchSampler(coded(3, 40, 50, true), coded(4, 40, 50, false), 32, 10, Augmentation.DEFAULT).batch(5, 2, 2).images())
                .isNotEqualTo(a.images());
        // A supervised run (no unannotated patches) sees the very same annotated patches.
        Batch supervised = s.batch(5, 2, 0);
        assertThat(supervised.oneHot()).containsExactly(a.oneHot());
        assertThat(supervised.images()).containsExactly(java.util.Arrays.copyOf(a.images(), 2 * 32 * 32));
    }

    @Test
    void geometryMovesLabelsWithPixelsAndPaddingCarriesNoLabel() {
        // Images smaller than the patch on one side: the rest is padding.
        Augmentation geometryOnly = new Augmentation(true, true, 0, 0);
        PatchSampler s = new PatchSampler(coded(2, 40, 20, true), null, 32, 3, geometryOnly);
        int plane = 32 * 32;
        for (int it = 0; it < 20; it++) {
            Batch b = s.batch(it, 2, 0);
            long labelled = 0;
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < plane; o++) {
                    float v = b.images()[n * plane + o];
                    int label = -1;
                    for (int k = 0; k < 3; k++) {
                        if (b.oneHot()[(n * 3 + k) * plane + o] == 1f) {
                            assertThat(label).as("one class per pixel").isEqualTo(-1);
                            label = k;
                        }
                    }
                    if (v == 0f) {
                        assertThat(label).as("padding has no label").isEqualTo(-1);
                    } else {
                        int code = Math.round(v * (1 << 20));
                        assertThat(label).as("iteration " + it + " pixel " + o).isEqualTo(code % 3);
                        labelled++;
                    }
                }
            }
            assertThat(b.labelledPixels()).isEqualTo(labelled).isEqualTo(2L * 32 * 20);
        }
    }

    @Test
    void intensityJitterStaysInTheUnitRange() {
        TrainingSet bright = coded(1, 32, 32, true);
        java.util.Arrays.fill(bright.items().get(0).pixels(), 0.99f);
        Batch b = new PatchSampler(bright, null, 32, 1, new Augmentation(false, false, 0.5, 0.5)).batch(0, 4, 0);
        for (float v : b.images()) {
            assertThat(v).isBetween(0f, 1f);
        }
    }
}
