package org.danseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;

/**
 * Runs a trained EN over an image and its predicted probabilities, tile by tile, and reads its
 * output as one score per image, in one of two ways by what EN learned:
 * <ul>
 *   <li>{@code LOOKS_ANNOTATED} (paper, balanced): EN's probability that the segmentation is of an
 *       annotated image, averaged over tiles (and over locations for a per-pixel EN);</li>
 *   <li>{@code ESTIMATED_DICE} (dan): EN predicts, per location, the share of pixels SN labels right;
 *       with E the predicted wrong pixels and F SN's foreground (soft, 1 - p(background)), the image's
 *       Dice is about 1 - E / 2F when errors split evenly between false positives and negatives:
 *       score (2F - E + 1) / (2F + 1), clamped to [0, 1]. A plain mean of EN's map is dominated by
 *       the easy background and ranked images no better than chance (Spearman -0.006, validation).</li>
 * </ul>
 */
final class EnScorer {
    /** How EN's output becomes an image's score. */
    enum Reading { LOOKS_ANNOTATED, ESTIMATED_DICE }

    private final EvaluationNet en;
    private final Fusion fusion;
    private final Reading reading;

    EnScorer(EvaluationNet en, Fusion fusion, Reading reading) {
        this.en = en;
        this.fusion = fusion;
        this.reading = reading;
    }

    double score(NDManager parent, float[] pixels01, int channels, Prediction p, int tile) {
        int w = p.width();
        int h = p.height();
        int k = p.classes();
        int tw = Math.min(tile, w);
        int th = Math.min(tile, h);
        int[] xs = SlidingWindow.starts(w, tw, 0);
        int[] ys = SlidingWindow.starts(h, th, 0);
        double sum = 0;
        double wrong = 0;
        double foreground = 0;
        try (var off = org.danseg.runtime.EngineSettings.noGrad(); NDManager m = parent.newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            for (int ty : ys) {
                for (int tx : xs) {
                    NDArray image = m.create(crop(pixels01, channels, w, h, tx, ty, tw, th), new Shape(1, channels, th, tw));
                    NDArray prob = m.create(crop(p.probabilities(), k, w, h, tx, ty, tw, th), new Shape(1, k, th, tw));
                    NDArray logit = en.forward(store, new NDList(fusion.fuse(image, prob)), false).singletonOrThrow();
                    NDArray right = Activation.sigmoid(logit);
                    sum += right.mean().getFloat(); // a pixel EN's map: its mean
                    // Each location stands for an equal share of the tile's pixels.
                    wrong += right.neg().add(1f).mean().getFloat() * tw * th;
                    foreground += prob.get("0:1, 0").neg().add(1f).sum().getFloat();
                }
            }
        }
        if (reading == Reading.ESTIMATED_DICE) {
            return Math.max(0, Math.min(1, (2 * foreground - wrong + 1) / (2 * foreground + 1)));
        }
        return sum / (xs.length * ys.length);
    }

    private static float[] crop(float[] planes, int count, int w, int h, int x0, int y0, int cw, int ch) {
        float[] out = new float[count * cw * ch];
        for (int c = 0; c < count; c++) {
            for (int y = 0; y < ch; y++) {
                System.arraycopy(planes, (c * h + y0 + y) * w + x0, out, (c * ch + y) * cw, cw);
            }
        }
        return out;
    }
}
