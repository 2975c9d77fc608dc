package org.danseg.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.danseg.infer.SavedModel;
import org.danseg.infer.SlideGrid;
import org.danseg.infer.SlideSegmenter;
import org.danseg.infer.SlideTimes;
import org.danseg.infer.TiledPredictor;
import org.danseg.io.AtomicFiles;
import org.danseg.io.slide.LabelRaster;
import org.danseg.io.slide.Slide;

/**
 * Whole-slide images on Spark: a slide's tiles are the unit of work. Three stages: plan (one task
 * per slide: its grid, cut into parts of {@code bandRows} tile rows; finished slides are skipped),
 * predict (the parts, spread over every task, each writing its labels to
 * {@code OUT/.danseg-parts/NAME-KEY/}; a part found there from an interrupted run is kept), and
 * join (one task per slide whose parts all succeeded: the parts in order into the pyramidal mask
 * and the QuPath GeoJSON, as {@code danseg predict} writes them, then the parts are deleted). The
 * joined rows equal one run over the whole slide (SlidingWindow runs each part with the tile rows
 * above it that reach in).
 */
final class SlideJob {
    private SlideJob() {
    }

    static List<SegmentationResult> run(SparkSession spark, SparkJobSettings settings, Map<String, String> masks) {
        SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        List<SlidePart> slides = new ArrayList<>();
        masks.forEach((in, mask) -> slides.add(SlidePart.of(in, mask, SlidePart.PLANNED, null)));
        int parallelism = spark.sparkContext().defaultParallelism();
        List<SlidePart> planned = spark.createDataset(slides, Encoders.bean(SlidePart.class))
                .repartition(Math.max(1, Math.min(slides.size(), parallelism)))
                .mapPartitions(new Plan(settings, conf), Encoders.bean(SlidePart.class)).collectAsList();
        List<SlidePart> todo = planned.stream().filter(p -> p.getStatus().equals(SlidePart.PLANNED)).toList();
        int n = settings.partitions() > 0 ? settings.partitions() : Math.min(Math.max(1, todo.size()), parallelism);
        List<SlidePart> predicted = todo.isEmpty() ? List.of() : spark.createDataset(todo, Encoders.bean(SlidePart.class)).repartition(n)
                .mapPartitions(new Predict(settings, conf), Encoders.bean(SlidePart.class)).collectAsList();

        List<SegmentationResult> results = new ArrayList<>();
        for (SlidePart p : planned) {
            if (!p.getStatus().equals(SlidePart.PLANNED)) {
                results.add(SegmentationResult.of(p.getInput(), p.getStatus().equals(SegmentationResult.ERROR) ? null : p.getMask(), p.getStatus(),
                        p.getMessage(), p.getSeconds()));
            }
        }
        // A slide is joined when every part succeeded; otherwise its first failing part is its error.
        Map<String, SlidePart> whole = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (SlidePart p : predicted.stream().sorted(java.util.Comparator.comparing(SlidePart::getInput).thenComparingInt(SlidePart::getPart)).toList()) {
            if (p.getStatus().equals(SegmentationResult.ERROR)) {
                failed.putIfAbsent(p.getInput(), "part " + (p.getPart() + 1) + " of " + p.getParts() + " (tile rows " + p.getFromRow() + ".."
                        + p.getToRow() + "): " + p.getMessage());
                continue;
            }
            SlidePart sum = whole.computeIfAbsent(p.getInput(), k -> {
                SlidePart s = SlidePart.of(p.getInput(), p.getMask(), SlidePart.PLANNED, null);
                s.setParts(p.getParts());
                s.setWidth(p.getWidth());
                s.setHeight(p.getHeight());
                return s;
            });
            sum.setTiles(sum.getTiles() + p.getTiles());
            sum.setSkippedTiles(sum.getSkippedTiles() + p.getSkippedTiles());
            sum.setForeground(sum.getForeground() + p.getForeground());
            sum.setSeconds(sum.getSeconds() + p.getSeconds());
        }
        failed.forEach((in, why) -> results.add(SegmentationResult.of(in, null, SegmentationResult.ERROR, why, 0)));
        failed.keySet().forEach(whole::remove);
        if (!whole.isEmpty()) {
            List<SlidePart> join = new ArrayList<>(whole.values());
            results.addAll(spark.createDataset(join, Encoders.bean(SlidePart.class)).repartition(Math.min(join.size(), parallelism))
                    .mapPartitions(new Join(settings, conf), Encoders.bean(SegmentationResult.class)).collectAsList());
        }
        return results;
    }

