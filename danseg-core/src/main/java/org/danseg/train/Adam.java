package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba) over the trainable parameters of one network. Written here rather than
 * taken from DJL because DJL's optimizer state cannot be saved, and exact resume needs it.
 * {@link #step()} updates only parameters that received a gradient in this iteration's
 * backward pass, then zeroes their gradients.
 */
public final class Adam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final NDManager manager;
    private double lr;
    private long t;
    private long skipped;

    public Adam(Iterable<Parameter> parameters, NDManager manager, double lr) {
        this.manager = manager;
        this.lr = lr;
        for (Parameter p : parameters) {
            if (p.requiresGradient()) {
                params.add(p);
                m.add(manager.zeros(p.getArray().getShape()));
                v.add(manager.zeros(p.getArray().getShape()));
            }
        }
    }

    /**
     * Freezes or unfreezes exactly the parameters this optimizer trains (never BatchNorm running
     * statistics, which must stay plain tensors for in-place updates).
     */
    public void freeze(boolean freeze) {
        for (Parameter p : params) {
            p.freeze(freeze);
        }
    }

    public double learningRate() {
        return lr;
    }

    /** Learning-rate schedules are functions of the iteration, so resume needs no extra state. */
    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    /**
     * One update, or none when a gradient is not finite: a guard (one such step would turn every
     * later weight to NaN), never needed by the tests. The NaNs once seen came from tensors over
     * freed Java buffers inside autograd graphs (docs/training.md, GcStressTest), not from
     * PyTorch. The step is skipped, as mixed-precision training skips steps with overflowed
     * gradients, and its gradients are discarded. Returns whether the update was made.
     */
    public boolean step() {
        // In-place updates of leaf tensors must not be recorded by autograd.
        try (var off = org.danseg.runtime.EngineSettings.noGrad()) {
            if (!gradientsFinite()) {
                skipped++;
                zeroGradients();
                return false;
            }
            t++;
            update();
            zeroGradients();
            return true;
        }
    }

    /** How many steps were skipped for non-finite gradients since this optimizer was made. */
    public long skippedSteps() {
        return skipped;
    }

    private boolean gradientsFinite() {
        try (NDScope scope = new NDScope()) {
            // NaN and infinity survive a sum: one number per parameter, one read for all of them.
            NDList sums = new NDList();
            for (Parameter p : params) {
                NDArray w = p.getArray();
                if (w.hasGradient()) {
                    sums.add(w.getGradient().sum().reshape(1));
                }
            }
            return sums.isEmpty() || Float.isFinite(ai.djl.ndarray.NDArrays.concat(sums).sum().getFloat());
        }
    }

    /** A true zero fill: subtracting a gradient from itself, as before, leaves NaN in place. */
    private void zeroGradients() {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            if (w.hasGradient()) {
                JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) w);
            }
        }
    }

    private void update() {
        float correction1 = (float) (1 - Math.pow(BETA1, t));
        float correction2 = (float) (1 - Math.pow(BETA2, t));
        float stepSize = (float) (lr / correction1);
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                NDArray g = w.getGradient();
                // Temporaries are closed as soon as they are used: at most two of one parameter's
                // size exist at a time (keeping them all to the end of the step cost ~200 MB of
                // peak memory at width 16, most of it for the largest up-convolution).
                try (NDArray scaled = g.mul(1 - BETA1)) {
                    m.get(i).muli(BETA1).addi(scaled);
                }
                try (NDArray squared = g.square()) {
                    v.get(i).muli(BETA2).addi(squared.muli(1 - BETA2));
                }
                try (NDArray denom = v.get(i).div(correction2)) {
                    try (NDArray root = denom.sqrt()) {
                        denom.close();
                        root.addi(EPS);
                        try (NDArray update = m.get(i).div(root)) {
                            w.subi(update.muli(stepSize));
                        }
                    }
                }
            }
        }
    }

    /** Step count and moments, encoded for a checkpoint (the step-count array lives only as long as the call). */
    public byte[] encodedState() {
        try (NDManager scratch = manager.newSubManager()) {
            NDList list = new NDList();
            list.add(scratch.create(new long[] {t}));
            list.addAll(m);
            list.addAll(v);
            return list.encode();
        }
    }

    public void restore(NDList state) {
        if (state.size() != 1 + 2 * params.size()) {
            throw new IllegalArgumentException("optimizer state holds " + state.size() + " arrays, expected " + (1 + 2 * params.size()));
        }
        t = state.get(0).toLongArray()[0];
        for (int i = 0; i < params.size(); i++) {
            InPlace.copy(state.get(1 + i), m.get(i));
            InPlace.copy(state.get(1 + params.size() + i), v.get(i));
        }
    }
}
