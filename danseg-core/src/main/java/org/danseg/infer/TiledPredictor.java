package org.danseg.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.danseg.nn.SegmentationNet;

/**
 * Sliding-window segmentation: overlapping tiles, batched through SN, blended with Gaussian
 * weights (tile centres count more than tile borders, where the network sees less context).
 * The image is processed in bands of one tile row: only one band of blended probabilities is held
 * at a time, and tensors never exceed one batch of tiles, so memory follows the tile batch and the
 * image width, not the image area. Optional flip test-time augmentation averages the four flips.
 */
public final class TiledPredictor {
    private final SegmentationNet sn;
    private final float[] mean;
    private final float[] std;
    private final int tile;
    private final double overlap;
    private final int batch;
    private final boolean flips;
    private final float[] weights;

    public TiledPredictor(SegmentationNet sn, double[] mean, double[] std, int tile, double overlap, int batch, boolean flips) {
        if (tile % sn.sizeMultiple() != 0 || tile <= 0) {
            throw new IllegalArgumentException("--tile must be a positive multiple of " + sn.sizeMultiple() + ", not " + tile);
        }
        if (overlap < 0 || overlap >= 1) {
            throw new IllegalArgumentException("--overlap must be in [0, 1), not " + overlap);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be positive");
        }
        this.sn = sn;
        this.mean = toFloat(mean);
        this.std = toFloat(std);
        this.tile = tile;
        this.overlap = overlap;
        this.batch = batch;
        this.flips = flips;
        this.weights = TileGrid.gaussian(tile);
    }

