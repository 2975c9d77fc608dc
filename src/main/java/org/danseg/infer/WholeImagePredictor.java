package org.danseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.danseg.nn.SegmentationNet;

/**
 * Segments a whole image in one pass: pads it (edge-replicated) to a multiple of the network's
 * size multiple, runs SN in inference mode, crops back. Memory grows with the image; large images
 * need tiled prediction.
 */
public final class WholeImagePredictor {
    private final SegmentationNet sn;
    private final float[] mean;
    private final float[] std;

    public WholeImagePredictor(SegmentationNet sn, double[] mean, double[] std) {
        this.sn = sn;
        this.mean = toFloat(mean);
        this.std = toFloat(std);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Class probabilities (K, H, W) of an image given as [0,1] samples (C, H, W). */
    public float[] probabilities(NDManager parent, float[] pixels, int channels, int width, int height) {
        int m = sn.sizeMultiple();
        int pw = (width + m - 1) / m * m;
        int ph = (height + m - 1) / m * m;
        float[] padded = new float[channels * pw * ph];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < ph; y++) {
                int sy = Math.min(y, height - 1);
                for (int x = 0; x < pw; x++) {
                    int sx = Math.min(x, width - 1);
                    padded[(c * ph + y) * pw + x] = (pixels[(c * height + sy) * width + sx] - mean[c]) / std[c];
                }
            }
        }
        // Grad mode is per thread in PyTorch: make sure no autograd graph is recorded here.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m2 = parent.newSubManager()) {
            NDArray x = m2.create(padded, new Shape(1, channels, ph, pw));
            NDArray prob = sn.forward(new ParameterStore(m2, false), new NDList(x), false).singletonOrThrow().softmax(1);
            return prob.get(new NDIndex("0, :, 0:{}, 0:{}", height, width)).toType(DataType.FLOAT32, false).toFloatArray();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Per-pixel argmax of class probabilities (K, H, W). */
    public static int[] labels(float[] prob, int classes, int width, int height) {
        int n = width * height;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (prob[k * n + i] > prob[best * n + i]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
