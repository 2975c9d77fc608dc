package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.danseg.nn.SegmentationNet;
import org.junit.jupiter.api.Test;

class TiledPredictorTest {

    @Test
    void tileStartsCoverTheAxisWithAtLeastTheRequestedOverlap() {
        assertThat(SlidingWindow.starts(100, 128, 0.25)).containsExactly(0);
        assertThat(SlidingWindow.starts(128, 128, 0.25)).containsExactly(0);
        // (512 - 128) / 96 = 4 steps -> 5 tiles, 96 apart.
        assertThat(SlidingWindow.starts(512, 128, 0.25)).containsExactly(0, 96, 192, 288, 384);
        int[] s = SlidingWindow.starts(1000, 256, 0.5);
        assertThat(s[0]).isZero();
        assertThat(s[s.length - 1]).isEqualTo(1000 - 256);
        for (int i = 1; i < s.length; i++) {
            assertThat(s[i] - s[i - 1]).isLessThanOrEqualTo(128);
        }
    }

    @Test
    void alignedStartsSitOnTheMultipleExceptTheLastAndStillOverlap() {
        // 5 120 px, 256-px tiles, overlap 0.25: 27 tiles 187.1 px apart unaligned (0, 187, 374, ...).
        int[] plain = SlidingWindow.starts(5120, 256, 0.25);
        int[] aligned = SlidingWindow.starts(5120, 256, 0.25, 16);
        assertThat(plain[1]).isEqualTo(187);
        assertThat(aligned).hasSameSizeAs(plain);
        assertThat(aligned[1]).isEqualTo(192);
        for (int i = 0; i < aligned.length; i++) {
            assertThat(Math.abs(aligned[i] - plain[i])).isLessThanOrEqualTo(8);
            if (i < aligned.length - 1) {
                assertThat(aligned[i] % 16).as("start %d", i).isZero();
            }
            if (i > 0) {
                assertThat(aligned[i] - aligned[i - 1]).as("overlap before start %d", i).isLessThanOrEqualTo(256 - 64 + 16);
            }
        }
        assertThat(aligned[aligned.length - 1]).isEqualTo(5120 - 256);
        // An image whose far edge is off the multiple: the last tile still ends there.
        int[] odd = SlidingWindow.starts(1000, 256, 0.25, 16);
        assertThat(odd[odd.length - 1]).isEqualTo(744);
        assertThat(odd[odd.length - 2] % 16).isZero();
        assertThat(new SlidingWindow(256, 0.25, 1).alignedTo(16).tiles(5120, 5120)).isEqualTo(27 * 27);
        // Every pixel covered, starts rising and aligned, at any length and overlap: at overlap 0 rounding alone left
        // gaps between the last tiles (1 010 px: 2 px uncovered).
        for (double overlap : new double[] {0, 0.1, 0.25, 0.5, 0.75}) {
            for (int length = 257; length < 4000; length += 3) {
                int[] st = SlidingWindow.starts(length, 256, overlap, 16);
                assertThat(st[0]).isZero();
                assertThat(st[st.length - 1]).isEqualTo(length - 256);
                for (int i = 1; i < st.length; i++) {
                    assertThat(st[i] - st[i - 1]).as("length %d overlap %s start %d", length, overlap, i).isPositive().isLessThanOrEqualTo(256);
                    if (i < st.length - 1) {
                        assertThat(st[i] % 16).isZero();
                    }
                }
            }
        }
        assertThatThrownBy(() -> new SlidingWindow(100, 0.25, 1).alignedTo(16)).hasMessageContaining("not a multiple of 16");
        // A predictor puts its tiles on its network's multiple, also when it shrinks the window to a small image.
        TileNetwork sixteen = new TileNetwork() {
            public int classes() {
                return 2;
            }

            public int sizeMultiple() {
                return 16;
            }

            public float[] probabilities(NDManager manager, float[] tiles, float scale, int count, int channels, int tile, boolean flips) {
                throw new UnsupportedOperationException();
            }
        };
        TiledPredictor predictor = new TiledPredictor(sixteen, new SlidingWindow(256, 0.25, 1), false);
        assertThat(predictor.window().align()).isEqualTo(16);
        assertThat(predictor.windowFor(100, 90).align()).isEqualTo(16);
    }

