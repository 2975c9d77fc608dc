package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import org.danseg.config.CutMixSource;
import org.danseg.config.UnannotatedPass;
import org.danseg.data.Batch;

/**
 * danseg's own recipe ({@code --mode dan}): FixMatch-style weak/strong pseudo-labelling with
 * CutMix ({@link FixMatchSteps}) whose pseudo-labels EN judges, location by location.
 * <ol>
 *   <li>Pseudo-labels: SN in inference mode segments the weak view of each unannotated patch;
 *       EN (inference mode) scores every location of that segmentation.</li>
 *   <li>EN step (EN's parameters only): EN learns to evaluate a segmentation: from (annotated image,
 *       SN's segmentation of it) it predicts, per location, the share of pixels where SN's label is
 *       the annotation's (one number per image for an image-level EN); it sees SN's segmentation as
 *       it is and with the batch's CutMix box filled from another annotated patch's segmentation,
 *       so it meets errors even when SN fits its annotations. A judge of correctness, not a
 *       discriminator of annotations against predictions: a real/fake EN (Hung et al., BMVC 2018)
 *       told SN's soft maps from one-hot annotations at once and scored every unannotated pixel
 *       below 0.2, so its gate passed nothing (measured on the validation split, 2026-12-02).</li>
 *   <li>SN step (EN frozen): supervised loss + lambda * (self-training + w * adversarial).
 *       Self-training: cross-entropy of SN on the CutMix-ed strong views against the mixed
 *       pseudo-labels, at pixels where SN's confidence is at least {@code confidence} and EN's
 *       score at least {@code enConfidence}, averaged over all unannotated pixels. Adversarial
 *       (only when w > 0): SN's segmentation of the strong views should look like an annotation to EN.</li>
 * </ol>
 * With {@code enConfidence} 0 and w 0, SN's updates are exactly {@link FixMatchSteps}' (EN learns
 * beside it without touching SN; a test checks this); lambda = 0 is the baseline.
 */
final class JudgedSelfTrainingSteps implements TrainingSteps {
    private final SnSupervision snSide;
    private final EnTraining enSide;
    private final double confidence;
    private final double enConfidence;
    private final float adversarialWeight;
    private final UnannotatedPass pass;
    private final CutMixSource cutMix;
    private final boolean fillHoles;

    JudgedSelfTrainingSteps(SnSupervision snSide, EnTraining enSide, double confidence, double enConfidence, double adversarialWeight,
                            UnannotatedPass pass, CutMixSource cutMix, boolean fillHoles) {
        this.fillHoles = fillHoles;
        this.snSide = snSide;
        this.enSide = enSide;
        this.confidence = confidence;
        this.enConfidence = enConfidence;
        this.adversarialWeight = (float) adversarialWeight;
        this.pass = pass;
        this.cutMix = cutMix;
    }

    @Override
    public StepResult supervised(Batch b, NDManager it) {
        return snSide.supervisedStep(b, it);
    }

    @Override
    public boolean needsStrongViews() {
        return true;
    }

    /** EN's scores as a (B, 1, H, W) map: one per image broadcast, or a coarse map repeated (nearest) and cropped. */
    static NDArray toPixels(NDArray scores, Shape image) {
        long n = image.get(0);
        long h = image.get(2);
        long w = image.get(3);
        if (scores.getShape().dimension() == 1) {
            return scores.reshape(n, 1, 1, 1).broadcast(n, 1, h, w);
        }
        long ch = scores.getShape().get(2);
        long cw = scores.getShape().get(3);
        long sy = (h + ch - 1) / ch;
        long sx = (w + cw - 1) / cw;
        NDArray up = scores.reshape(n, 1, ch, 1, cw, 1).broadcast(n, 1, ch, sy, cw, sx).reshape(n, 1, ch * sy, cw * sx);
        return up.get(new NDIndex(":, :, 0:{}, 0:{}", h, w));
    }

    /** The batch's CutMix box over the annotated patches, patch i taking patch i + 1's (cyclically). */
    private static org.danseg.data.CutMixBox swapBox(Batch b) {
        int[] next = new int[b.annotated()];
        for (int i = 0; i < next.length; i++) {
            next[i] = (i + 1) % next.length;
        }
        var box = b.mix();
        return new org.danseg.data.CutMixBox(next, box.y0(), box.x0(), box.height(), box.width());
    }

