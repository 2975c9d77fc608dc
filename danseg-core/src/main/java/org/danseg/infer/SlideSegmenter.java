package org.danseg.infer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.danseg.io.AtomicFiles;
import org.danseg.io.geojson.MaskObjects;
import org.danseg.io.geojson.QuPathGeoJson;
import org.danseg.io.slide.LabelRaster;
import org.danseg.io.slide.PyramidalMask;
import org.danseg.io.slide.Slide;
import org.danseg.io.slide.TissueMask;

/**
 * Segments a whole-slide image in bounded memory: the slide is read one tile row (band) at a
 * time through the sliding window, tiles of glass are skipped (brightfield; {@link TissueMask}),
 * finished label rows go to a temporary {@link LabelRaster} on disk, and the mask is written from
 * it as a tiled pyramidal TIFF. Memory follows the slide's width (a band of blended probabilities),
 * never its area, and beyond the tissue test glass costs nothing: bands, labels, mask reads and
 * object tracing cover only the columns where tiles ran.
 */
public final class SlideSegmenter {

    /** What segmenting one slide produced; {@code tiles} counts window positions, {@code skipped} those left out as glass. */
    public record Outcome(int width, int height, int tiles, int skipped, double foregroundFraction, long objects, SlideTimes times) {
    }

    private SlideSegmenter() {
    }

    /**
     * Writes the label mask of {@code slide}, on {@code grid} (the model's pixel size where both state
     * one), to {@code mask} (tiled pyramidal TIFF) and its objects, in level-0 coordinates, to
     * {@code objects} (QuPath's GeoJSON; null: none). {@code rowsDone} hears how many grid rows are
     * finished, for a progress bar.
     */
    public static Outcome segment(SavedModel model, TiledPredictor predictor, Slide slide, SlideGrid grid, boolean skipGlass, Path mask,
                                  Path objects, IntConsumer rowsDone) throws IOException {
        if (slide.channels() != model.channels()) {
            throw new org.danseg.io.ImageFormatException(slide.file(), "has " + slide.channels() + " channels; the model expects " + model.channels());
        }
        SlideTimes times = new SlideTimes();
        TiledPredictor timed = predictor.timed(times);
        long t0 = System.nanoTime();
        TissueMask tissue = skipGlass ? TissueMask.of(slide) : null;
        times.add(SlideTimes.Stage.TISSUE, System.nanoTime() - t0);
        int w = grid.width();
        int h = grid.height();
        double sx = grid.scaleX();
        double sy = grid.scaleY();
        int k = model.classes();
        int[] counts = new int[2];
        long[] foreground = new long[1];
        Path folder = mask.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(folder);
        try (LabelRaster labels = new LabelRaster(folder, w, h)) {
            SlidingWindow.TileSkip skip = (x, y, side) -> {
                counts[0]++;
                // The tissue mask speaks level 0: the grid square's footprint there.
                boolean glass = tissue != null && tissue.background((int) Math.floor(x * sx), (int) Math.floor(y * sy),
                        (int) Math.ceil(side * Math.max(sx, sy)));
                counts[1] += glass ? 1 : 0;
                return glass;
            };
            SlidingWindow.RowSource source = (y0, rows, x0, x1) -> {
                long r0 = System.nanoTime();
                try {
                    return new SlidingWindow.Band(grid.read(x0, y0, x1 - x0, rows), y0, rows, x0, x1 - x0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    times.add(SlideTimes.Stage.READING, System.nanoTime() - r0);
                }
            };
            try {
                model.segment(source, slide.channels(), w, h, 1f / 255f, timed, skip, (y0, rows, x0, columns, band) -> {
                    long l0 = System.nanoTime();
                    int[] l = ClassMaps.argmax(band, k, rows * columns);
                    for (int i = 0; i < rows * columns; i++) {
                        foreground[0] += l[i] != 0 ? 1 : 0;
                    }
                    try {
                        labels.append(y0, rows, x0, columns, l);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    times.add(SlideTimes.Stage.LABELS, System.nanoTime() - l0);
                    rowsDone.accept(y0 + rows);
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            long m0 = System.nanoTime();
            PyramidalMask.write(labels, grid.spacing(), mask);
            times.add(SlideTimes.Stage.MASK, System.nanoTime() - m0);
            long[] written = new long[1];
            long o0 = System.nanoTime();
            if (objects != null) {
                AtomicFiles.write(objects, out -> {
                    try (QuPathGeoJson json = new QuPathGeoJson(out, QuPathGeoJson.defaultClassNames(k), grid.spacing(), sx, sy)) {
                        MaskObjects.trace(rows(labels), o -> json.write(o, java.util.Map.of()));
                        written[0] = json.written();
                    }
                });
            }
            times.add(SlideTimes.Stage.OBJECTS, System.nanoTime() - o0);
            return new Outcome(w, h, counts[0], counts[1], (double) foreground[0] / ((double) w * h), written[0], times);
        }
    }

    /** The raster's rows for the object tracer. */
    private static MaskObjects.Rows rows(LabelRaster labels) {
        return new MaskObjects.Rows() {
            @Override
            public int width() {
                return labels.width();
            }

            @Override
            public int height() {
                return labels.height();
            }

            @Override
            public void row(int y, int[] out) throws IOException {
                int from = labels.from(y);
                byte[] b = labels.read(from, y, labels.to(y) - from, 1, 1);
                for (int i = 0; i < b.length; i++) {
                    out[from + i] = b[i] & 0xff;
                }
            }

            @Override
            public int from(int y) {
                return labels.from(y);
            }

            @Override
            public int to(int y) {
                return labels.to(y);
            }
        };
    }
}
