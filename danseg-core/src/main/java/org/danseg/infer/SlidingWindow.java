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
    private final int align;
    private final float[] weights;

    public SlidingWindow(int tile, double overlap, int batch) {
        this(tile, overlap, batch, 1);
    }

    private SlidingWindow(int tile, double overlap, int batch, int align) {
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
        this.align = align;
        this.weights = gaussian(tile);
    }

    /**
     * The same window with tile starts on multiples of {@code multiple} (a network's downsampling; the
     * last tile on each axis still ends at the image's edge). A network that pools is not
     * shift-equivariant: with every tile on the same pooling phase, overlapping tiles predict a pixel
     * alike and the labels depend less on where the grid falls (docs/slides.md, "Tile placement").
     */
    public SlidingWindow alignedTo(int multiple) {
        if (multiple < 1 || tile % multiple != 0) {
            throw new IllegalArgumentException("tile side " + tile + " is not a multiple of " + multiple);
        }
        return multiple == align ? this : new SlidingWindow(tile, overlap, batch, multiple);
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

    public int align() {
        return align;
    }

    /** How many tiles cover an image of this size. */
    public int tiles(int width, int height) {
        return starts(width, tile, overlap, align).length * starts(height, tile, overlap, align).length;
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

    /**
     * Receives finished rows of output: {@code out[k * rows * width + r * width + x]} for rows
     * y0..y0+rows-1. {@code out} is reused from band to band (and may be longer than needed):
     * read it during the call.
     */
    public interface RowSink {
        void rows(int y0, int rows, float[] out);
    }

    /**
     * Receives finished rows of output for the columns where tiles ran:
     * {@code out[k * rows * columns + r * columns + i]} is class k at (x0 + i, y0 + r); every other
     * pixel of these rows is class 0 with certainty (only skipped tiles cover it), so a slide whose
     * tissue is a small part of its width costs the tissue's width, not the slide's. {@code out} is
     * reused from band to band (and may be longer than needed): read it during the call.
     */
    public interface SpanSink {
        void rows(int y0, int rows, int x0, int columns, float[] out);
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
        float[][] full = {new float[0]};
        run(parent, source, channels, width, height, f, skip, (y0, rows, x0, columns, out) -> {
            if (x0 == 0 && columns == width) {
                sink.rows(y0, rows, out);
                return;
            }
            if (full[0].length < k * rows * width) {
                full[0] = new float[k * rows * width];
            }
            float[] a = full[0];
            java.util.Arrays.fill(a, 0, rows * width, 1f);
            java.util.Arrays.fill(a, rows * width, k * rows * width, 0f);
            for (int c = 0; c < k; c++) {
                for (int y = 0; y < rows; y++) {
                    System.arraycopy(out, (c * rows + y) * columns, a, (c * rows + y) * width + x0, columns);
                }
            }
            sink.rows(y0, rows, a);
        });
    }

    /**
     * Runs {@code f} over an image read band by band, leaving out the tiles {@code skip} names, and
     * hands the blended output of the columns where tiles ran to {@code sink}, top to bottom.
     * Which tiles run is decided first, so a skipped tile is blended (as certain background) only
     * where it overlaps a tile that runs, and the blending, shifting and output of each band cover
     * only the columns that tiles touched: glass costs nothing but the tissue test. The output is
     * the same as blending every skipped tile everywhere: a pixel no run tile covers is class 0
     * exactly either way.
     */
    public void run(NDManager parent, RowSource source, int channels, int width, int height, TileFunction f, TileSkip skip, SpanSink sink) {
        run(parent, source, channels, width, height, f, skip, 0, tileRows(height), sink);
    }

    /** How many rows of tiles cover an image this high: the units {@link #run(NDManager, RowSource, int, int, int, TileFunction, TileSkip, int, int, SpanSink)} splits a slide by. */
    public int tileRows(int height) {
        return starts(height, tile, overlap, align).length;
    }

    /** The first image row of tile row {@code r} ({@code r} = {@link #tileRows}: the image's height): where a part of the image starts. */
    public int rowStart(int r, int height) {
        int[] ys = starts(height, tile, overlap, align);
        return r >= ys.length ? height : ys[r];
    }

    /**
     * As {@link #run(NDManager, RowSource, int, int, int, TileFunction, TileSkip, SpanSink)} for
     * one part of the image: the output rows from the start of tile row {@code fromRow} to the
     * start of tile row {@code toRow} ({@link #rowStart}), exactly as a run over the whole image
     * gives them. The tile rows above that still reach into the part are run too (one, at the
     * default overlap), so parts can go to different machines and be joined row for row.
     */
    public void run(NDManager parent, RowSource source, int channels, int width, int height, TileFunction f, TileSkip skip,
                    int fromRow, int toRow, SpanSink sink) {
        int k = f.channels();
        int[] xs = starts(width, tile, overlap, align);
        int[] ys = starts(height, tile, overlap, align);
        if (fromRow < 0 || toRow > ys.length || fromRow >= toRow) {
            throw new IllegalArgumentException("tile rows " + fromRow + ".." + toRow + " are not a part of 0.." + ys.length);
        }
        int outTop = ys[fromRow];
        int firstRow = fromRow;
        while (firstRow > 0 && ys[firstRow - 1] + tile > outTop) {
            firstRow--;
        }
        TilePlan plan = new TilePlan(xs, ys, firstRow, toRow, tile, Math.min(tile, width), Math.min(tile, height), skip);
        try (var off = org.danseg.runtime.EngineSettings.noGrad(); NDManager manager = parent.newSubManager()) {
            // Rows [bandTop, bandTop + bandHeight) are accumulated; rows above the next tile row are final.
            // One buffer per class plane, reused for every band (a band never exceeds a tile's height):
            // a wide slide would otherwise make a fresh ~100 MB of garbage per tile row. Outside the
            // columns that the band's tile rows touched the buffers stay zero.
            int bandTop = ys[firstRow];
            int bandHeight = Math.min(height - bandTop, tile);
            int stride = Math.min(height, tile) * width;
            float[] acc = new float[k * stride];
            float[] norm = new float[stride];
            float[] out = new float[0];
            for (int r = firstRow; r < toRow; r++) {
                int ty = ys[r];
                int needBottom = Math.min(height, ty + tile);
                // Grow the band to cover this tile row; the rows it gains are zero already.
                bandHeight = Math.max(bandHeight, needBottom - bandTop);
                List<int[]> tiles = new ArrayList<>();
                List<int[]> background = new ArrayList<>();
                for (int c = 0; c < xs.length; c++) {
                    if (plan.runs(r, c)) {
                        tiles.add(new int[] {xs[c], ty});
                    } else if (plan.blended(r, c)) {
                        background.add(new int[] {xs[c], ty});
                    }
                }
                Band input = tiles.isEmpty() ? null : source.rows(ty, needBottom - ty, tiles.get(0)[0],
                        Math.min(width, tiles.get(tiles.size() - 1)[0] + tile));
                for (int start = 0; start < tiles.size(); start += batch) {
                    List<int[]> chunk = tiles.subList(start, Math.min(tiles.size(), start + batch));
                    float[] probabilities = f.apply(manager, crop(input, channels, width, height, chunk), chunk.size());
                    accumulate(probabilities, chunk, k, width, height, bandTop, stride, acc, norm);
                }
                accumulateBackground(background, width, height, bandTop, acc, norm);
                int finalUntil = r + 1 < ys.length ? ys[r + 1] : height;
                int doneRows = finalUntil - bandTop;
                if (doneRows > 0) {
                    // The tile rows this band holds (all started at or before ty; the later ones start at finalUntil).
                    int first = r;
                    while (first > firstRow && ys[first - 1] + tile > bandTop) {
                        first--;
                    }
                    if (finalUntil > outTop) {
                        int[] ran = plan.span(first, r, true);
                        out = grow(out, k * doneRows * (ran[1] - ran[0]));
                        emit(ran, acc, norm, k, stride, width, bandTop, doneRows, outTop, out, sink);
                    }
                    int keep = bandHeight - doneRows;
                    int[] touched = plan.span(first, r, false);
                    shift(acc, k, stride, bandHeight, doneRows, width, touched[0], touched[1]);
                    shift(norm, 1, stride, bandHeight, doneRows, width, touched[0], touched[1]);
                    bandTop = finalUntil;
                    bandHeight = keep;
                }
            }
        }
    }

    private static float[] grow(float[] out, int length) {
        return out.length < length ? new float[length] : out;
    }

    /**
     * Hands the final rows {@code bandTop .. bandTop + doneRows - 1} of the band, from row
     * {@code outTop} on, to {@code sink} for the columns {@code ran} where tiles ran.
     */
    private static void emit(int[] ran, float[] acc, float[] norm, int k, int stride, int width, int bandTop, int doneRows, int outTop,
                             float[] out, SpanSink sink) {
        int skip = Math.max(0, outTop - bandTop);
        int rows = doneRows - skip;
        int columns = ran[1] - ran[0];
        for (int y = 0; y < rows; y++) {
            for (int x = ran[0]; x < ran[1]; x++) {
                int i = (y + skip) * width + x;
                float n = norm[i];
                for (int c = 0; c < k; c++) {
                    // No tile ran over this pixel (a gap between tissue columns): certain background.
                    out[(c * rows + y) * columns + x - ran[0]] = n == 0 ? (c == 0 ? 1f : 0f) : acc[c * stride + i] / n;
                }
            }
        }
        sink.rows(bandTop + skip, rows, ran[0], columns, out);
    }

    /**
     * Which tiles run and which skipped tiles must be blended as background: those overlapping a
     * tile that runs (elsewhere the output is class 0 whether they are blended or not). The skip
     * test is asked once per tile, row by row, left to right.
     */
    private static final class TilePlan {
        private final int[] xs;
        private final int[] ys;
        private final boolean[][] runs;
        private final boolean[][] blended;
        private final int sideX;
        private final int sideY;

        private final int firstRow;
        private final int endRow;

        /** The plan for tile rows {@code firstRow .. endRow - 1}, the only ones a part of the image runs. */
        TilePlan(int[] xs, int[] ys, int firstRow, int endRow, int tile, int sideX, int sideY, TileSkip skip) {
            this.xs = xs;
            this.ys = ys;
            this.sideX = sideX;
            this.sideY = sideY;
            this.firstRow = firstRow;
            this.endRow = endRow;
            runs = new boolean[ys.length][xs.length];
            blended = new boolean[ys.length][xs.length];
            for (int r = firstRow; r < endRow; r++) {
                for (int c = 0; c < xs.length; c++) {
                    runs[r][c] = !skip.skip(xs[c], ys[r], tile);
                }
            }
            for (int r = firstRow; r < endRow; r++) {
                for (int c = 0; c < xs.length; c++) {
                    if (!runs[r][c]) {
                        blended[r][c] = overlapsARunningTile(r, c);
                    }
                }
            }
        }

        boolean runs(int r, int c) {
            return runs[r][c];
        }

        boolean blended(int r, int c) {
            return blended[r][c];
        }

        private boolean overlapsARunningTile(int r, int c) {
            int r0 = r;
            while (r0 > firstRow && ys[r0 - 1] + sideY > ys[r]) {
                r0--;
            }
            int c0 = c;
            while (c0 > 0 && xs[c0 - 1] + sideX > xs[c]) {
                c0--;
            }
            for (int q = r0; q < endRow && ys[q] < ys[r] + sideY; q++) {
                for (int p = c0; p < xs.length && xs[p] < xs[c] + sideX; p++) {
                    if (runs[q][p]) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Columns [from, to) covered by the tiles of rows first..last that run ({@code onlyRun}) or that are blended at all; [0, 0) if none. */
        int[] span(int first, int last, boolean onlyRun) {
            int lo = Integer.MAX_VALUE;
            int hi = 0;
            for (int r = first; r <= last; r++) {
                for (int c = 0; c < xs.length; c++) {
                    if (runs[r][c] || (!onlyRun && blended[r][c])) {
                        lo = Math.min(lo, xs[c]);
                        hi = Math.max(hi, xs[c] + sideX);
                    }
                }
            }
            return lo >= hi ? new int[] {0, 0} : new int[] {lo, hi};
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

    /**
     * Drops the first {@code done} of {@code rows} rows of each plane in place, zeroing the rows freed
     * at the end; only columns [lo, hi) are touched, the others being zero throughout.
     */
    private static void shift(float[] a, int planes, int stride, int rows, int done, int width, int lo, int hi) {
        if (lo >= hi) {
            return;
        }
        int keep = Math.max(rows - done, 0);
        int columns = hi - lo;
        for (int p = 0; p < planes; p++) {
            int base = p * stride + lo;
            if (lo == 0 && hi == width) {
                System.arraycopy(a, base + done * width, a, base, keep * width);
                java.util.Arrays.fill(a, base + keep * width, base + rows * width, 0f);
                continue;
            }
            for (int y = 0; y < keep; y++) {
                System.arraycopy(a, base + (y + done) * width, a, base + y * width, columns);
            }
            for (int y = keep; y < rows; y++) {
                java.util.Arrays.fill(a, base + y * width, base + y * width + columns, 0f);
            }
        }
    }

    /**
     * Where tiles start along one axis: evenly spaced from 0 to length - tile so that neighbours
     * overlap by at least {@code overlap} of a tile (nnU-Net's placement). A side shorter than a
     * tile gets one tile at 0 (padded by edge replication).
     */
    static int[] starts(int length, int tile, double overlap) {
        return starts(length, tile, overlap, 1);
    }

    /**
     * {@link #starts(int, int, double)} with every start but the last rounded to a multiple of
     * {@code align} (by at most align / 2). Where rounding would open a gap before the next tile (only
     * at overlaps near 0), the start moves up to the first multiple that closes it.
     */
    static int[] starts(int length, int tile, double overlap, int align) {
        if (length <= tile) {
            return new int[] {0};
        }
        double step = tile * (1 - overlap);
        int n = (int) Math.ceil((length - tile) / step) + 1;
        int[] s = new int[n];
        double actual = (double) (length - tile) / (n - 1);
        for (int i = 0; i < n - 1; i++) {
            s[i] = Math.min((int) Math.round(i * actual / align) * align, length - tile);
        }
        s[n - 1] = length - tile;
        for (int i = n - 2; i > 0; i--) {
            int lowest = s[i + 1] - tile;
            if (s[i] < lowest) {
                s[i] = (lowest + align - 1) / align * align;
            }
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
