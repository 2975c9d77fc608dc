package org.danseg.train;

import ai.djl.ndarray.NDArray;

/** The losses of DAN, as plain tensor arithmetic (DJL has no Dice loss and no weighting by valid pixel). */
public final class Losses {

    private Losses() {
    }

    /**
     * Multi-class cross-entropy of logits (B, K, H, W) against one-hot labels (zero at unlabelled
     * pixels), averaged over the {@code labelledPixels} that carry a label.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot, long labelledPixels) {
        NDArray sum = logits.logSoftmax(1).mul(oneHot).sum().neg();
        return sum.div(Scalars.of(sum, Math.max(1, labelledPixels)));
    }

    /** Soft Dice loss over foreground classes: 1 - mean_k 2|P_k G_k| / (|P_k| + |G_k|), on labelled pixels only. */
    public static NDArray softDice(NDArray prob, NDArray oneHot) {
        long k = prob.getShape().get(1);
        NDArray labelled = oneHot.sum(new int[] {1}, true);
        NDArray p = prob.mul(labelled);
        NDArray inter = p.mul(oneHot).sum(new int[] {0, 2, 3});
        NDArray sizes = p.sum(new int[] {0, 2, 3}).add(oneHot.sum(new int[] {0, 2, 3}));
        NDArray dice = inter.mul(Scalars.of(inter, 2)).add(1f).div(sizes.add(1f));
        NDArray fg = dice.get("1:").sum();
        return fg.div(Scalars.of(fg, k - 1)).neg().add(1f);
    }

    /** Mean binary cross-entropy of logits against a constant target, numerically stable. */
    public static NDArray bceWithLogits(NDArray logits, float target) {
        // max(x, 0) - x t + log(1 + exp(-|x|))
        // relu instead of maximum(0): maximum would keep a Java-owned 0 for its backward pass (Scalars).
        return ai.djl.nn.Activation.relu(logits).sub(logits.mul(Scalars.of(logits, target))).add(logits.abs().neg().exp().add(1f).log()).mean();
    }

    /** Mean binary cross-entropy of logits against per-element targets in [0, 1] (soft targets allowed), numerically stable. */
    public static NDArray bceWithLogits(NDArray logits, NDArray targets) {
        return ai.djl.nn.Activation.relu(logits).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log()).mean();
    }
}
