package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import org.danseg.data.Batch;

/**
 * danseg's own recipe ({@code --mode dan}): FixMatch-style weak/strong pseudo-labelling with
 * CutMix ({@link FixMatchSteps}) whose pseudo-labels EN judges, pixel by pixel.
 * <ol>
 *   <li>Pseudo-labels: SN in inference mode segments the weak view of each unannotated patch;
 *       EN (inference mode) scores every location of that segmentation.</li>
 *   <li>EN step (EN's parameters only): real = (annotated image, its annotation) with target 1,
 *       fake = (annotated image, SN's segmentation) and (unannotated image, SN's segmentation)
 *       with target 0. Real and fake inputs of an annotated patch share its augmentation, so EN
 *       cannot tell them apart by the image: only by the segmentation (Hung et al., BMVC 2018).</li>
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

    JudgedSelfTrainingSteps(SnSupervision snSide, EnTraining enSide, double confidence, double enConfidence, double adversarialWeight) {
        this.snSide = snSide;
        this.enSide = enSide;
        this.confidence = confidence;
        this.enConfidence = enConfidence;
        this.adversarialWeight = (float) adversarialWeight;
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

    private static NDArray half(NDArray x) {
        return x.mul(Scalars.of(x, 0.5));
    }

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        int a = b.annotated();
        SnSupervision.Tensors t = snSide.tensors(b, it);
        PseudoLabelling.Weak weak = PseudoLabelling.predict(snSide, t.weak01());
        NDArray enScore = enSide.judge(t.weak01(), weak.prob());
        NDArray judged = toPixels(enScore, t.weak01().getShape()).gte(enConfidence).toType(DataType.FLOAT32, false);
        NDArray trusted = PseudoLabelling.confident(weak.confidence(), confidence).mul(judged);
        NDArray strong = PseudoLabelling.mix(t.strong01(), b.mix());
        NDArray labels = PseudoLabelling.mix(weak.labels(), b.mix());
        NDArray weight = PseudoLabelling.mix(trusted, b.mix());
        try (GradientCollector gc = snSide.collector()) {
            NDArray logitsA = snSide.train(t.annotated01());
            NDArray probA = logitsA.softmax(1);
            try (SnSupervision.Pass s = snSide.trainKeepingStatistics(strong)) {
                // EN step: annotations are real, SN's segmentations (annotated and unannotated) fake.
                // One EN pass over [annotated real | annotated fake | unannotated fake].
                NDArray scores = enSide.scores(t.annotated01().concat(t.annotated01(), 0).concat(t.weak01(), 0),
                        t.oneHot().concat(probA.stopGradient(), 0).concat(weak.prob(), 0));
                NDArray real = scores.get(new NDIndex("0:{}", a));
                NDArray fakeA = scores.get(new NDIndex("{}:{}", a, 2 * a));
                NDArray fakeU = scores.get(new NDIndex("{}:", 2 * a));
                float sm = enSide.smoothing;
                NDArray enLoss = Losses.bceWithLogits(real, 1f - sm)
                        .add(half(Losses.bceWithLogits(fakeA, sm).add(Losses.bceWithLogits(fakeU, sm))));
                enSide.step(gc, enLoss);

                NDArray supervised = snSide.supervisedLoss(logitsA, probA, t.oneHot(), b.labelledPixels());
                NDArray selfTraining = PseudoLabelling.weightedCrossEntropy(s.logits(), labels, weight);
                double adversarial = Double.NaN;
                NDArray unannotated = selfTraining;
                try (EnTraining.Frozen frozen = enSide.frozen()) {
                    if (adversarialWeight > 0) {
                        NDArray adv = Losses.bceWithLogits(enSide.scores(strong, s.logits().softmax(1)), 1f);
                        adversarial = adv.getFloat();
                        unannotated = unannotated.add(adv.mul(Scalars.of(adv, adversarialWeight)));
                    }
                    gc.backward(supervised.add(unannotated.mul(Scalars.of(unannotated, lambda))));
                    snSide.optimizer.step();
                }
                return new StepResult(supervised.getFloat(), enLoss.getFloat(), adversarial,
                        Activation.sigmoid(real).mean().getFloat(), enScore.mean().getFloat(),
                        SnSupervision.foreground(probA), selfTraining.getFloat(), weight.mean().getFloat());
            }
        }
    }
}
