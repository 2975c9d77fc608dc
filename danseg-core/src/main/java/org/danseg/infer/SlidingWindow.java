package org.danseg.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Sliding-window processing of an image by any tile -> tile function: overlapping square tiles,
 * batched through the function, its outputs blended with Gaussian weights (tile centres count
 * more than tile borders, where a network sees less context). The image is processed in bands of
 * one tile row: only one band of blended output is held at a time, and the function never sees
 * more than one batch of tiles, so memory follows the batch and the image width, not its area.
 * Prediction ({@link TiledPredictor}), validation during training and the benchmark all run here.
 */
public final class SlidingWindow {
    private final int tile;
    private final double overlap;
    private final int batch;
    private final float[] weights;

    public SlidingWindow(int tile, double overlap, int batch) {
        if (tile <= 0) {
            throw new IllegalArgumentException("tile side must be positive, not " + tile);
        }
        if (overlap < 0 || overlap >= 1) {
            throw new IllegalArgumentException("tile overlap must be in [0, 1), not " + overlap);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("tiles per batch must be positive, not " + batch);
        }
        this.tile = tile;
        this.overlap = overlap;
        this.batch = batch;
        this.weights = gaussian(tile);
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

    /**
     * The tile side when the user does not choose: 256 (a multiple of the network's downsampling),
     * or the training patch if larger. Prediction and training's validation both use it, so the
     * validation Dice that picks the best checkpoint is measured as users will predict.
     */
    public static int defaultTile(int trainingPatch, int sizeMultiple) {
        return Math.max(trainingPatch, 256 / sizeMultiple * sizeMultiple);
    }

    public int tile() {
        return tile;
    }

    public double overlap() {
        return overlap;
    }

    public int batch() {
        return batch;
    }

    /** How many tiles cover an image of this size. */
    public int tiles(int width, int height) {
        return starts(width, tile, overlap).length * starts(height, tile, overlap).length;
    }

    /**
     * What runs on the tiles: {@code tiles} holds {@code count} tiles of C channels (count, C, tile,
     * tile) as the image's raw samples, edges replicated where the image is smaller than a tile; the
     * result is (count, K, tile, tile) with K = {@link #channels()}.
     */
    public interface TileFunction {
        int channels();

        float[] apply(NDManager manager, float[] tiles, int count);
    }

    /** Receives finished rows of output: {@code out[k * rows * width + r * width + x]} for rows y0..y0+rows-1. */
    public interface RowSink {
        void rows(int y0, int rows, float[] out);
    }

    /**
     * Parts of the input image, read when the window reaches them: a band holding at least rows
     * {@code y0 .. y0 + rows - 1} and columns {@code x0 .. x1 - 1} as raw samples (C, band rows,
     * band columns). An image in memory is one band; a slide reads one tile row at a time, and of
     * it only the span of tiles that are run, so the input is never held whole.
     */
    public interface RowSource {
        Band rows(int y0, int rows, int x0, int x1);
    }

    /** Rows {@code top .. top + rows - 1} and columns {@code left .. left + columns - 1} of an image (C, rows, columns). */
    public record Band(float[] data, int top, int rows, int left, int columns) {
    }

    /** Tiles the caller knows to be background (a slide's glass): not run, their output is class 0 with certainty. */
    public interface TileSkip {
        TileSkip NONE = (x, y, side) -> false;

        boolean skip(int x, int y, int side);
    }

    /**
     * Runs {@code f} over an image (C, H, W) and hands the blended output to {@code sink} band by
     * band, top to bottom. PyTorch's gradient recording is off meanwhile.
     */
    public void run(NDManager parent, float[] pixels, int channels, int width, int height, TileFunction f, RowSink sink) {
        Band whole = new Band(pixels, 0, height, 0, width);
        run(parent, (y0, rows, x0, x1) -> whole, channels, width, height, f, TileSkip.NONE, sink);
    }

    /** As {@link #run(NDManager, float[], int, int, int, TileFunction, RowSink)} for input read band by band, skipping tiles. */
    public void run(NDManager parent, RowSource source, int channels, int width, int height, TileFunction f, TileSkip skip, RowSink sink) {
        int k = f.channels();
        int[] xs = starts(width, tile, overlap);
        int[] ys = starts(height, tile, overlap);
        try (var off = org.danseg.runtime.EngineSettings.noGrad(); NDManager manager = parent.newSubManager()) {
            // Rows [bandTop, bandTop + bandHeight) are accumulated; rows above the next tile row are final.
            // One buffer per class plane, reused for every band (a band never exceeds a tile's height):
            // a wide slide would otherwise make a fresh ~100 MB of garbage per tile row.
            int bandTop = 0;
            int bandHeight = Math.min(height, tile);
            int stride = bandHeight * width;
            float[] acc = new float[k * stride];
            float[] norm = new float[stride];
            for (int r = 0; r < ys.length; r++) {
                int ty = ys[r];
                int needBottom = Math.min(height, ty + tile);
                // Grow the band to cover this tile row; the rows it gains are zero already.
                bandHeight = Math.max(bandHeight, needBottom - bandTop);
                List<int[]> tiles = new ArrayList<>();
                List<int[]> skipped = new ArrayList<>();
                for (int tx : xs) {
                    (skip.skip(tx, ty, tile) ? skipped : tiles).add(new int[] {tx, ty});
                }
                Band input = tiles.isEmpty() ? null : source.rows(ty, needBottom - ty, tiles.get(0)[0],
                        Math.min(width, tiles.get(tiles.size() - 1)[0] + tile));
                for (int start = 0; start < tiles.size(); start += batch) {
                    List<int[]> chunk = tiles.subList(start, Math.min(tiles.size(), start + batch));
                    float[] out = f.apply(manager, crop(input, channels, width, height, chunk), chunk.size());
                    accumulate(out, chunk, k, width, height, bandTop, stride, acc, norm);
                }
                accumulateBackground(skipped, width, height, bandTop, acc, norm);
                int finalUntil = r + 1 < ys.length ? ys[r + 1] : height;
                int doneRows = finalUntil - bandTop;
                if (doneRows > 0) {
                    float[] out = new float[k * doneRows * width];
                    for (int c = 0; c < k; c++) {
                        for (int y = 0; y < doneRows; y++) {
                            for (int x = 0; x < width; x++) {
                                int i = y * width + x;
                                out[(c * doneRows + y) * width + x] = acc[c * stride + y * width + x] / norm[i];
                            }
                        }
                    }
                    sink.rows(bandTop, doneRows, out);
                    int keep = bandHeight - doneRows;
                    shift(acc, k, stride, bandHeight, doneRows, width);
                    shift(norm, 1, stride, bandHeight, doneRows, width);
                    bandTop = finalUntil;
                    bandHeight = keep;
                }
            }
        }
    }

    /** Skipped tiles as certain background (class 0 probability 1), blended like any tile's output. */
    private void accumulateBackground(List<int[]> skipped, int width, int height, int bandTop, float[] acc, float[] norm) {
        for (int[] t : skipped) {
            int h = Math.min(tile, height - t[1]);
            int w = Math.min(tile, width - t[0]);
            for (int y = 0; y < h; y++) {
                int by = t[1] + y - bandTop;
                for (int x = 0; x < w; x++) {
                    float wt = weights[y * tile + x];
                    int bi = by * width + t[0] + x;
                    norm[bi] += wt;
                    acc[bi] += wt;
                }
            }
        }
    }

    /** The whole output (K, H, W) at once; convenient for images that fit in memory. */
    public float[] runWhole(NDManager parent, float[] pixels, int channels, int width, int height, TileFunction f) {
        int k = f.channels();
        float[] all = new float[k * width * height];
        run(parent, pixels, channels, width, height, f, (y0, rows, out) -> {
            for (int c = 0; c < k; c++) {
                System.arraycopy(out, c * rows * width, all, (c * height + y0) * width, rows * width);
            }
        });
        return all;
    }

    private float[] crop(Band band, int channels, int width, int height, List<int[]> chunk) {
        float[] pixels = band.data();
        int rows = band.rows();
        int columns = band.columns();
        int plane = tile * tile;
        float[] input = new float[chunk.size() * channels * plane];
        for (int t = 0; t < chunk.size(); t++) {
            int tx = chunk.get(t)[0];
            int ty = chunk.get(t)[1];
            for (int c = 0; c < channels; c++) {
                int base = (t * channels + c) * plane;
                for (int y = 0; y < tile; y++) {
                    int sy = Math.min(ty + y, height - 1) - band.top(); // edge replication for images smaller than a tile
                    for (int x = 0; x < tile; x++) {
                        int sx = Math.min(tx + x, width - 1) - band.left();
                        input[base + y * tile + x] = pixels[(c * rows + sy) * columns + sx];
                    }
                }
            }
        }
        return input;
    }

    private void accumulate(float[] out, List<int[]> chunk, int k, int width, int height, int bandTop, int stride, float[] acc, float[] norm) {
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
                        acc[c * stride + bi] += wt * out[(t * k + c) * plane + y * tile + x];
                    }
                }
            }
        }
    }

    /** Drops the first {@code done} of {@code rows} rows of each plane in place, zeroing the rows freed at the end. */
    private static void shift(float[] a, int planes, int stride, int rows, int done, int width) {
        int keep = Math.max(rows - done, 0);
        for (int p = 0; p < planes; p++) {
            System.arraycopy(a, p * stride + done * width, a, p * stride, keep * width);
            java.util.Arrays.fill(a, p * stride + keep * width, p * stride + rows * width, 0f);
        }
    }

    /**
     * Where tiles start along one axis: evenly spaced from 0 to length - tile so that neighbours
     * overlap by at least {@code overlap} of a tile (nnU-Net's placement). A side shorter than a
     * tile gets one tile at 0 (padded by edge replication).
     */
    static int[] starts(int length, int tile, double overlap) {
        if (length <= tile) {
            return new int[] {0};
        }
        double step = tile * (1 - overlap);
        int n = (int) Math.ceil((length - tile) / step) + 1;
        int[] s = new int[n];
        double actual = (double) (length - tile) / (n - 1);
        for (int i = 0; i < n; i++) {
            s[i] = (int) Math.round(i * actual);
        }
        return s;
    }

    static float[] gaussian(int tile) {
        float[] w = new float[tile * tile];
        double sigma = tile / 8.0;
        double c = (tile - 1) / 2.0;
        for (int y = 0; y < tile; y++) {
            for (int x = 0; x < tile; x++) {
                double d2 = (x - c) * (x - c) + (y - c) * (y - c);
                w[y * tile + x] = (float) Math.max(1e-3, Math.exp(-d2 / (2 * sigma * sigma)));
            }
        }
        return w;
    }
}
