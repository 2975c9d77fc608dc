package org.danseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.danseg.nn.SegmentationNet;

/** SN run by DJL's PyTorch engine: each tile z-scored per channel as in training, then SN and softmax. */
public final class DjlTileNetwork implements TileNetwork {
    private final SegmentationNet sn;
    private final float[] mean;
    private final float[] std;

    public DjlTileNetwork(SegmentationNet sn, double[] mean, double[] std) {
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

    @Override
    public int classes() {
        return sn.classes();
    }

    @Override
    public int sizeMultiple() {
        return sn.sizeMultiple();
    }

    @Override
    public float[] probabilities(NDManager manager, float[] tiles, float scale, int count, int channels, int tile, boolean flips) {
        int plane = tile * tile;
        float[] input = new float[tiles.length];
        for (int t = 0; t < count; t++) {
            for (int c = 0; c < channels; c++) {
                int base = (t * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    input[base + i] = (tiles[base + i] * scale - mean[c]) / std[c];
                }
            }
        }
        try (NDManager m = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = m.create(input, new Shape(count, channels, tile, tile));
            NDArray prob = forward(store, x);
            if (flips) {
                prob = prob.add(forward(store, x.flip(3)).flip(3))
                        .add(forward(store, x.flip(2)).flip(2))
                        .add(forward(store, x.flip(2, 3)).flip(2, 3)).div(4f);
            }
            return prob.toFloatArray();
        }
    }

    private NDArray forward(ParameterStore store, NDArray x) {
        return sn.forward(store, new NDList(x), false).singletonOrThrow().softmax(1);
    }
}
