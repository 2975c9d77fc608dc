package org.danseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.danseg.nn.SegmentationNet;

/**
 * SN's class probabilities over an image of any size: each tile normalized as in training, run
 * through SN, softmaxed, optionally averaged over the four flips (test-time augmentation), and
 * blended by a {@link SlidingWindow}.
 */
public final class TiledPredictor {
    private final SegmentationNet sn;
    private final float[] mean;
    private final float[] std;
    private final SlidingWindow window;
    private final boolean flips;

    public TiledPredictor(SegmentationNet sn, double[] mean, double[] std, SlidingWindow window, boolean flips) {
        if (window.tile() % sn.sizeMultiple() != 0) {
            throw new IllegalArgumentException("tile side " + window.tile() + " is not a multiple of " + sn.sizeMultiple()
                    + " (the network's downsampling)");
        }
        this.sn = sn;
        this.mean = toFloat(mean);
        this.std = toFloat(std);
        this.window = window;
        this.flips = flips;
    }

    public TiledPredictor(SegmentationNet sn, double[] mean, double[] std, int tile, double overlap, int batch, boolean flips) {
        this(sn, mean, std, new SlidingWindow(tile, overlap, batch), flips);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    public SlidingWindow window() {
        return window;
    }

    public int tile() {
        return window.tile();
    }

    public int batch() {
        return window.batch();
    }

    /** How many tiles SN runs on for an image of this size (flips not counted). */
    public int tiles(int width, int height) {
        return window.tiles(width, height);
    }

    /**
     * Segments an image given as [0,1] samples (C, H, W) and hands blended class probabilities to
     * {@code sink} band by band, top to bottom.
     */
    public void predict(NDManager parent, float[] pixels, int channels, int width, int height, SlidingWindow.RowSink sink) {
        predict(parent, pixels, 1f, channels, width, height, sink);
    }

    /**
     * As {@link #predict(NDManager, float[], int, int, int, SlidingWindow.RowSink)} for raw samples
     * that {@code scale} maps to [0, 1] (1 / the sample type's maximum), so no scaled copy of a
     * large image is needed.
     */
    public void predict(NDManager parent, float[] pixels, float scale, int channels, int width, int height, SlidingWindow.RowSink sink) {
        window.run(parent, pixels, channels, width, height, probabilities(scale, channels), sink);
    }

    /** Whole-image probabilities (K, H, W); convenient for images that fit in memory. */
    public float[] probabilities(NDManager parent, float[] pixels, int channels, int width, int height) {
        return window.runWhole(parent, pixels, channels, width, height, probabilities(1f, channels));
    }

    /** SN's tile -> probabilities function for raw samples that {@code scale} maps to [0, 1]. */
    private SlidingWindow.TileFunction probabilities(float scale, int channels) {
        int tile = window.tile();
        return new SlidingWindow.TileFunction() {
            @Override
            public int channels() {
                return sn.classes();
            }

            @Override
            public float[] apply(NDManager manager, float[] tiles, int count) {
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
        };
    }

    private NDArray forward(ParameterStore store, NDArray x) {
        return sn.forward(store, new NDList(x), false).singletonOrThrow().softmax(1);
    }
}
