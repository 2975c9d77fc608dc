package org.danseg.runtime;

import ai.djl.pytorch.jni.JniUtils;
import ai.onnxruntime.OrtSession;

/**
 * How danseg sets up the engines it runs networks on, in one place: PyTorch's gradient recording
 * and threads, ONNX Runtime's graph optimisation. oneDNN runs uncapped: its ISA is the user's
 * choice (ONEDNN_MAX_CPU_ISA, shown by {@code danseg doctor}); the cap once set to hide NaNs hid
 * freed Java buffers inside autograd graphs instead (docs/training.md).
 */
public final class EngineSettings {

    /**
     * ONNX Runtime's optimisation level: EXTENDED is as fast per batch as ALL (0.481 vs 0.498 s,
     * docs/performance.md) and builds its session in 0.46 s instead of 1.18 s (width-16 dan-fcn):
     * ALL adds only layout passes for these graphs.
     */
    public static final OrtSession.SessionOptions.OptLevel ONNX_OPTIMISATION = OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;

    private EngineSettings() {
    }

    /** PyTorch's gradient recording, switched off on this thread until closed (it is per thread). */
    public static final class NoGrad implements AutoCloseable {
        private final boolean before = JniUtils.isGradMode();

        private NoGrad() {
            JniUtils.setGradMode(false);
        }

        @Override
        public void close() {
            JniUtils.setGradMode(before);
        }
    }

    public static NoGrad noGrad() {
        return new NoGrad();
    }

    /**
     * A training or benchmark thread: no gradient recording outside the gradient collectors (on by
     * default on threads other than the one that loaded the engine), and {@code threads} intra-op
     * threads when positive (0 keeps PyTorch's choice: all cores).
     */
    public static void forTraining(int threads) {
        JniUtils.setGradMode(false);
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }
}
