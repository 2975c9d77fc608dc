package org.danseg.infer;

import ai.djl.ndarray.NDManager;
import org.danseg.nn.SegmentationNet;

/**
 * Class probabilities over an image of any size: a {@link TileNetwork} (SN through DJL, or its
 * ONNX export through ONNX Runtime) run on the tiles of a {@link SlidingWindow}, optionally with
 * flip test-time augmentation, and blended.
 */
public final class TiledPredictor {
    private final TileNetwork network;
    private final SlidingWindow window;
    private final boolean flips;

    public TiledPredictor(TileNetwork network, SlidingWindow window, boolean flips) {
        if (window.tile() % network.sizeMultiple() != 0) {
            throw new IllegalArgumentException("tile side " + window.tile() + " is not a multiple of " + network.sizeMultiple()
                    + " (the network's downsampling)");
        }
        this.network = network;
        this.window = window.alignedTo(network.sizeMultiple());
        this.flips = flips;
    }

    /** SN through DJL. */
    public TiledPredictor(SegmentationNet sn, double[] mean, double[] std, SlidingWindow window, boolean flips) {
        this(new DjlTileNetwork(sn, mean, std), window, flips);
    }

    public TiledPredictor(SegmentationNet sn, double[] mean, double[] std, int tile, double overlap, int batch, boolean flips) {
        this(sn, mean, std, new SlidingWindow(tile, overlap, batch), flips);
    }

    /** The same predictor with its network's time added to {@code times}. */
    public TiledPredictor timed(SlideTimes times) {
        return new TiledPredictor(times.timing(network), window, flips);
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

    /** How many tiles the network runs on for an image of this size (flips not counted). */
    public int tiles(int width, int height) {
        return windowFor(width, height).tiles(width, height);
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
        SlidingWindow w = windowFor(width, height);
        w.run(parent, pixels, channels, width, height, probabilities(scale, channels, w.tile()), sink);
    }

    /**
     * As {@link #predict(NDManager, float[], float, int, int, int, SlidingWindow.RowSink)} for an
     * image read band by band (a slide), with the tiles {@code skip} names left out as background;
     * {@code sink} hears the columns where tiles ran.
     */
    public void predict(NDManager parent, SlidingWindow.RowSource source, float scale, int channels, int width, int height,
                        SlidingWindow.TileSkip skip, SlidingWindow.SpanSink sink) {
        predict(parent, source, scale, channels, width, height, skip, 0, tileRows(width, height), sink);
    }

    /**
     * As {@link #predict(NDManager, SlidingWindow.RowSource, float, int, int, int, SlidingWindow.TileSkip, SlidingWindow.SpanSink)}
     * for the part of the image from tile row {@code fromRow} to {@code toRow}: its rows exactly as
     * the whole image's prediction gives them ({@link SlidingWindow#run(NDManager, SlidingWindow.RowSource, int, int, int,
     * SlidingWindow.TileFunction, SlidingWindow.TileSkip, int, int, SlidingWindow.SpanSink)}).
     */
    public void predict(NDManager parent, SlidingWindow.RowSource source, float scale, int channels, int width, int height,
                        SlidingWindow.TileSkip skip, int fromRow, int toRow, SlidingWindow.SpanSink sink) {
        SlidingWindow w = windowFor(width, height);
        w.run(parent, source, channels, width, height, probabilities(scale, channels, w.tile()), skip, fromRow, toRow, sink);
    }

    /** How many rows of tiles cover an image of this size: the units a slide is split into. */
    public int tileRows(int width, int height) {
        return windowFor(width, height).tileRows(height);
    }

    /** The first image row of tile row {@code r} (the height for r = {@link #tileRows}). */
    public int rowStart(int width, int height, int r) {
        return windowFor(width, height).rowStart(r, height);
    }

    /** Whole-image probabilities (K, H, W); convenient for images that fit in memory. */
    public float[] probabilities(NDManager parent, float[] pixels, int channels, int width, int height) {
        SlidingWindow w = windowFor(width, height);
        return w.runWhole(parent, pixels, channels, width, height, probabilities(1f, channels, w.tile()));
    }

    /**
     * The window for an image of this size: the configured one, or, for an image smaller than a
     * tile, one tile just large enough to hold it (its longer side rounded up to the network's
     * multiple). A 128-pixel image in a 256-pixel tile would be three quarters edge replication:
     * streaks the network never saw in training, which changed what it predicted on the image
     * itself (issue 21: a model trained on 64-pixel patches scored Dice 0.70 on its own training
     * images at tile 64 and 0.13 at tile 256).
     */
    SlidingWindow windowFor(int width, int height) {
        int m = network.sizeMultiple();
        int fitted = (Math.max(width, height) + m - 1) / m * m;
        return fitted >= window.tile() ? window : new SlidingWindow(fitted, window.overlap(), window.batch()).alignedTo(m);
    }

    /** The tile -> probabilities function for raw samples that {@code scale} maps to [0, 1]. */
    private SlidingWindow.TileFunction probabilities(float scale, int channels, int tile) {
        return new SlidingWindow.TileFunction() {
            @Override
            public int channels() {
                return network.classes();
            }

            @Override
            public float[] apply(NDManager manager, float[] tiles, int count) {
                return network.probabilities(manager, tiles, scale, count, channels, tile, flips);
            }
        };
    }
}
