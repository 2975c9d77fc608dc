package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;

/**
 * EN's side of the adversarial recipes: EN, its optimizer, how it sees (image, segmentation), its
 * label smoothing; its own update, and its frozen use inside SN's step.
 */
final class EnTraining {
    final EvaluationNet en;
    final Adam optimizer;
    final Fusion fusion;
    final float smoothing;
    private final ParameterStore store;

    EnTraining(EvaluationNet en, Adam optimizer, Fusion fusion, double smoothing, ParameterStore store) {
        this.en = en;
        this.optimizer = optimizer;
        this.fusion = fusion;
        this.smoothing = (float) smoothing;
        this.store = store;
    }

    /** EN in training mode on (images, segmentations), with the graph: score logits (B) or (B, 1, h, w). */
    NDArray scores(NDArray images01, NDArray prob) {
        return GraphPass.forward(en, store, fusion.fuse(images01, prob));
    }

    /** EN in inference mode, as it scores images after training: sigmoid scores, no graph. */
    NDArray judge(NDArray images01, NDArray prob) {
        return ai.djl.nn.Activation.sigmoid(en.forward(store, new NDList(fusion.fuse(images01, prob)), false).singletonOrThrow());
    }

    /** One update of EN's parameters only from {@code loss} (SN's outputs in it must be detached). */
    void step(GradientCollector gc, NDArray loss) {
        gc.backward(loss);
        optimizer.step();
    }

    /**
     * EN frozen for SN's step: no gradient reaches its parameters, and the running statistics its
     * training-mode pass updates are put back on close (after SN's backward pass: autograd checks
     * that BatchNorm's saved tensors were not modified in place before it uses them).
     */
    Frozen frozen() {
        optimizer.freeze(true);
        return new Frozen(new RunningStatistics(en));
    }

    final class Frozen implements AutoCloseable {
        private final RunningStatistics keep;

        private Frozen(RunningStatistics keep) {
            this.keep = keep;
        }

        @Override
        public void close() {
            try {
                keep.close();
            } finally {
                optimizer.freeze(false);
            }
        }
    }
}
