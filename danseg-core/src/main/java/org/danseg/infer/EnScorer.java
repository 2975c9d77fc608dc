package org.danseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;

/** Runs a trained EN over an image and its predicted probabilities, tile by tile, and averages its scores. */
final class EnScorer {
    private final EvaluationNet en;
    private final Fusion fusion;

    EnScorer(EvaluationNet en, Fusion fusion) {
        this.en = en;
        this.fusion = fusion;
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
        try (var off = org.danseg.runtime.EngineSettings.noGrad(); NDManager m = parent.newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            for (int ty : ys) {
                for (int tx : xs) {
                    NDArray image = m.create(crop(pixels01, channels, w, h, tx, ty, tw, th), new Shape(1, channels, th, tw));
                    NDArray prob = m.create(crop(p.probabilities(), k, w, h, tx, ty, tw, th), new Shape(1, k, th, tw));
                    NDArray logit = en.forward(store, new NDList(fusion.fuse(image, prob)), false).singletonOrThrow();
                    sum += Activation.sigmoid(logit).mean().getFloat(); // a pixel EN's map: its mean
                }
            }
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