    /**
     * Tiles per forward pass when the user does not choose: 1 on a CPU, where one tile at a time was
     * fastest (bench --mode infer --size 1024 --tile 256, width 16, 2 cores: 3.9 s per image at batch
     * 1, 4.3 s at 2, 5.4-5.7 s at 4, 6.0 s at 8; docs/performance.md), 4 on a GPU, which wants
     * bigger batches (not measured: no GPU run of danseg yet).
     */
    public static int defaultBatch(Device device) {
        return device.isGpu() ? 4 : 1;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    public int tile() {
        return tile;
    }

    public int batch() {
        return batch;
    }

    /** How many tiles SN runs on for an image of this size (flips not counted). */
    public int tiles(int width, int height) {
        return TileGrid.starts(width, tile, overlap).length * TileGrid.starts(height, tile, overlap).length;
    }

    /** Receives finished rows of class probabilities: {@code prob[k * rows * width + r * width + x]} for rows y0..y0+rows-1. */
    public interface RowSink {
        void rows(int y0, int rows, float[] prob);
    }

    /**
     * Segments an image given as [0,1] samples (C, H, W) and hands blended class probabilities to
     * {@code sink} band by band, top to bottom.
     */
    public void predict(NDManager parent, float[] pixels, int channels, int width, int height, RowSink sink) {
        predict(parent, pixels, 1f, channels, width, height, sink);
    }

    /**
     * As {@link #predict(NDManager, float[], int, int, int, RowSink)} for raw samples that
     * {@code scale} maps to [0, 1] (1 / the sample type's maximum), so no scaled copy of a large
     * image is needed.
     */
    public void predict(NDManager parent, float[] pixels, float scale, int channels, int width, int height, RowSink sink) {
        int k = sn.classes();
        int[] xs = TileGrid.starts(width, tile, overlap);
        int[] ys = TileGrid.starts(height, tile, overlap);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = parent.newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            // Rows [bandTop, bandTop + bandHeight) are accumulated; rows above the next tile row are final.
            int bandTop = 0;
            int bandHeight = Math.min(height, tile);
            float[] acc = new float[k * bandHeight * width];
            float[] norm = new float[bandHeight * width];
            for (int r = 0; r < ys.length; r++) {
                int ty = ys[r];
                int needBottom = Math.min(height, ty + tile);
                if (needBottom - bandTop > bandHeight) {
                    // Grow the band to cover this tile row (copying what is still open).
                    int newHeight = needBottom - bandTop;
                    acc = grow(acc, k, bandHeight, newHeight, width);
                    norm = grow(norm, 1, bandHeight, newHeight, width);
                    bandHeight = newHeight;
                }
                List<int[]> tiles = new ArrayList<>();
                for (int tx : xs) {
                    tiles.add(new int[] {tx, ty});
                }
                for (int start = 0; start < tiles.size(); start += batch) {
                    List<int[]> chunk = tiles.subList(start, Math.min(tiles.size(), start + batch));
                    float[] probs = runTiles(manager, store, pixels, scale, channels, width, height, chunk);
                    accumulate(probs, chunk, k, width, height, bandTop, bandHeight, acc, norm);
                }
                int finalUntil = r + 1 < ys.length ? ys[r + 1] : height;
                int doneRows = finalUntil - bandTop;
                if (doneRows > 0) {
                    float[] out = new float[k * doneRows * width];
                    for (int c = 0; c < k; c++) {
                        for (int y = 0; y < doneRows; y++) {
                            for (int x = 0; x < width; x++) {
                                int i = y * width + x;
                                out[(c * doneRows + y) * width + x] = acc[(c * bandHeight + y) * width + x] / norm[i];
                            }
                        }
                    }
                    sink.rows(bandTop, doneRows, out);
                    int keep = bandHeight - doneRows;
                    acc = shift(acc, k, bandHeight, doneRows, width);
                    norm = shift(norm, 1, bandHeight, doneRows, width);
                    bandTop = finalUntil;
                    bandHeight = keep;
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Whole-image probabilities (K, H, W); convenient for images that fit in memory. */
    public float[] probabilities(NDManager parent, float[] pixels, int channels, int width, int height) {
        int k = sn.classes();
        float[] all = new float[k * width * height];
        predict(parent, pixels, channels, width, height, (y0, rows, prob) -> {
            for (int c = 0; c < k; c++) {
                System.arraycopy(prob, c * rows * width, all, (c * height + y0) * width, rows * width);
            }
        });
        return all;
    }

    private float[] runTiles(NDManager manager, ParameterStore store, float[] pixels, float scale, int channels, int width, int height,
                             List<int[]> chunk) {
        int plane = tile * tile;
        float[] input = new float[chunk.size() * channels * plane];
        for (int t = 0; t < chunk.size(); t++) {
            int tx = chunk.get(t)[0];
            int ty = chunk.get(t)[1];
            for (int c = 0; c < channels; c++) {
                int base = (t * channels + c) * plane;
                for (int y = 0; y < tile; y++) {
                    int sy = Math.min(ty + y, height - 1); // edge replication for images smaller than a tile
                    for (int x = 0; x < tile; x++) {
                        int sx = Math.min(tx + x, width - 1);
                        input[base + y * tile + x] = (pixels[(c * height + sy) * width + sx] * scale - mean[c]) / std[c];
                    }
                }
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(input, new Shape(chunk.size(), channels, tile, tile));
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

    private void accumulate(float[] probs, List<int[]> chunk, int k, int width, int height, int bandTop, int bandHeight, float[] acc, float[] norm) {
        int plane = tile * tile;
        for (int t = 0; t < chunk.size(); t++) {
            int tx = chunk.get(t)[0];
            int ty = chunk.get(t)[1];
            int h = Math.min(tile, height - ty);
            int w = Math.min(tile, width - tx);
            for (int y = 0; y < h; y++) {
                int by = ty + y - bandTop;
                for (int x = 0; x < w; x++) {
                    float wt = weights[y * tile + x];
                    int bi = by * width + tx + x;
                    norm[bi] += wt;
                    for (int c = 0; c < k; c++) {
                        acc[c * bandHeight * width + bi] += wt * probs[(t * k + c) * plane + y * tile + x];
                    }
                }
            }
        }
    }

    private static float[] grow(float[] a, int planes, int oldRows, int newRows, int width) {
        float[] b = new float[planes * newRows * width];
        for (int p = 0; p < planes; p++) {
            System.arraycopy(a, p * oldRows * width, b, p * newRows * width, oldRows * width);
        }
        return b;
    }

    /** Drops the first {@code done} rows of each plane. */
    private static float[] shift(float[] a, int planes, int rows, int done, int width) {
        int keep = rows - done;
        float[] b = new float[planes * Math.max(keep, 0) * width];
        for (int p = 0; p < planes && keep > 0; p++) {
            System.arraycopy(a, (p * rows + done) * width, b, p * keep * width, keep * width);
        }
        return b;
    }
}
