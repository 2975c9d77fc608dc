package org.danseg.infer;

/** From class probabilities (K, H, W) to per-pixel labels. */
public final class ClassMaps {

    private ClassMaps() {
    }

    /** Per-pixel argmax (ties: the lower class). */
    public static int[] argmax(float[] prob, int classes, int pixels) {
        int[] out = new int[pixels];
        for (int i = 0; i < pixels; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (prob[k * pixels + i] > prob[best * pixels + i]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
