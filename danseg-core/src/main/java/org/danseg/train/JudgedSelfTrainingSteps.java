package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import org.danseg.data.Batch;

/**
 * danseg's default recipe ({@code --mode dan}): EN judges segmentations against the ground truth,
 * and SN learns from the unannotated images where both SN and EN trust its prediction.
 * <ol>
 *   <li>Pseudo-labels: SN in inference mode segments the weak view of each unannotated patch; EN
 *       (inference mode) scores every location of that segmentation.</li>
 *   <li>EN step (EN's parameters only): real = (annotated image, its annotation) with target 1,
 *       fake = (annotated image, SN's segmentation) and (unannotated image, SN's segmentation)
 *       with target 0. Real and fake inputs of an annotated patch share its augmentation, so EN
 *       cannot tell them apart by the image: only by the segmentation (Hung et al., BMVC 2018).</li>
 *   <li>SN step (EN frozen): supervised loss + lambda * (self-training + w * adversarial).
 *       Self-training: cross-entropy of SN on the <em>strong</em> view against the weak view's
 *       pseudo-label, at pixels where SN's confidence is at least {@code confidence} and EN's
 *       score at least {@code enConfidence}, averaged over all unannotated pixels (FixMatch's
 *       weighting: the more pixels are trusted, the more the term pulls). Adversarial: SN's
 *       segmentation of the strong view should look like an annotation to EN (weight w, small).</li>
 * </ol>
 * The annotated patches pass SN exactly as in the baseline (their own pass, their own BatchNorm
 * statistics), and the strong pass's running-statistics update is undone, so lambda = 0 is the
 * baseline.
 */
final class JudgedSelfTrainingSteps implements TrainingSteps {
    private final DanSteps base;
    private final float confidence;
    private final float enConfidence;
    private final float adversarialWeight;

    JudgedSelfTrainingSteps(DanSteps base, double confidence, double enConfidence, double adversarialWeight) {
        this.base = base;
        this.confidence = (float) confidence;
        this.enConfidence = (float) enConfidence;
        this.adversarialWeight = (float) adversarialWeight;
    }

    @Override
    public StepResult supervised(Batch b, NDManager it) {
        return base.supervised(b, it);
    }

    @Override
    public boolean needsStrongViews() {
        return true;
    }

    /** Pseudo-labels of the weak views and the mask of trusted pixels, computed without a graph. */
    record PseudoLabels(NDArray prob, NDArray oneHot, NDArray trusted, NDArray enScore) {
    }

