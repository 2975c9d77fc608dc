package org.danseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.danseg.config.UnannotatedPass;
import org.danseg.data.Batch;
import org.danseg.nn.SegmentationNet;

/**
 * SN's side of every recipe: a batch as tensors, SN's passes (training mode with the graph, or
 * inference mode without), the supervised loss and the supervised step. Every recipe is one class
 * over this part (and {@link EnTraining} when it has an EN), so the annotated patches are treated
 * alike everywhere and a recipe with its unannotated term switched off is the baseline.
 */
final class SnSupervision {
    final SegmentationNet sn;
    final Adam optimizer;
    final ParameterStore store;
    private final NDArray mean;
    private final NDArray std;
    private final boolean diceLoss;

    SnSupervision(SegmentationNet sn, Adam optimizer, NDManager manager, double[] mean, double[] std, boolean diceLoss) {
        this.sn = sn;
        this.optimizer = optimizer;
        this.store = new ParameterStore(manager, false);
        this.mean = channelVector(manager, mean);
        this.std = channelVector(manager, std);
        this.diceLoss = diceLoss;
    }

    private static NDArray channelVector(NDManager manager, double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return manager.create(f, new Shape(1, v.length, 1, 1)).duplicate();
    }

    /**
     * A batch as PyTorch-owned tensors: annotated patches and weak unannotated patches in [0, 1],
     * the strong views when the batch has them, one-hot labels. Arrays made from Java data are
     * copied into PyTorch's memory at once (DJL_NOTES.md: a Java buffer inside a graph may be freed
     * before backward reads it).
     */
    record Tensors(Batch batch, NDArray annotated01, NDArray weak01, NDArray strong01, NDArray oneHot) {
    }

    Tensors tensors(Batch b, NDManager it) {
        int a = b.annotated();
        int p = b.patch();
        NDArray all = owned(it, b.images(), new Shape(b.size(), b.channels(), p, p));
        NDArray annotated = a == b.size() ? all : all.get(new NDIndex("0:{}", a));
        NDArray weak = b.unannotated() == 0 ? null : all.get(new NDIndex("{}:", a));
        NDArray strong = b.strongImages() == null ? null : owned(it, b.strongImages(), new Shape(b.unannotated(), b.channels(), p, p));
        return new Tensors(b, annotated, weak, strong, owned(it, b.oneHot(), new Shape(a, b.classes(), p, p)));
    }

    private static NDArray owned(NDManager it, float[] data, Shape shape) {
        try (NDArray java = it.create(data, shape)) {
            return java.duplicate();
        }
    }

    GradientCollector collector() {
        return Engine.getInstance().newGradientCollector();
    }

    /** [0, 1] images to SN's input: z-scored per channel with the training set's statistics. */
    NDArray normalize(NDArray x01) {
        return x01.sub(mean).div(std);
    }

    /** SN in training mode (batch statistics, running averages updated) with the autograd graph, logits out. */
    NDArray train(NDArray x01) {
        return GraphPass.forward(sn, store, normalize(x01));
    }

    /**
     * SN in training mode on images that must not move its running averages (unannotated or mixed
     * views): their update is undone when the returned handle closes, which must be after the
     * backward pass (autograd checks that BatchNorm's saved tensors were not modified in place).
     */
    Pass trainKeepingStatistics(NDArray x01) {
        return trainUnannotated(x01, false);
    }

    /** As {@link #trainKeepingStatistics}, or, with {@code update}, letting the pass move the running averages. */
    private Pass trainUnannotated(NDArray x01, boolean update) {
        RunningStatistics keep = update ? null : new RunningStatistics(sn);
        return new Pass(train(x01), keep);
    }

    /** Logits of a training-mode pass and the running statistics to put back (null: none). */
    record Pass(NDArray logits, RunningStatistics keep) implements AutoCloseable {
        @Override
        public void close() {
            if (keep != null) {
                keep.close();
            }
        }
    }

    /**
     * SN's training-mode logits for the annotated patches and for unannotated (strong, mixed)
     * views, passed as {@code how} says; the returned handle puts the running averages back on
     * close when they must not move (after backward, as {@link #trainKeepingStatistics}). Joint
     * only while {@code active} (lambda > 0): with the unannotated term off, the annotated patches
     * pass alone, so lambda = 0 stays the baseline bit for bit.
     */
    Both trainBoth(NDArray annotated01, NDArray unannotated01, UnannotatedPass how, boolean active) {
        if (how == UnannotatedPass.JOINT && active) {
            long a = annotated01.getShape().get(0);
            NDArray logits = train(annotated01.concat(unannotated01, 0));
            return new Both(logits.get(new NDIndex("0:{}", a)), logits.get(new NDIndex("{}:", a)), null);
        }
        NDArray annotated = train(annotated01);
        Pass unannotated = trainUnannotated(unannotated01, how == UnannotatedPass.SEPARATE_STATISTICS && active);
        return new Both(annotated, unannotated.logits(), unannotated.keep());
    }

    /** The annotated and the unannotated logits of one SN step, and the running statistics to put back (null: none). */
    record Both(NDArray annotated, NDArray unannotated, RunningStatistics keep) implements AutoCloseable {
        @Override
        public void close() {
            if (keep != null) {
                keep.close();
            }
        }
    }

    /** SN in inference mode (running statistics, no batch coupling), as it will predict; no graph is recorded. */
    NDArray predict(NDArray x01) {
        return predict(sn, x01);
    }

    /** Any network of SN's architecture (a teacher) in inference mode, normalised as SN expects. */
    NDArray predict(AbstractBlock net, NDArray x01) {
        return net.forward(store, new NDList(normalize(x01)), false).singletonOrThrow();
    }

    /** Cross-entropy (+ soft Dice when configured) of annotated logits against their labels. */
    NDArray supervisedLoss(NDArray logits, NDArray prob, NDArray oneHot, long labelledPixels) {
        NDArray loss = Losses.crossEntropy(logits, oneHot, labelledPixels);
        return diceLoss ? loss.add(Losses.softDice(prob, oneHot)) : loss;
    }

    /** Step 1 of DAN and the whole of --mode supervised: one SN update on the annotated patches only. */
    StepResult supervisedStep(Batch b, NDManager it) {
        Tensors t = tensors(b.annotatedOnly(), it);
        try (GradientCollector gc = collector()) {
            NDArray logits = train(t.annotated01());
            NDArray prob = logits.softmax(1);
            NDArray loss = supervisedLoss(logits, prob, t.oneHot(), b.labelledPixels());
            gc.backward(loss);
            optimizer.step();
            return new StepResult(loss.getFloat(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, foreground(prob));
        }
    }

    /**
     * Share of pixels whose argmax is not class 0, computed as "p0 below the largest other class"
     * (ties go to class 0 in both): a strided argmax over classes cost ~1% of a dan iteration.
     */
    static double foreground(NDArray prob) {
        NDArray p = prob.stopGradient();
        NDArray others = p.get(new NDIndex(":, 1:")).max(new int[] {1});
        return p.get(new NDIndex(":, 0")).lt(others).toType(DataType.FLOAT32, false).mean().getFloat();
    }
}
