package org.danseg.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.danseg.config.Setting;
import org.danseg.data.Batch;
import org.danseg.infer.DjlTileNetwork;
import org.danseg.infer.OnnxTileNetwork;
import org.danseg.infer.SlidingWindow;
import org.danseg.infer.TileNetwork;
import org.danseg.infer.TiledPredictor;
import org.danseg.nn.onnx.SegmentationOnnx;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.NetworkPair;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.SnArchitecture;
import org.danseg.runtime.ComputeDevice;
import org.danseg.runtime.SystemReport;
import org.danseg.train.Adam;
import org.danseg.train.DanSteps;

/**
 * Times danseg's own training and inference code paths (DanSteps, TiledPredictor), not a copy of
 * them, on random images made once outside the timed region, and reports what the reference script
 * reports: parameter counts, forward GFLOP per image, passes and GFLOP per iteration, seconds per
 * iteration and achieved GFLOP/s, plus the process's peak resident memory.
 */
public final class Bench {

    /** One line per iteration as it finishes (warm-up included). */
    public interface Progress {
        void iteration(int index, boolean warmup, double seconds);
    }

    private Bench() {
    }

    public static Map<String, Object> run(BenchConfig c, Progress progress) throws IOException {
        return run(c, null, progress);
    }

    /**
     * As {@link #run(BenchConfig, Progress)}; with {@code trace} non-null, PyTorch's profiler records
     * the timed iterations (not the warm-up) into that Chrome-trace file, which slows them a little.
     */
    public static Map<String, Object> run(BenchConfig c, Path trace, Progress progress) throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        org.danseg.runtime.EngineSettings.forTraining(c.threads());
        engine.setRandomSeed((int) c.seed());
        Fusion fusion = (Fusion) Setting.FUSION.fromJson(c.fusion(), "--fusion");
        SnArchitecture architecture = (SnArchitecture) Setting.SN.fromJson(c.sn(), "--sn");
        int n = c.annotated() + c.unannotated();
        try (NDManager root = NDManager.newBaseManager(ComputeDevice.current())) {
            NetworkPair nets = NetworkPair.forTraining(new NetworkPair.Spec(architecture, c.width(), fusion, EvaluationNet.Kind.IMAGE,
                    c.channels(), c.classes()), root, c.size());
            SegmentationNet sn = nets.sn();
            EvaluationNet en = nets.en();
            double gfSn = MacCount.forwardGflopPerImage(sn);
            double gfEn = MacCount.forwardGflopPerImage(en);
            double[] mean = new double[c.channels()];
            double[] std = new double[c.channels()];
            Arrays.fill(mean, 0.5);
            Arrays.fill(std, 0.25);
            Adam snOpt = new Adam(sn.getParameters().values(), root, 1e-4);
            Adam enOpt = new Adam(en.getParameters().values(), root, 1e-4);
            DanSteps steps = new DanSteps(sn, en, snOpt, enOpt, root, fusion, mean, std, false, 0, c.balance());
            Batch batch = randomBatch(c);
            SlidingWindow window = new SlidingWindow(c.inferenceTile(), 0.25, c.tileBatch());
            TileNetwork network = c.engine().equals("onnxruntime")
                    ? new OnnxTileNetwork(SegmentationOnnx.export(sn, mean, std, "bench", "bench", Map.of()), c.classes(), sn.sizeMultiple(),
                            c.threads(), c.ortLevel())
                    : new DjlTileNetwork(sn, mean, std);
            TiledPredictor predictor = new TiledPredictor(network, window, false);
            float[][] images = c.mode().equals("infer") ? randomImages(c, n) : null;

            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < c.warmup() + c.iters(); i++) {
                if (trace != null && i == c.warmup()) {
                    JniUtils.startProfile(false, true, false);
                }
                long t0 = System.nanoTime();
                try (NDManager it = root.newSubManager()) {
                    switch (c.mode()) {
                        case "dan" -> steps.adversarial(batch, it, c.lambda());
                        case "supervised" -> steps.supervised(batch.annotatedOnly(), it);
                        default -> {
                            for (float[] image : images) {
                                predictor.probabilities(it, image, c.channels(), c.size(), c.size());
                            }
                        }
                    }
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                boolean warm = i < c.warmup();
                if (!warm) {
                    seconds.add(dt);
                }
                progress.iteration(i, warm, dt);
            }
            if (trace != null) {
                JniUtils.stopProfile(trace.toString());
            }
            Passes passes = Passes.of(c);
            // Overlapping tiles compute more than the image's area: count what the network ran on.
            int tilesPerImage = predictor.tiles(c.size(), c.size());
            double coverage = c.mode().equals("infer")
                    ? (double) tilesPerImage * c.inferenceTile() * c.inferenceTile() / ((double) c.size() * c.size()) : 1;
            double gflop = passes.gflop(gfSn, gfEn) * coverage;
            double median = median(seconds);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("cpu", SystemReport.cpuModel());
            r.put("logical_cpus", Runtime.getRuntime().availableProcessors());
            r.put("engine", "DJL " + Engine.getDjlVersion() + " / PyTorch " + engine.getVersion());
            r.put("device", ComputeDevice.describe(root.getDevice()));
            r.put("threads", JniUtils.getNumThreads());
            r.put("config", c);
            r.put("engine", c.engine());
            r.put("sn_params", parameters(sn));
            r.put("en_params", parameters(en));
            r.put("en_input_channels", fusion.channels(c.channels(), c.classes()));
            r.put("sn_forward_gflop_per_image", round(gfSn, 4));
            r.put("en_forward_gflop_per_image", round(gfEn, 4));
            r.put("passes_per_iteration", passes.asMap());
            if (c.mode().equals("infer")) {
                r.put("tiles_per_image", tilesPerImage);
            }
            r.put("gflop_per_iteration", round(gflop, 2));
            r.put("iteration_seconds", seconds.stream().map(s -> round(s, 4)).toList());
            r.put("median_s", round(median, 4));
            r.put("min_s", round(seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0), 4));
            r.put("max_s", round(seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0), 4));
            r.put("achieved_gflops", round(gflop / median, 2));
            r.put("peak_rss_mb", peakRssMb());
            if (network instanceof OnnxTileNetwork session) {
                session.close();
            }
            return r;
        }
    }

    /**
     * How many passes of each kind one iteration makes, as the reference script counts them with
     * its SN forward shared (danseg always shares it). danseg's balanced SN step adds a backward
     * pass through the loss only, which the count (convolutions and linear layers) does not see.
     */
    record Passes(int images, int snForward, int snForwardNoGrad, int snBackward, int enForward, int enBackwardFull, int enBackwardInputsOnly) {

        static Passes of(BenchConfig c) {
            int n = c.annotated() + c.unannotated();
            return switch (c.mode()) {
                case "infer" -> new Passes(n, 0, 1, 0, 0, 0, 0);
                case "supervised" -> new Passes(c.annotated(), 1, 0, 1, 0, 0, 0);
                default -> new Passes(n, 1, 0, 1, 2, 1, 1);
            };
        }

        /** Backward = 2 x forward, EN's input-only backward = 1 x, as the reference counts. */
        double gflop(double gfSn, double gfEn) {
            double snEquivalent = snForward + snForwardNoGrad + 2 * snBackward;
            double enEquivalent = enForward + 2 * enBackwardFull + enBackwardInputsOnly;
            return images * (snEquivalent * gfSn + enEquivalent * gfEn);
        }

        Map<String, Integer> asMap() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("sn_forward", snForward);
            m.put("sn_forward_no_grad", snForwardNoGrad);
            m.put("sn_backward", snBackward);
            m.put("en_forward", enForward);
            m.put("en_backward_full", enBackwardFull);
            m.put("en_backward_inputs_only", enBackwardInputsOnly);
            m.put("images", images);
            return m;
        }
    }

    private static Batch randomBatch(BenchConfig c) {
        Random rng = new Random(c.seed());
        int a = c.annotated();
        int u = c.mode().equals("dan") ? c.unannotated() : 0;
        int px = c.size() * c.size();
        float[] images = new float[(a + u) * c.channels() * px];
        for (int i = 0; i < images.length; i++) {
            images[i] = rng.nextFloat();
        }
        float[] oneHot = new float[a * c.classes() * px];
        for (int b = 0; b < a; b++) {
            for (int p = 0; p < px; p++) {
                oneHot[(b * c.classes() + rng.nextInt(c.classes())) * px + p] = 1;
            }
        }
        return new Batch(0, a, u, c.channels(), c.classes(), c.size(), images, oneHot, (long) a * px, null, null);
    }

    private static float[][] randomImages(BenchConfig c, int n) {
        Random rng = new Random(c.seed());
        float[][] images = new float[n][c.channels() * c.size() * c.size()];
        for (float[] image : images) {
            for (int i = 0; i < image.length; i++) {
                image[i] = rng.nextFloat();
            }
        }
        return images;
    }

    private static long parameters(ai.djl.nn.Block block) {
        long total = 0;
        for (var p : block.getParameters()) {
            ai.djl.nn.Parameter.Type t = p.getValue().getType();
            if (t != ai.djl.nn.Parameter.Type.RUNNING_MEAN && t != ai.djl.nn.Parameter.Type.RUNNING_VAR) {
                total += p.getValue().getArray().size();
            }
        }
        return total;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** VmHWM of this process (Linux), in MB; null elsewhere. */
    static Double peakRssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return null;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0, 1);
            }
        }
        return null;
    }
}
