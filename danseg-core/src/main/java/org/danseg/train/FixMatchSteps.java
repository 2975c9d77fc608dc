package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.danseg.config.CutMixSource;
import org.danseg.config.UnannotatedPass;
import org.danseg.data.Batch;

/**
 * The plain FixMatch-style reference ({@code --mode fixmatch}; Sohn et al., NeurIPS 2020, as
 * UniMatch applies it to segmentation without its feature perturbation): pseudo-labels from SN's
 * inference-mode prediction on the weak view where its confidence is at least {@code confidence},
 * cross-entropy on the strong view (colour jitter, blur) after CutMix between unannotated patches,
 * weighted by lambda. No EN. The strong views pass SN beside the annotated patches as
 * {@code --unannotated-pass} says (SnSupervision.trainBoth); lambda = 0 is the baseline bit for bit.
 */
final class FixMatchSteps implements TrainingSteps {
    private final SnSupervision snSide;
    private final double confidence;
    private final UnannotatedPass pass;
    private final CutMixSource cutMix;
    private final boolean fillHoles;

    FixMatchSteps(SnSupervision snSide, double confidence, UnannotatedPass pass, CutMixSource cutMix, boolean fillHoles) {
        this.fillHoles = fillHoles;
        this.snSide = snSide;
        this.confidence = confidence;
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

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        SnSupervision.Tensors t = snSide.tensors(b, it);
        PseudoLabelling.Weak weak = PseudoLabelling.predict(snSide, t.weak01(), fillHoles);
        PseudoLabelling.Mixed m = PseudoLabelling.mixed(t.strong01(), weak, PseudoLabelling.confident(weak.confidence(), confidence), b.mix(), cutMix, t.annotated01(), t.oneHot());
        try (GradientCollector gc = snSide.collector()) {
            try (SnSupervision.Both s = snSide.trainBoth(t.annotated01(), m.strong01(), pass, lambda > 0)) {
                NDArray logitsA = s.annotated();
                NDArray probA = logitsA.softmax(1);
                NDArray supervised = snSide.supervisedLoss(logitsA, probA, t.oneHot(), b.labelledPixels());
                NDArray unannotated = PseudoLabelling.weightedCrossEntropy(s.unannotated(), m.labels(), m.weight());
                gc.backward(supervised.add(unannotated.mul(Scalars.of(unannotated, lambda))));
                snSide.optimizer.step();
                return new StepResult(supervised.getFloat(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        SnSupervision.foreground(probA), unannotated.getFloat(), m.weight().mean().getFloat());
            }
        }
    }
}
