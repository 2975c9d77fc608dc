package org.danseg.data;

import java.util.SplittableRandom;

/**
 * CutMix between the unannotated patches of a batch (Yun et al., ICCV 2019; as FixMatch-style
 * segmentation uses it, e.g. UniMatch): inside one box, patch {@code i} takes the pixels of patch
 * {@code partner[i]}. The same box and partners are applied to the strong views and to their
 * pseudo-labels, so every mixed pixel keeps the label of the patch it came from.
 */
public record CutMixBox(int[] partner, int y0, int x0, int height, int width) {

    /** Box area uniform in [2%, 40%] of the patch, aspect ratio in [0.3, 1/0.3], partners a random permutation. */
    static CutMixBox draw(int patches, int patch, SplittableRandom rng) {
        double area = (0.02 + 0.38 * rng.nextDouble()) * patch * patch;
        double ratio = 0.3 + (1 / 0.3 - 0.3) * rng.nextDouble();
        int h = Math.max(1, (int) Math.min(patch, Math.sqrt(area / ratio)));
        int w = Math.max(1, (int) Math.min(patch, Math.sqrt(area * ratio)));
        int y0 = rng.nextInt(patch - h + 1);
        int x0 = rng.nextInt(patch - w + 1);
        int[] partner = new int[patches];
        for (int i = 0; i < patches; i++) {
            partner[i] = i;
        }
        for (int i = patches - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = partner[i];
            partner[i] = partner[j];
            partner[j] = t;
        }
        return new CutMixBox(partner, y0, x0, h, w);
    }

    /** Whether pixel (y, x) lies in the box. */
    public boolean contains(int y, int x) {
        return y >= y0 && y < y0 + height && x >= x0 && x < x0 + width;
    }
}
