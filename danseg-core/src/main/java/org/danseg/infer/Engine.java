package org.danseg.infer;

/**
 * What runs SN at prediction time: DJL's PyTorch engine, or the model's ONNX export in ONNX
 * Runtime. Tiling, blending, test-time augmentation and every output are the same either way.
 * {@code AUTO} (the default) is ONNX Runtime on a CPU, where it was measured 3.8x faster than DJL
 * per batch and 1.8x faster for a whole 2048 x 2048 prediction (docs/performance.md), and DJL on a
 * GPU (danseg's ONNX Runtime is the CPU build).
 */
public enum Engine {
    AUTO, DJL, ONNXRUNTIME;

    /** The engine {@code AUTO} means on {@code device}; other values are themselves. */
    public Engine on(ai.djl.Device device) {
        return this != AUTO ? this : device.isGpu() ? DJL : ONNXRUNTIME;
    }
}
