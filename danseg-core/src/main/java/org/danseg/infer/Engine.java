package org.danseg.infer;

/**
 * What runs SN at prediction time: DJL's PyTorch engine, or the model's ONNX export in ONNX
 * Runtime. Tiling, blending, test-time augmentation and every output are the same either way.
 */
public enum Engine {
    DJL, ONNXRUNTIME
}
