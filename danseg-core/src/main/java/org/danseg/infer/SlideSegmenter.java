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

    /** What predicting some tile rows of a slide produced: window positions, those skipped as glass, foreground pixels. */
    public record Part(int tiles, int skipped, long foreground) {
    }

    /**
     * Writes the label mask of {@code slide}, on {@code grid} (the model's pixel size where both state
     * one), to {@code mask} (tiled pyramidal TIFF) and its objects, in level-0 coordinates, to
     * {@code objects} (QuPath's GeoJSON; null: none). {@code rowsDone} hears how many grid rows are
     * finished, for a progress bar.
     */
    public static Outcome segment(SavedModel model, TiledPredictor predictor, Slide slide, SlideGrid grid, boolean skipGlass, Path mask,
                                  Path objects, IntConsumer rowsDone) throws IOException {
        SlideTimes times = new SlideTimes();
        TissueMask tissue = tissue(slide, skipGlass, times);
        Path folder = mask.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(folder);
        try (LabelRaster labels = new LabelRaster(folder, grid.width(), grid.height())) {
            Part p = predictRows(model, predictor, slide, grid, tissue, 0, tileRows(predictor, grid), labels, times, rowsDone);
            long written = finish(labels, grid, model.classes(), mask, objects, times);
            return new Outcome(grid.width(), grid.height(), p.tiles(), p.skipped(), (double) p.foreground() / ((double) grid.width() * grid.height()),
                    written, times);
        }
    }

    /** Rows of tiles the slide's grid holds: the units a slide is split into to be predicted on several machines. */
    public static int tileRows(TiledPredictor predictor, SlideGrid grid) {
        return predictor.tileRows(grid.width(), grid.height());
    }

    /** The first grid row of tile row {@code r} (the grid's height for r = {@link #tileRows}). */
    public static int rowStart(TiledPredictor predictor, SlideGrid grid, int r) {
        return predictor.rowStart(grid.width(), grid.height(), r);
    }

    /** Where the slide has tissue (brightfield), for skipping glass; null when every tile is to run. */
    public static TissueMask tissue(Slide slide, boolean skipGlass, SlideTimes times) throws IOException {
        long t0 = System.nanoTime();
        TissueMask tissue = skipGlass ? TissueMask.of(slide) : null;
        times.add(SlideTimes.Stage.TISSUE, System.nanoTime() - t0);
        return tissue;
    }

    /**
     * Predicts tile rows {@code fromRow .. toRow - 1} of the slide (grid rows {@link #rowStart}
     * of each) into {@code labels}, whose next row must be the first of them: the whole slide, or
     * a part of it predicted apart and joined later, row for row the same.
     */
    public static Part predictRows(SavedModel model, TiledPredictor predictor, Slide slide, SlideGrid grid, TissueMask tissue, int fromRow, int toRow,
                                   LabelRaster labels, SlideTimes times, IntConsumer rowsDone) throws IOException {
        if (slide.channels() != model.channels()) {
            throw new org.danseg.io.ImageFormatException(slide.file(), "has " + slide.channels() + " channels; the model expects " + model.channels());
        }
        if (labels.rowsWritten() != rowStart(predictor, grid, fromRow)) {
            throw new IllegalArgumentException("tile row " + fromRow + " starts at grid row " + rowStart(predictor, grid, fromRow)
                    + "; the labels expect row " + labels.rowsWritten());
        }
        TiledPredictor timed = predictor.timed(times);
        int w = grid.width();
        int h = grid.height();
        double sx = grid.scaleX();
        double sy = grid.scaleY();
        int k = model.classes();
        int[] counts = new int[2];
        long[] foreground = new long[1];
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
            model.segment(source, slide.channels(), w, h, 1f / 255f, timed, skip, fromRow, toRow, (y0, rows, x0, columns, band) -> {
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
        return new Part(counts[0], counts[1], foreground[0]);
    }

    /**
     * Writes a finished raster as the pyramidal {@code mask} and its objects, in level-0
     * coordinates, to {@code objects} (null: none); returns how many objects were written.
     */
    public static long finish(LabelRaster labels, SlideGrid grid, int classes, Path mask, Path objects, SlideTimes times) throws IOException {
        long m0 = System.nanoTime();
        PyramidalMask.write(labels, grid.spacing(), mask);
        times.add(SlideTimes.Stage.MASK, System.nanoTime() - m0);
        long[] written = new long[1];
        long o0 = System.nanoTime();
        if (objects != null) {
            AtomicFiles.write(objects, out -> {
                try (QuPathGeoJson json = new QuPathGeoJson(out, QuPathGeoJson.defaultClassNames(classes), grid.spacing(), grid.scaleX(), grid.scaleY())) {
                    MaskObjects.trace(rows(labels), o -> json.write(o, java.util.Map.of()));
                    written[0] = json.written();
                }
            });
        }
        times.add(SlideTimes.Stage.OBJECTS, System.nanoTime() - o0);
        return written[0];
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