    /** The folder of a slide's parts: beside its mask, named by the mask and the settings that made them. */
    static String partsFolder(SparkJobSettings s, String input, String mask) {
        org.apache.hadoop.fs.Path m = new org.apache.hadoop.fs.Path(mask);
        String key = input + "|" + s.model() + "|" + s.tile() + "|" + s.overlap() + "|" + s.tta() + "|" + s.keepGlass() + "|" + s.bandRows();
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(m.getParent(), ".danseg-parts"),
                m.getName() + "-" + Integer.toHexString(key.hashCode())).toString();
    }

    private static String oneLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    /** What a task on an executor needs for slides: the shared model, a predictor, the slide's grid. */
    private abstract static class OnExecutor<I, O> implements MapPartitionsFunction<I, O> {
        final SparkJobSettings settings;
        final SerializableConfiguration conf;

        OnExecutor(SparkJobSettings settings, SerializableConfiguration conf) {
            this.settings = settings;
            this.conf = conf;
        }

        SavedModel model() {
            int cpus = org.apache.spark.SparkEnv.get() == null ? 1 : org.apache.spark.SparkEnv.get().conf().getInt("spark.task.cpus", 1);
            SavedModel model = ExecutorModels.get(settings.model(), settings.threads() > 0 ? settings.threads() : cpus, conf.get());
            // Before every partition: an executor whose kernels compute wrong numbers fails the task, never writes a mask.
            org.danseg.runtime.NumericsGuard.recheck();
            return model;
        }

        TiledPredictor predictor(SavedModel model) {
            return model.predictor(settings.tile(), settings.overlap(), 0, settings.tta());
        }

        static SlideGrid grid(SavedModel model, Slide slide) {
            return SlideGrid.of(slide, slide.spacing(), model.pixelSize());
        }
    }

    /** One task per slide: skipped when finished, else its parts. */
    static final class Plan extends OnExecutor<SlidePart, SlidePart> {
        Plan(SparkJobSettings settings, SerializableConfiguration conf) {
            super(settings, conf);
        }

        @Override
        public Iterator<SlidePart> call(Iterator<SlidePart> slides) throws Exception {
            Configuration c = conf.get();
            SavedModel model = model();
            TiledPredictor predictor = predictor(model);
            List<SlidePart> out = new ArrayList<>();
            while (slides.hasNext()) {
                SlidePart s = slides.next();
                String objects = objectsOf(s.getMask());
                try {
                    if (!settings.force() && LocalFiles.exists(s.getMask(), c) && LocalFiles.exists(objects, c)) {
                        out.add(SlidePart.of(s.getInput(), s.getMask(), SegmentationResult.SKIPPED, "output exists (rerun with --force to redo it)"));
                        continue;
                    }
                    try (Slide slide = Slide.open(LocalFiles.localCached(s.getInput(), c))) {
                        if (slide.channels() != model.channels()) {
                            throw new IllegalArgumentException(s.getInput() + ": has " + slide.channels() + " channel(s); the model was trained on "
                                    + model.channels());
                        }
                        SlideGrid grid = grid(model, slide);
                        int rows = SlideSegmenter.tileRows(predictor, grid);
                        int parts = (rows + settings.bandRows() - 1) / settings.bandRows();
                        for (int k = 0; k < parts; k++) {
                            SlidePart p = SlidePart.of(s.getInput(), s.getMask(), SlidePart.PLANNED, null);
                            p.setPart(k);
                            p.setParts(parts);
                            p.setFromRow(k * settings.bandRows());
                            p.setToRow(Math.min(rows, (k + 1) * settings.bandRows()));
                            p.setWidth(grid.width());
                            p.setHeight(grid.height());
                            out.add(p);
                        }
                    }
                } catch (Exception e) {
                    out.add(SlidePart.of(s.getInput(), s.getMask(), SegmentationResult.ERROR, oneLine(e)));
                }
            }
            return out.iterator();
        }
    }

    /** Parts, spread over every task: each predicted into its label file (kept when a previous run left it). */
    static final class Predict extends OnExecutor<SlidePart, SlidePart> {
        Predict(SparkJobSettings settings, SerializableConfiguration conf) {
            super(settings, conf);
        }

        @Override
        public Iterator<SlidePart> call(Iterator<SlidePart> parts) throws Exception {
            Configuration c = conf.get();
            SavedModel model = model();
            TiledPredictor predictor = predictor(model);
            List<SlidePart> out = new ArrayList<>();
            while (parts.hasNext()) {
                SlidePart p = parts.next();
                long started = System.nanoTime();
                String file = new org.apache.hadoop.fs.Path(partsFolder(settings, p.getInput(), p.getMask()), p.fileName()).toString();
                try {
                    if (settings.force() || !LocalFiles.exists(file, c)) {
                        predict(model, predictor, p, file, c);
                    }
                    p.setStatus(SegmentationResult.OK);
                } catch (Exception e) {
                    p.setStatus(SegmentationResult.ERROR);
                    p.setMessage(oneLine(e));
                }
                p.setSeconds((System.nanoTime() - started) / 1e9);
                out.add(p);
            }
            return out.iterator();
        }

        private void predict(SavedModel model, TiledPredictor predictor, SlidePart p, String file, Configuration c) throws IOException {
            try (Slide slide = Slide.open(LocalFiles.localCached(p.getInput(), c))) {
                SlideGrid grid = grid(model, slide);
                SlideTimes times = new SlideTimes();
                java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
                try (LabelRaster labels = new LabelRaster(tmp, grid.width(), grid.height())) {
                    int top = SlideSegmenter.rowStart(predictor, grid, p.getFromRow());
                    labels.startAt(top);
                    SlideSegmenter.Part done = SlideSegmenter.predictRows(model, predictor, slide, grid,
                            SlideSegmenter.tissue(slide, !settings.keepGlass(), times), p.getFromRow(), p.getToRow(), labels, times, r -> { });
                    java.nio.file.Path staged = LocalFiles.staging(file, c);
                    AtomicFiles.write(staged, o -> labels.writeRows(top, labels.rowsWritten(), o));
                    LocalFiles.publish(staged, file, c);
                    p.setTiles(done.tiles());
                    p.setSkippedTiles(done.skipped());
                    p.setForeground(done.foreground());
                }
            }
        }
    }

    /** One task per slide whose parts all succeeded: the parts in order into the mask and the GeoJSON. */
    static final class Join extends OnExecutor<SlidePart, SegmentationResult> {
        Join(SparkJobSettings settings, SerializableConfiguration conf) {
            super(settings, conf);
        }

        @Override
        public Iterator<SegmentationResult> call(Iterator<SlidePart> slides) throws Exception {
            Configuration c = conf.get();
            SavedModel model = model();
            List<SegmentationResult> out = new ArrayList<>();
            while (slides.hasNext()) {
                SlidePart s = slides.next();
                long started = System.nanoTime();
                String objects = objectsOf(s.getMask());
                String folder = partsFolder(settings, s.getInput(), s.getMask());
                try (Slide slide = Slide.open(LocalFiles.localCached(s.getInput(), c))) {
                    SlideGrid grid = grid(model, slide);
                    java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
                    try (LabelRaster labels = new LabelRaster(tmp, grid.width(), grid.height())) {
                        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(folder);
                        FileSystem fs = dir.getFileSystem(c);
                        for (int k = 0; k < s.getParts(); k++) {
                            org.apache.hadoop.fs.Path part = partPath(fs, dir, k, s.getParts());
                            try (InputStream in = fs.open(part)) {
                                labels.appendRows(in, part.toString());
                            }
                        }
                        java.nio.file.Path mask = LocalFiles.staging(s.getMask(), c);
                        java.nio.file.Path geojson = LocalFiles.staging(objects, c);
                        SlideSegmenter.finish(labels, grid, model.classes(), mask, geojson, new SlideTimes());
                        LocalFiles.publish(mask, s.getMask(), c);
                        LocalFiles.publish(geojson, objects, c);
                        fs.delete(dir, true);
                        // Counted from the joined parts: parts kept from an interrupted run count too.
                        s.setForeground(labels.foreground());
                    }
                    SegmentationResult r = SegmentationResult.of(s.getInput(), s.getMask(), SegmentationResult.OK, null,
                            s.getSeconds() + (System.nanoTime() - started) / 1e9);
                    r.setWidth(grid.width());
                    r.setHeight(grid.height());
                    r.setForegroundFraction((double) s.getForeground() / ((double) grid.width() * grid.height()));
                    out.add(r);
                } catch (Exception e) {
                    out.add(SegmentationResult.of(s.getInput(), null, SegmentationResult.ERROR, oneLine(e), (System.nanoTime() - started) / 1e9));
                }
            }
            return out.iterator();
        }

        /** Part k's file: its name says its tile rows, which the join checks again through the part's own header. */
        private static org.apache.hadoop.fs.Path partPath(FileSystem fs, org.apache.hadoop.fs.Path dir, int k, int parts) throws IOException {
            String prefix = String.format(java.util.Locale.ROOT, "part-%05d-of-%05d-", k, parts);
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
                if (f.getPath().getName().startsWith(prefix) && f.getPath().getName().endsWith(".labels")) {
                    return f.getPath();
                }
            }
            throw new IOException(dir + ": part " + (k + 1) + " of " + parts + " is missing");
        }
    }

    /** The GeoJSON beside a slide's mask (PredictionPlan's rule: NAME.mask.tif and NAME.geojson). */
    static String objectsOf(String mask) {
        return mask.substring(0, mask.length() - ".mask.tif".length()) + ".geojson";
    }
}
