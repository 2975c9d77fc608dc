package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import org.danseg.data.Batch;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.SegmentationNet;

/**
 * The paper's recipe (Zhang et al. 2017, Fig. 1; {@code --mode paper}, and {@code --mode balanced}
 * with the adversarial gradient rescaled) on one batch.
 * <ul>
 *   <li>supervised: SN on annotated patches, cross-entropy (+ soft Dice when configured);</li>
 *   <li>EN step: SN's output detached; EN learns annotated (target 1) vs unannotated (target 0);
 *       only EN's parameters change;</li>
 *   <li>SN step: EN frozen (no gradient reaches its parameters and its BatchNorm running
 *       statistics are restored), loss = CE on annotated + lambda * BCE(EN, target 1) on all;
 *       only SN's parameters change.</li>
 * </ul>
 * One SN forward serves both steps: SN's weights do not change in between, so this is exact
 * and saves a third of the work (SN's BatchNorm averages get one update per iteration).
 */
public final class DanSteps implements TrainingSteps {
    private final SnSupervision snSide;
    private final EnTraining enSide;
    private final boolean balance;

    /**
     * SN's forward pass on a batch, with the autograd graph kept for the SN step. Closing it puts
     * back the BatchNorm running statistics the unannotated part updated.
     */
    public record Forward(Batch batch, NDArray images01, NDArray logits, NDArray prob, NDArray oneHot, RunningStatistics keep)
            implements AutoCloseable {

        @Override
        public void close() {
            if (keep != null) {
                keep.close();
            }
        }
    }

    public DanSteps(SegmentationNet sn, EvaluationNet en, Adam snOptimizer, Adam enOptimizer, NDManager manager,
                    Fusion fusion, double[] mean, double[] std, boolean diceLoss, double enSmoothing, boolean balance) {
        this(new SnSupervision(sn, snOptimizer, manager, mean, std, diceLoss), enOptimizer, en, fusion, enSmoothing, balance);
    }

    private DanSteps(SnSupervision snSide, Adam enOptimizer, EvaluationNet en, Fusion fusion, double enSmoothing, boolean balance) {
        this(snSide, new EnTraining(en, enOptimizer, fusion, enSmoothing, snSide.store), balance);
    }

    DanSteps(SnSupervision snSide, EnTraining enSide, boolean balance) {
        this.snSide = snSide;
        this.enSide = enSide;
        this.balance = balance;
    }

    /** The SN part this recipe is built on (other recipes share it). */
    SnSupervision snSide() {
        return snSide;
    }

    /** The EN part this recipe is built on. */
    EnTraining enSide() {
        return enSide;
    }

    public GradientCollector newCollector() {
        return snSide.collector();
    }

    /**
     * Annotated and unannotated patches pass SN separately: each is normalized by its own batch
     * statistics and SN's running averages follow the annotated patches only (the unannotated
     * pass's update is undone when the Forward closes). So the supervised signal is exactly the
     * baseline's, and DAN with lambda = 0 is the baseline (a test checks this); a mixed batch
     * would let unannotated images shift the annotated patches' normalization, a difference from
     * the baseline that has nothing to do with EN.
     */
    public Forward forward(Batch b, NDManager it) {
        SnSupervision.Tensors t = snSide.tensors(b, it);
        int a = b.annotated();
        NDArray x01 = t.weak01() == null ? t.annotated01() : t.annotated01().concat(t.weak01(), 0);
        NDArray logits = snSide.train(t.annotated01());
        RunningStatistics keep = null;
        if (a < b.size()) {
            keep = new RunningStatistics(snSide.sn);
            logits = logits.concat(snSide.train(t.weak01()), 0);
        }
        return new Forward(b, x01, logits, logits.softmax(1), t.oneHot(), keep);
    }

    /** SN (or a network of its architecture) in inference mode on [0, 1] images. */
    public NDArray snPredict(ai.djl.nn.AbstractBlock net, NDArray x01) {
        return snSide.predict(net, x01);
    }

    NDArray supervisedLoss(Forward f) {
        int a = f.batch().annotated();
        boolean all = a == f.batch().size();
        NDArray logits = all ? f.logits() : f.logits().get(new NDIndex("0:{}", a));
        NDArray prob = all ? f.prob() : f.prob().get(new NDIndex("0:{}", a));
        return snSide.supervisedLoss(logits, prob, f.oneHot(), f.batch().labelledPixels());
    }

    /** Step 1 (and the whole of --mode supervised): one SN update on annotated patches only. */
    @Override
    public StepResult supervised(Batch b, NDManager it) {
        return snSide.supervisedStep(b, it);
    }

    @Override
    public StepResult semiSupervised(Batch b, NDManager it, double lambda) {
        return adversarial(b, it, lambda);
    }

