package org.danseg.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.danseg.infer.ImageSegmenter;
import org.danseg.infer.SavedModel;
import org.danseg.infer.TiledPredictor;

/**
 * One task: the executor's shared model, one predictor for the partition, and each input
 * segmented into its output through the same {@link ImageSegmenter} as {@code danseg predict}.
 * A bad input becomes an error row with its one-line reason; the partition goes on.
 */
final class SegmentPartition implements MapPartitionsFunction<Row, SegmentationResult> {
    private final SparkJobSettings settings;
    private final SerializableConfiguration conf;

    SegmentPartition(SparkJobSettings settings, SerializableConfiguration conf) {
        this.settings = settings;
        this.conf = conf;
    }

    @Override
    public Iterator<SegmentationResult> call(Iterator<Row> rows) throws Exception {
        Configuration c = conf.get();
        int cpus = org.apache.spark.SparkEnv.get() == null ? 1 : org.apache.spark.SparkEnv.get().conf().getInt("spark.task.cpus", 1);
        SavedModel model = ExecutorModels.get(settings.model(), settings.threads() > 0 ? settings.threads() : cpus, c);
        // Before every partition: an executor whose kernels compute wrong numbers fails the task, never writes a mask.
        org.danseg.runtime.NumericsGuard.recheck();
        TiledPredictor predictor = model.predictor(settings.tile(), settings.overlap(), 0, settings.tta());
        List<SegmentationResult> results = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            results.add(segment(model, predictor, row.getString(0), row.getString(1), c));
        }
        return results.iterator();
    }

    private SegmentationResult segment(SavedModel model, TiledPredictor predictor, String input, String output, Configuration c) {
        long started = System.nanoTime();
        try {
            if (!settings.force() && LocalFiles.exists(output, c)) {
                return SegmentationResult.of(input, output, SegmentationResult.SKIPPED, "output exists (rerun with --force to redo it)", 0);
            }
            java.nio.file.Path in = LocalFiles.local(input, c, false);
            java.nio.file.Path staged = LocalFiles.staging(output, c);
            ImageSegmenter.Outcome o = InputListing.isVolume(in.getFileName().toString())
                    ? ImageSegmenter.segmentVolume(model, predictor, in, staged)
                    : ImageSegmenter.segmentImage(model, predictor, in, staged, settings.probabilities(), model.hasEvaluationNet());
            LocalFiles.publish(staged, output, c);
            if (settings.probabilities()) {
                for (java.nio.file.Path map : ImageSegmenter.probabilityMaps(staged, model.classes())) {
                    LocalFiles.publish(map, new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(output).getParent(),
                            map.getFileName().toString()).toString(), c);
                }
            }
            SegmentationResult r = SegmentationResult.of(input, output, SegmentationResult.OK, null, (System.nanoTime() - started) / 1e9);
            r.setWidth(o.width());
            r.setHeight(o.height());
            r.setDepth(o.depth());
            r.setForegroundFraction(o.foregroundFraction());
            r.setEnScore(Double.isNaN(o.enScore()) ? null : o.enScore());
            return r;
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return SegmentationResult.of(input, null, SegmentationResult.ERROR, why, (System.nanoTime() - started) / 1e9);
        }
    }
}