    /** 1 where SN's most probable class is the annotation's or the pixel has no label, else 0: (B, 1, P, P). */
    static NDArray correctness(NDArray prob, NDArray oneHot) {
        NDArray hard = prob.eq(prob.max(new int[] {1}, true)).toType(DataType.FLOAT32, false);
        NDArray unlabelled = oneHot.sum(new int[] {1}, true).neg().add(1f);
        return hard.mul(oneHot).sum(new int[] {1}, true).add(unlabelled).minimum(Scalars.of(prob, 1));
    }

    /**
     * A (B, 1, P, P) map averaged to EN's output: per image for an image-level EN (shape (B)), else
     * over each location's P/h x P/w cell (the map cropped to whole cells).
     */
    static NDArray pooled(NDArray map, Shape enOutput) {
        long n = map.getShape().get(0);
        if (enOutput.dimension() == 1) {
            return map.reshape(n, -1).mean(new int[] {1});
        }
        long h = enOutput.get(2);
        long w = enOutput.get(3);
        long sy = map.getShape().get(2) / h;
        long sx = map.getShape().get(3) / w;
        NDArray cropped = map.get(new NDIndex(":, :, 0:{}, 0:{}", h * sy, w * sx));
        NDArray sums = cropped.reshape(n, 1, h, sy, w, sx).sum(new int[] {3, 5});
        return sums.div(Scalars.of(sums, sy * sx));
    }

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        SnSupervision.Tensors t = snSide.tensors(b, it);
        PseudoLabelling.Weak weak = PseudoLabelling.predict(snSide, t.weak01(), fillHoles);
        NDArray enScore = enSide.judge(t.weak01(), weak.prob());
        NDArray judged = toPixels(enScore, t.weak01().getShape()).gte(enConfidence).toType(DataType.FLOAT32, false);
        NDArray trusted = PseudoLabelling.confident(weak.confidence(), confidence).mul(judged);
        PseudoLabelling.Mixed m = PseudoLabelling.mixed(t.strong01(), weak, trusted, b.mix(), cutMix, t.annotated01(), t.oneHot());
        try (GradientCollector gc = snSide.collector()) {
            try (SnSupervision.Both s = snSide.trainBoth(t.annotated01(), m.strong01(), pass, lambda > 0)) {
                NDArray logitsA = s.annotated();
                NDArray probA = logitsA.softmax(1);
                // EN step: how right SN's segmentation of each annotated patch is, location by location,
                // and of the same segmentation with a box taken from another patch's (mostly wrong there):
                // SN fits its few annotated patches, so without the second half EN would see no errors.
                NDArray segmentations = probA.stopGradient();
                segmentations = segmentations.concat(PseudoLabelling.mix(segmentations, swapBox(b)), 0);
                NDArray scores = enSide.scores(t.annotated01().concat(t.annotated01(), 0), segmentations);
                NDArray target = pooled(correctness(segmentations, t.oneHot().concat(t.oneHot(), 0)), scores.getShape());
                NDArray enLoss = Losses.bceWithLogits(scores, target);
                enSide.step(gc, enLoss);

                NDArray supervised = snSide.supervisedLoss(logitsA, probA, t.oneHot(), b.labelledPixels());
                NDArray selfTraining = PseudoLabelling.weightedCrossEntropy(s.unannotated(), m.labels(), m.weight());
                double adversarial = Double.NaN;
                NDArray unannotated = selfTraining;
                try (EnTraining.Frozen frozen = enSide.frozen()) {
                    if (adversarialWeight > 0) {
                        NDArray adv = Losses.bceWithLogits(enSide.scores(m.strong01(), s.unannotated().softmax(1)), 1f);
                        adversarial = adv.getFloat();
                        unannotated = unannotated.add(adv.mul(Scalars.of(adv, adversarialWeight)));
                    }
                    gc.backward(supervised.add(unannotated.mul(Scalars.of(unannotated, lambda))));
                    snSide.optimizer.step();
                }
                return new StepResult(supervised.getFloat(), enLoss.getFloat(), adversarial,
                        Activation.sigmoid(scores).mean().getFloat(), enScore.mean().getFloat(),
                        SnSupervision.foreground(probA), selfTraining.getFloat(), m.weight().mean().getFloat());
            }
        }
    }
}