    /** A network that looks at one pixel only: tiled and one-pass prediction must then agree exactly. */
    static final class PixelwiseNet extends SegmentationNet {
        @Override
        public String toOnnx(org.danseg.nn.onnx.OnnxGraph graph, String input) {
            throw new UnsupportedOperationException("a test network");
        }

        private final ai.djl.nn.Block conv;

        PixelwiseNet() {
            super(3, 3);
            conv = addChildBlock("conv", ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new ai.djl.ndarray.types.Shape(1, 1))
                    .setFilters(3).build());
        }

        @Override
        public int sizeMultiple() {
            return 1;
        }

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDList in, boolean training,
                                                      ai.djl.util.PairList<String, Object> params) {
            return conv.forward(ps, in, training);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, ai.djl.ndarray.types.DataType type, ai.djl.ndarray.types.Shape... shapes) {
            conv.initialize(manager, type, shapes);
        }
    }

    @Test
    void blendingIsExactForAPixelwiseNetworkWithAnyTilingAndFlips() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet sn = new PixelwiseNet();
            sn.initialize(m, 8);
            int w = 301;
            int h = 217;
            float[] px = new float[3 * w * h];
            Random rng = new Random(1);
            for (int i = 0; i < px.length; i++) {
                px[i] = rng.nextFloat();
            }
            double[] mean = {0.5, 0.4, 0.3};
            double[] std = {0.2, 0.3, 0.4};
            float[] whole = new TiledPredictor(sn, mean, std, 320, 0, 1, false).probabilities(m, px, 3, w, h);
            for (TiledPredictor tiled : new TiledPredictor[] {
                    new TiledPredictor(sn, mean, std, 64, 0.5, 3, false),
                    new TiledPredictor(sn, mean, std, 96, 0.25, 1, true),
                    new TiledPredictor(sn, mean, std, 100, 0.9, 7, false)}) {
                float[] t = tiled.probabilities(m, px, 3, w, h);
                for (int i = 0; i < whole.length; i++) {
                    assertThat(t[i]).isCloseTo(whole[i], org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
    }

    @Test
    void aTimedPredictorGivesTheSameProbabilitiesAndCountsItsNetworkTime() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet sn = new PixelwiseNet();
            sn.initialize(m, 8);
            int w = 150;
            int h = 90;
            float[] px = new float[3 * w * h];
            Random rng = new Random(2);
            for (int i = 0; i < px.length; i++) {
                px[i] = rng.nextFloat();
            }
            TiledPredictor plain = new TiledPredictor(sn, new double[] {0, 0, 0}, new double[] {1, 1, 1}, 64, 0.25, 2, true);
            SlideTimes times = new SlideTimes();
            assertThat(plain.timed(times).probabilities(m, px, 3, w, h)).containsExactly(plain.probabilities(m, px, 3, w, h));
            assertThat(times.seconds(SlideTimes.Stage.NETWORK)).isPositive();
            assertThat(times.seconds(SlideTimes.Stage.READING)).isZero();
            double network = times.seconds(SlideTimes.Stage.NETWORK);
            // The rest is the wall time less every stage measured, never negative.
            assertThat(times.describe(network + 2)).startsWith("network ").endsWith("blending and the rest 2.0 s ("
                    + Math.round(100 * 2 / (network + 2)) + "%)");
        }
    }

    @Test
    void rowsArriveTopToBottomExactlyOnce() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet sn = new PixelwiseNet();
            sn.initialize(m, 8);
            int w = 50;
            int h = 333;
            java.util.List<int[]> bands = new java.util.ArrayList<>();
            new TiledPredictor(sn, new double[] {0, 0, 0}, new double[] {1, 1, 1}, 64, 0.3, 2, false)
                    .predict(m, new float[3 * w * h], 3, w, h, (y0, rows, prob) -> bands.add(new int[] {y0, rows}));
            int next = 0;
            for (int[] b : bands) {
                assertThat(b[0]).isEqualTo(next);
                next += b[1];
            }
            assertThat(next).isEqualTo(h);
        }
    }

    @Test
    void windowProblemsAreStatedWithoutNamingACommandsFlags() {
        // Training validates through the same window: its messages must not blame --tile or --batch.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SlidingWindow(64, 0.25, 0)).hasMessageNotContaining("--");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SlidingWindow(0, 0.25, 1)).hasMessageNotContaining("--");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SlidingWindow(64, 1.0, 1)).hasMessageNotContaining("--");
    }

    /** A two-channel function that returns its input: blended, the output is the image itself. */
    /** An image read as a slide is: each band holds only the rows and columns asked for. */
    private static SlidingWindow.RowSource bands(float[] px, int channels, int w, int h) {
        return (y0, rows, x0, x1) -> {
            int cols = x1 - x0;
            float[] band = new float[channels * rows * cols];
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < rows; y++) {
                    System.arraycopy(px, (c * h + y0 + y) * w + x0, band, (c * rows + y) * cols, cols);
                }
            }
            return new SlidingWindow.Band(band, y0, rows, x0, cols);
        };
    }

    private static final SlidingWindow.TileFunction IDENTITY = new SlidingWindow.TileFunction() {
        @Override
        public int channels() {
            return 2;
        }

        @Override
        public float[] apply(NDManager manager, float[] tiles, int count) {
            return tiles.clone();
        }
    };

    @Test
    void anyTileFunctionIsBlendedLikeSnsProbabilities() {
        // A function that returns its input: the blended output is the image itself, whatever the tiling.
        int w = 70;
        int h = 45;
        float[] px = new float[2 * w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37 % 101) / 101f;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] out = new SlidingWindow(32, 0.5, 3).runWhole(m, px, 2, w, h, IDENTITY);
            for (int i = 0; i < px.length; i++) {
                assertThat(out[i]).isCloseTo(px[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    @Test
    void inputReadBandByBandGivesTheSameOutputAndSkippedTilesAreCertainBackground() {
        // A slide is read one tile row at a time: each band holds only the rows asked for.
        int w = 90;
        int h = 77;
        float[] px = new float[2 * w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37 % 101) / 101f;
        }
        SlidingWindow.RowSource bands = bands(px, 2, w, h);
        try (NDManager m = NDManager.newBaseManager()) {
            SlidingWindow window = new SlidingWindow(32, 0.25, 2);
            float[] whole = window.runWhole(m, px, 2, w, h, IDENTITY);
            float[] streamed = new float[whole.length];
            window.run(m, bands, 2, w, h, IDENTITY, SlidingWindow.TileSkip.NONE, (y0, rows, out) -> {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(out, c * rows * w, streamed, (c * h + y0) * w, rows * w);
                }
            });
            assertThat(streamed).containsExactly(whole);
            // The left tiles skipped: the band is read from the first tile run on, and pixels that only run tiles cover are unchanged.
            int[] xs = SlidingWindow.starts(w, 32, 0.25);
            int firstRun = xs[2];
            float[] partial = new float[whole.length];
            window.run(m, (y0, rows, x0, x1) -> {
                assertThat(x0).isEqualTo(firstRun);
                return bands.rows(y0, rows, x0, x1);
            }, 2, w, h, IDENTITY, (x, y, side) -> x < firstRun, (y0, rows, out) -> {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(out, c * rows * w, partial, (c * h + y0) * w, rows * w);
                }
            });
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = xs[1] + 32; x < w; x++) {
                        assertThat(partial[(c * h + y) * w + x]).isEqualTo(whole[(c * h + y) * w + x]);
                    }
                }
            }
            // Every tile skipped: class 0 is 1 and class 1 is 0 everywhere, and the source is never read.
            float[] skipped = new float[whole.length];
            window.run(m, (y0, rows, x0, x1) -> {
                throw new AssertionError("a fully skipped image must not be read");
            }, 2, w, h, IDENTITY, (x, y, side) -> true, (y0, rows, out) -> {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(out, c * rows * w, skipped, (c * h + y0) * w, rows * w);
                }
            });
            for (int i = 0; i < w * h; i++) {
                assertThat(skipped[i]).isEqualTo(1f);
                assertThat(skipped[w * h + i]).isEqualTo(0f);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 8})
    void glassCostsNothingButTheOutputIsBlendingEveryTileWithSkippedOnesAsBackground(int align) {
        // Two tissue islands on a wide image: the span sink hears only the columns where tiles ran, and
        // its output (certain background elsewhere) equals blending every tile, skipped ones as class 0.
        int w = 300;
        int h = 140;
        int tile = 32;
        double overlap = 0.5;
        float[] px = new float[2 * w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 53 % 97) / 97f;
        }
        SlidingWindow.TileSkip skip = (x, y, side) -> !((x < 60 && y < 50) || (x > 180 && x < 230 && y > 60));
        int[] xs = SlidingWindow.starts(w, tile, overlap, align);
        int[] ys = SlidingWindow.starts(h, tile, overlap, align);
        float[] acc = new float[2 * w * h];
        float[] norm = new float[w * h];
        float[] wt = SlidingWindow.gaussian(tile);
        for (int ty : ys) {
            for (int tx : xs) {
                boolean skipped = skip.skip(tx, ty, tile);
                for (int y = 0; y < tile; y++) {
                    for (int x = 0; x < tile; x++) {
                        int i = (ty + y) * w + tx + x;
                        norm[i] += wt[y * tile + x];
                        acc[i] += wt[y * tile + x] * (skipped ? 1f : px[i]);
                        acc[w * h + i] += wt[y * tile + x] * (skipped ? 0f : px[w * h + i]);
                    }
                }
            }
        }
        float[] got = new float[2 * w * h];
        java.util.Arrays.fill(got, Float.NaN);
        int[] widest = new int[1];
        SlidingWindow.RowSource source = bands(px, 2, w, h);
        try (NDManager m = NDManager.newBaseManager()) {
            new SlidingWindow(tile, overlap, 2).alignedTo(align).run(m, source, 2, w, h, IDENTITY, skip, (SlidingWindow.SpanSink) (y0, rows, x0, columns, out) -> {
                widest[0] = Math.max(widest[0], columns);
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inside = x >= x0 && x < x0 + columns;
                        for (int c = 0; c < 2; c++) {
                            got[(c * h + y0 + y) * w + x] = inside ? out[(c * rows + y) * columns + x - x0] : (c == 0 ? 1f : 0f);
                        }
                    }
                }
            });
        }
        // The islands' tiles span at most columns 0..64 and 176..256 of a 300-pixel row.
        assertThat(widest[0]).isLessThanOrEqualTo(256).isGreaterThan(0);
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 2; c++) {
                assertThat(got[c * w * h + i]).as("class %d at (%d, %d)", c, i % w, i / w)
                        .isCloseTo(acc[c * w * h + i] / norm[i], org.assertj.core.api.Assertions.within(1e-6f));
            }
        }
    }

    @Test
    void partsOfTileRowsRunApartJoinRowForRowIntoTheWholeRun() {
        // A slide split into parts for different machines: each part's rows equal the whole run's exactly.
        int w = 150;
        int h = 190;
        float[] px = new float[2 * w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 29 % 83) / 83f;
        }
        SlidingWindow.RowSource source = bands(px, 2, w, h);
        SlidingWindow.TileSkip skip = (x, y, side) -> (x / 20 + y / 30) % 3 == 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (double overlap : new double[] {0.25, 0.7}) {
                SlidingWindow window = new SlidingWindow(32, overlap, 2);
                float[] whole = new float[2 * w * h];
                window.run(m, source, 2, w, h, IDENTITY, skip, (SlidingWindow.RowSink) (y0, rows, out) -> {
                    for (int c = 0; c < 2; c++) {
                        System.arraycopy(out, c * rows * w, whole, (c * h + y0) * w, rows * w);
                    }
                });
                int n = window.tileRows(h);
                for (int part : new int[] {1, 2, 3}) {
                    float[] joined = new float[2 * w * h];
                    java.util.Arrays.fill(joined, Float.NaN);
                    for (int from = 0; from < n; from += part) {
                        int to = Math.min(n, from + part);
                        int top = window.rowStart(from, h);
                        int bottom = window.rowStart(to, h);
                        window.run(m, source, 2, w, h, IDENTITY, skip, from, to, (y0, rows, x0, columns, out) -> {
                            assertThat(y0).isGreaterThanOrEqualTo(top);
                            assertThat(y0 + rows).isLessThanOrEqualTo(bottom);
                            for (int c = 0; c < 2; c++) {
                                for (int y = 0; y < rows; y++) {
                                    for (int x = 0; x < w; x++) {
                                        boolean inside = x >= x0 && x < x0 + columns;
                                        joined[(c * h + y0 + y) * w + x] = inside ? out[(c * rows + y) * columns + x - x0] : (c == 0 ? 1f : 0f);
                                    }
                                }
                            }
                        });
                    }
                    assertThat(joined).as("overlap %s, parts of %d tile rows", overlap, part).containsExactly(whole);
                }
            }
        }
    }
}