    /** Steps 2 and 3 on one batch of annotated + unannotated patches. */
    public StepResult adversarial(Batch b, NDManager it, double lambda) {
        try (GradientCollector gc = newCollector(); Forward f = forward(b, it)) {
            EnOutcome e = enStep(gc, f);
            SnOutcome s = snStep(gc, f, lambda);
            return new StepResult(s.supervised(), e.loss(), s.adversarial(), e.scoreAnnotated(), e.scoreUnannotated(),
                    SnSupervision.foreground(f.prob()));
        }
    }

    record EnOutcome(double loss, double scoreAnnotated, double scoreUnannotated) {
    }

    record SnOutcome(double supervised, double adversarial) {
    }

    /** Step 2: EN learns annotated (1) vs unannotated (0) from SN's detached output. */
    EnOutcome enStep(GradientCollector gc, Forward f) {
        int a = f.batch().annotated();
        NDArray scores = enSide.scores(f.images01(), f.prob().stopGradient());
        NDArray annotated = scores.get(new NDIndex("0:{}", a));
        NDArray unannotated = scores.get(new NDIndex("{}:", a));
        float s = enSide.smoothing;
        NDArray loss = Losses.bceWithLogits(annotated, 1f - s).add(Losses.bceWithLogits(unannotated, s));
        enSide.step(gc, loss);
        return new EnOutcome(loss.getFloat(), ai.djl.nn.Activation.sigmoid(annotated).mean().getFloat(),
                ai.djl.nn.Activation.sigmoid(unannotated).mean().getFloat());
    }

    /** Step 3: SN fits the annotations and makes EN score every segmentation as annotated-like. */
    SnOutcome snStep(GradientCollector gc, Forward f, double lambda) {
        return balance ? snStepBalanced(gc, f, lambda) : snStepPlain(gc, f, lambda);
    }

    private NDArray adversarialLoss(NDArray images01, NDArray prob, int annotated) {
        NDArray scores = enSide.scores(images01, prob);
        return Losses.bceWithLogits(scores.get(new NDIndex("0:{}", annotated)), 1f)
                .add(Losses.bceWithLogits(scores.get(new NDIndex("{}:", annotated)), 1f));
    }

    /** Loss = supervised + lambda * adversarial, one backward pass through EN and SN. */
    private SnOutcome snStepPlain(GradientCollector gc, Forward f, double lambda) {
        try (EnTraining.Frozen frozen = enSide.frozen()) {
            NDArray adversarial = adversarialLoss(f.images01(), f.prob(), f.batch().annotated());
            NDArray supervised = supervisedLoss(f);
            gc.backward(supervised.add(adversarial.mul(Scalars.of(adversarial, lambda))));
            snSide.optimizer.step();
            return new SnOutcome(supervised.getFloat(), adversarial.getFloat());
        }
    }

    /**
     * The same step with the adversarial gradient rescaled, at SN's logits, to lambda times the
     * norm of the supervised gradient (the adaptive weight of Esser et al., CVPR 2021, taken at the
     * logits instead of the last layer's weights). lambda then means "the adversarial pull relative to
     * the annotations' pull": it cannot outweigh the annotations however confident or noisy EN's
     * gradient is, and it fades as the supervised gradient does. Costs one extra backward pass
     * through the loss only (not through SN or EN).
     */
    private SnOutcome snStepBalanced(GradientCollector gc, Forward f, double lambda) {
        NDArray advLeaf = leafCopy(f.logits());
        NDArray adversarial;
        try (EnTraining.Frozen frozen = enSide.frozen()) {
            adversarial = adversarialLoss(f.images01(), advLeaf.softmax(1), f.batch().annotated());
            gc.backward(adversarial);
        }
        NDArray supLeaf = leafCopy(f.logits());
        gc.backward(supervisedLoss(new Forward(f.batch(), f.images01(), supLeaf, supLeaf.softmax(1), f.oneHot(), null)));
        NDArray gAdv = advLeaf.getGradient();
        double advNorm = gAdv.norm().getFloat();
        double supNorm = supLeaf.getGradient().norm().getFloat();
        double scale = advNorm > 0 ? lambda * supNorm / advNorm : 0;
        NDArray supervised = supervisedLoss(f);
        // d/dlogits of sum(logits * G) is G: SN receives exactly the rescaled adversarial gradient.
        NDArray pull = f.logits().mul(gAdv.stopGradient().mul(Scalars.of(gAdv, scale))).sum();
        gc.backward(supervised.add(pull));
        snSide.optimizer.step();
        return new SnOutcome(supervised.getFloat(), adversarial.getFloat());
    }

    private static NDArray leafCopy(NDArray x) {
        NDArray leaf = x.stopGradient().duplicate();
        leaf.setRequiresGradient(true);
        return leaf;
    }
}
