package org.danseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.danseg.data.Batch;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.SegmentationNet;

/**
 * The steps of DAN training (Zhang et al. 2017, Fig. 1) on one batch.
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
    final SegmentationNet sn;
    final EvaluationNet en;
    final Adam snOptimizer;
    final Adam enOptimizer;
    final ParameterStore store;
    final Fusion fusion;
    private final NDArray mean;
    private final NDArray std;
    private final boolean diceLoss;
    final float enSmoothing;
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
        this.sn = sn;
        this.en = en;
        this.snOptimizer = snOptimizer;
        this.enOptimizer = enOptimizer;
        this.store = new ParameterStore(manager, false);
        this.fusion = fusion;
        this.mean = channelVector(manager, mean);
        this.std = channelVector(manager, std);
        this.diceLoss = diceLoss;
        this.enSmoothing = (float) enSmoothing;
        this.balance = balance;
    }

    private static NDArray channelVector(NDManager manager, double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return manager.create(f, new Shape(1, v.length, 1, 1));
    }

    /** A batch with strong views as tensors: annotated and weak unannotated patches in [0, 1], strong views, one-hot labels. */
    record ConsistencyBatch(NDArray annotated01, NDArray weak01, NDArray strong01, NDArray oneHot) {
    }

    ConsistencyBatch consistencyTensors(Batch b, NDManager it) {
        int a = b.annotated();
        int p = b.patch();
        NDArray all = it.create(b.images(), new Shape(b.size(), b.channels(), p, p));
        return new ConsistencyBatch(all.get(new NDIndex("0:{}", a)), all.get(new NDIndex("{}:", a)),
                it.create(b.strongImages(), new Shape(b.unannotated(), b.channels(), p, p)),
                it.create(b.oneHot(), new Shape(a, b.classes(), p, p)));
    }

    public GradientCollector newCollector() {
        return Engine.getInstance().newGradientCollector();
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
        int a = b.annotated();
        NDArray x01 = it.create(b.images(), new Shape(b.size(), b.channels(), b.patch(), b.patch()));
        NDArray oneHot = it.create(b.oneHot(), new Shape(a, b.classes(), b.patch(), b.patch()));
        NDArray logits = snForward(a == b.size() ? x01 : x01.get(new NDIndex("0:{}", a)));
        RunningStatistics keep = null;
        if (a < b.size()) {
            keep = new RunningStatistics(sn);
            logits = logits.concat(snForward(x01.get(new NDIndex("{}:", a))), 0);
        }
        return new Forward(b, x01, logits, logits.softmax(1), oneHot, keep);
    }

    NDArray snForward(NDArray x01) {
        return forwardKeepingOutput(sn, x01.sub(mean).div(std));
    }

    /**
     * Runs a network in training mode and keeps only its output. The Java handles of the layers'
     * intermediate arrays are released at once (the autograd graph holds what backward needs), so
     * backward frees each saved activation as it goes, as PyTorch does; kept to the end of the
     * iteration, they all stayed alive through every backward pass.
     */
    /** A network in inference mode (running statistics, no batch coupling) on [0, 1] images, normalised as SN expects. */
    NDArray snPredict(AbstractBlock net, NDArray x01) {
        return net.forward(store, new NDList(normalize(x01)), false).singletonOrThrow();
    }

    /** [0, 1] images to SN's input: z-scored per channel with the training set's statistics. */
    NDArray normalize(NDArray x01) {
        return x01.sub(mean).div(std);
    }

    NDArray forwardKeepingOutput(AbstractBlock net, NDArray input) {
        NDManager outer = input.getManager();
        try (NDManager pass = outer.newSubManager()) {
            input.attach(pass); // the layers' outputs follow their input's manager
            NDArray out = net.forward(store, new NDList(input), true).singletonOrThrow();
            out.attach(outer);
            // The input goes back to its owner: it may be an array the caller still uses (MASK
            // fusion passes SN's probabilities themselves), which closing the pass used to release.
            input.attach(outer);
            return out;
        }
    }

    NDArray supervisedLoss(Forward f) {
        int a = f.batch().annotated();
        boolean all = a == f.batch().size();
        NDArray logits = all ? f.logits() : f.logits().get(new NDIndex("0:{}", a));
        NDArray loss = Losses.crossEntropy(logits, f.oneHot(), f.batch().labelledPixels());
        if (diceLoss) {
            NDArray prob = all ? f.prob() : f.prob().get(new NDIndex("0:{}", a));
            loss = loss.add(Losses.softDice(prob, f.oneHot()));
        }
        return loss;
    }

    /** Step 1 (and the whole of --mode supervised): one SN update on annotated patches only. */
    @Override
    public StepResult supervised(Batch b, NDManager it) {
        try (GradientCollector gc = newCollector(); Forward f = forward(b.annotatedOnly(), it)) {
            NDArray loss = supervisedLoss(f);
            gc.backward(loss);
            snOptimizer.step();
            return new StepResult(loss.getFloat(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, foreground(f));
        }
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
            return new StepResult(s.supervised(), e.loss(), s.adversarial(), e.scoreAnnotated(), e.scoreUnannotated(), foreground(f));
        }
    }

    record EnOutcome(double loss, double scoreAnnotated, double scoreUnannotated) {
    }

    record SnOutcome(double supervised, double adversarial) {
    }

    /** Step 2: EN learns annotated (1) vs unannotated (0) from SN's detached output. */
    EnOutcome enStep(GradientCollector gc, Forward f) {
        int a = f.batch().annotated();
        NDArray scores = forwardKeepingOutput(en, fusion.fuse(f.images01(), f.prob().stopGradient()));
        NDArray annotated = scores.get(new NDIndex("0:{}", a));
        NDArray unannotated = scores.get(new NDIndex("{}:", a));
        NDArray loss = Losses.bceWithLogits(annotated, 1f - enSmoothing).add(Losses.bceWithLogits(unannotated, enSmoothing));
        gc.backward(loss);
        enOptimizer.step();
        return new EnOutcome(loss.getFloat(), ai.djl.nn.Activation.sigmoid(annotated).mean().getFloat(), ai.djl.nn.Activation.sigmoid(unannotated).mean().getFloat());
    }

    /** Step 3: SN fits the annotations and makes EN score every segmentation as annotated-like. */
    SnOutcome snStep(GradientCollector gc, Forward f, double lambda) {
        return balance ? snStepBalanced(gc, f, lambda) : snStepPlain(gc, f, lambda);
    }

    /** Loss = supervised + lambda * adversarial, one backward pass through EN and SN. */
    private SnOutcome snStepPlain(GradientCollector gc, Forward f, double lambda) {
        int a = f.batch().annotated();
        enOptimizer.freeze(true);
        // Statistics are put back only after the backward pass: autograd checks that the tensors
        // its BatchNorm nodes saved were not modified in place before it used them.
        try (RunningStatistics keep = new RunningStatistics(en)) {
            NDArray scores = forwardKeepingOutput(en, fusion.fuse(f.images01(), f.prob()));
            NDArray adversarial = Losses.bceWithLogits(scores.get(new NDIndex("0:{}", a)), 1f)
                    .add(Losses.bceWithLogits(scores.get(new NDIndex("{}:", a)), 1f));
            NDArray supervised = supervisedLoss(f);
            gc.backward(supervised.add(adversarial.mul(Scalars.of(adversarial, lambda))));
            snOptimizer.step();
            return new SnOutcome(supervised.getFloat(), adversarial.getFloat());
        } finally {
            enOptimizer.freeze(false);
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
        int a = f.batch().annotated();
        NDArray advLeaf = leafCopy(f.logits());
        NDArray adversarial;
        enOptimizer.freeze(true);
        try (RunningStatistics keep = new RunningStatistics(en)) {
            NDArray scores = forwardKeepingOutput(en, fusion.fuse(f.images01(), advLeaf.softmax(1)));
            adversarial = Losses.bceWithLogits(scores.get(new NDIndex("0:{}", a)), 1f)
                    .add(Losses.bceWithLogits(scores.get(new NDIndex("{}:", a)), 1f));
            gc.backward(adversarial);
        } finally {
            enOptimizer.freeze(false);
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
        snOptimizer.step();
        return new SnOutcome(supervised.getFloat(), adversarial.getFloat());
    }

    private static NDArray leafCopy(NDArray x) {
        NDArray leaf = x.stopGradient().duplicate();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /**
     * Share of pixels whose argmax is not class 0, computed as "p0 below the largest other class"
     * (ties go to class 0 in both): a strided argmax over classes cost ~1% of a dan iteration.
     */
    static double foreground(Forward f) {
        NDArray p = f.prob().stopGradient();
        NDArray others = p.get(new NDIndex(":, 1:")).max(new int[] {1});
        return p.get(new NDIndex(":, 0")).lt(others).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
    }
}
