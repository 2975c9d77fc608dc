package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.danseg.data.Batch;

/**
 * The plain FixMatch-style reference ({@code --mode fixmatch}; Sohn et al., NeurIPS 2020, as
 * UniMatch applies it to segmentation without its feature perturbation): pseudo-labels from SN's
 * inference-mode prediction on the weak view where its confidence is at least {@code confidence},
 * cross-entropy on the strong view (colour jitter, blur) after CutMix between unannotated patches,
 * weighted by lambda. No EN. The annotated patches pass SN exactly as in the baseline (their own
 * pass, their own BatchNorm statistics; the strong pass's running-statistics update is undone),
 * so lambda = 0 is the baseline bit for bit.
 */
final class FixMatchSteps implements TrainingSteps {
    private final SnSupervision snSide;
    private final double confidence;
    private final boolean unannotatedStatistics;

    FixMatchSteps(SnSupervision snSide, double confidence, boolean unannotatedStatistics) {
        this.snSide = snSide;
        this.confidence = confidence;
        this.unannotatedStatistics = unannotatedStatistics;
    }

    @Override
    public StepResult supervised(Batch b, NDManager it) {
        return snSide.supervisedStep(b, it);
    }

    @Override
    public boolean needsStrongViews() {
        return true;
    }

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        SnSupervision.Tensors t = snSide.tensors(b, it);
        PseudoLabelling.Weak weak = PseudoLabelling.predict(snSide, t.weak01());
        PseudoLabelling.Mixed m = PseudoLabelling.mixed(t.strong01(), weak, PseudoLabelling.confident(weak.confidence(), confidence), b.mix());
        try (GradientCollector gc = snSide.collector()) {
            NDArray logitsA = snSide.train(t.annotated01());
            NDArray probA = logitsA.softmax(1);
            try (SnSupervision.Pass s = snSide.trainUnannotated(m.strong01(), unannotatedStatistics && lambda > 0)) {
                NDArray supervised = snSide.supervisedLoss(logitsA, probA, t.oneHot(), b.labelledPixels());
                NDArray unannotated = PseudoLabelling.weightedCrossEntropy(s.logits(), m.labels(), m.weight());
                gc.backward(supervised.add(unannotated.mul(Scalars.of(unannotated, lambda))));
                snSide.optimizer.step();
                return new StepResult(supervised.getFloat(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        SnSupervision.foreground(probA), unannotated.getFloat(), m.weight().mean().getFloat());
            }
        }
    }
}
