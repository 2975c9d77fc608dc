package org.danseg.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.danseg.data.AnnotatedDataset;
import org.danseg.data.Augmentation;
import org.danseg.data.DatasetException;
import org.danseg.data.DatasetLoader;
import org.danseg.data.PatchSampler;
import org.danseg.data.TrainingData;
import org.danseg.data.UnannotatedDataset;

/**
 * The data pipeline alone, no network: reading and decoding a dataset folder (DIR/annotated with
 * images + masks, DIR/unannotated, as {@code danseg synth} writes them) into training sets, then
 * drawing training batches of A + U augmented patches with the sampler training uses. Training
 * draws its batches on a separate thread (BatchPrefetcher) while the networks compute, so this is
 * the rate the pipeline can feed, not time added to an iteration.
 */
public final class DataPipelineBench {

    private DataPipelineBench() {
    }

    public static Map<String, Object> run(Path dir, int patch, int annotated, int unannotated, int warmup, int iters, long seed,
                                          Bench.Progress progress) throws IOException, DatasetException {
        if (patch <= 0 || annotated < 0 || unannotated < 0 || annotated + unannotated < 1 || iters < 1 || warmup < 0) {
            throw new org.danseg.io.BadInputException("--mode data needs --size > 0, --annotated + --unannotated >= 1, --iters >= 1, --warmup >= 0");
        }
        long t0 = System.nanoTime();
        AnnotatedDataset a = DatasetLoader.annotated(dir.resolve("annotated"), null);
        UnannotatedDataset u = DatasetLoader.unannotated(dir.resolve("unannotated"));
        TrainingData data = TrainingData.fromDatasets(a, u, null);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        int images = data.annotated().items().size() + data.unannotated().items().size();

        PatchSampler sampler = new PatchSampler(data.annotated(), data.unannotated(), patch, seed, Augmentation.DEFAULT);
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < warmup + iters; i++) {
            long s = System.nanoTime();
            sampler.batch(i, annotated, unannotated);
            double dt = (System.nanoTime() - s) / 1e9;
            if (i >= warmup) {
                seconds.add(dt);
            }
            progress.iteration(i, i < warmup, dt);
        }
        double median = Bench.median(seconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "data");
        r.put("data", dir.toString());
        r.put("images_loaded", images);
        r.put("load_seconds", Bench.round(loadSeconds, 3));
        r.put("images_loaded_per_second", Bench.round(images / loadSeconds, 1));
        r.put("patch", patch);
        r.put("patches_per_batch", annotated + unannotated);
        r.put("iteration_seconds", seconds.stream().map(x -> Bench.round(x, 7)).toList());
        r.put("median_s", Bench.round(median, 7));
        r.put("patches_per_second", Bench.round((annotated + unannotated) / median, 1));
        r.put("peak_rss_mb", Bench.peakRssMb());
        return r;
    }
}