    PseudoLabels pseudoLabels(NDArray weak01) {
        // SN with the weak batch's own statistics, as it trains, not with its running averages: early in
        // training those lag far behind (validation Dice 0.05 at iteration 300 on the validation split,
        // with a training loss of 0.10), and pseudo-labels from them taught SN its own mistakes.
        NDArray prob;
        try (RunningStatistics keep = new RunningStatistics(base.sn)) {
            prob = base.sn.forward(base.store, new NDList(base.normalize(weak01)), true).singletonOrThrow().softmax(1);
        }
        NDArray max = prob.max(new int[] {1}, true);
        NDArray oneHot = prob.eq(max).toType(DataType.FLOAT32, false);
        NDArray enScore = Activation.sigmoid(base.en.forward(base.store, new NDList(base.fusion.fuse(weak01, prob)), false).singletonOrThrow());
        NDArray enMap = toPixels(enScore, weak01.getShape());
        NDArray trusted = max.gte(confidence).logicalAnd(enMap.gte(enConfidence)).toType(DataType.FLOAT32, false);
        return new PseudoLabels(prob, oneHot, trusted, enScore);
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

    /**
     * Cross-entropy against pseudo-labels with every class weighted alike: per class, the mean over its
     * trusted pixels, then the mean over classes that have any. Averaged over all pixels instead, the
     * confident background (most of an image) outweighed the few confident foreground pixels and the
     * self-training shrank the foreground (validation split: Dice 0.32 against the baseline's 0.74).
     */
    static NDArray classBalancedCrossEntropy(NDArray logits, NDArray targets) {
        NDArray perClass = logits.logSoftmax(1).mul(targets).sum(new int[] {0, 2, 3}).neg();
        NDArray counts = targets.sum(new int[] {0, 2, 3});
        NDArray present = counts.gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray means = perClass.div(counts.maximum(Scalars.of(counts, 1)));
        NDArray classes = present.sum();
        return means.mul(present).sum().div(classes.maximum(Scalars.of(classes, 1)));
    }

    private static NDArray half(NDArray x) {
        return x.mul(Scalars.of(x, 0.5));
    }

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        int a = b.annotated();
        DanSteps.ConsistencyBatch t = base.consistencyTensors(b, it);
        NDArray annotated01 = t.annotated01();
        NDArray weak01 = t.weak01();
        NDArray strong01 = t.strong01();
        NDArray oneHot = t.oneHot();
        PseudoLabels pl = pseudoLabels(weak01);

        RunningStatistics keep = null;
        try (GradientCollector gc = base.newCollector()) {
            NDArray logitsA = base.snForward(annotated01);
            // The strong pass's running-statistics update is undone after the backward pass (autograd
            // checks that BatchNorm's saved tensors were not modified in place before it uses them).
            keep = new RunningStatistics(base.sn);
            NDArray logitsS = base.snForward(strong01);
            NDArray probA = logitsA.softmax(1);
            DanSteps.Forward f = new DanSteps.Forward(b.annotatedOnly(), annotated01, logitsA, probA, oneHot, null);

            // EN step: annotations are real, SN's segmentations (annotated and unannotated) fake.
            // One EN pass over [annotated real | annotated fake | unannotated fake].
            NDArray enIn = base.fusion.fuse(annotated01.concat(annotated01, 0).concat(weak01, 0),
                    oneHot.concat(probA.stopGradient(), 0).concat(pl.prob(), 0));
            NDArray scores = base.forwardKeepingOutput(base.en, enIn);
            NDArray real = scores.get(new NDIndex("0:{}", a));
            NDArray fakeA = scores.get(new NDIndex("{}:{}", a, 2 * a));
            NDArray fakeU = scores.get(new NDIndex("{}:", 2 * a));
            float s = base.enSmoothing;
            NDArray enLoss = Losses.bceWithLogits(real, 1f - s)
                    .add(half(Losses.bceWithLogits(fakeA, s).add(Losses.bceWithLogits(fakeU, s))));
            gc.backward(enLoss);
            base.enOptimizer.step();

            // SN step, EN frozen.
            base.enOptimizer.freeze(true);
            try {
                NDArray probS = logitsS.softmax(1);
                NDArray adversarial = Losses.bceWithLogits(base.forwardKeepingOutput(base.en, base.fusion.fuse(strong01, probS)), 1f);
                NDArray selfTraining = classBalancedCrossEntropy(logitsS, pl.oneHot().mul(pl.trusted()));
                NDArray supervised = base.supervisedLoss(f);
                NDArray unannotated = selfTraining.add(adversarial.mul(Scalars.of(adversarial, adversarialWeight)));
                NDArray loss = supervised.add(unannotated.mul(Scalars.of(unannotated, lambda)));
                gc.backward(loss);
                base.snOptimizer.step();
                return new StepResult(supervised.getFloat(), enLoss.getFloat(), adversarial.getFloat(),
                        Activation.sigmoid(real).mean().getFloat(), pl.enScore().mean().getFloat(),
                        DanSteps.foreground(f), selfTraining.getFloat(), pl.trusted().mean().getFloat());
            } finally {
                base.enOptimizer.freeze(false);
            }
        } finally {
            if (keep != null) {
                keep.close();
            }
        }
    }
}
