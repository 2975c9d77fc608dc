package org.danseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.data.AnnotatedDataset;
import org.danseg.data.Augmentation;
import org.danseg.data.Batch;
import org.danseg.data.BatchPrefetcher;
import org.danseg.data.DatasetException;
import org.danseg.data.DatasetLoader;
import org.danseg.data.NormalizationStats;
import org.danseg.data.PatchSampler;
import org.danseg.data.SliceList;
import org.danseg.data.StrongAugmentation;
import org.danseg.data.TrainingData;
import org.danseg.data.UnannotatedDataset;
import org.danseg.infer.TiledPredictor;
import org.danseg.io.AtomicFiles;
import org.danseg.io.MaskType;
import org.danseg.io.OutputGuard;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.Networks;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.WeightFiles;
import org.danseg.runtime.ComputeDevice;

/**
 * One training run, start to end or resumed: validates the data, builds SN and EN, runs
 * pre-training and then the alternating DAN steps (or SN alone for {@code supervised}),
 * validates, logs and checkpoints. Both modes share the data order, augmentation, iterations,
 * initialization and normalization for a seed, so the pre-training phase is bit-identical and
 * the baseline differs from DAN only in what DAN adds.
 */
public final class TrainingRun {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the run reports while it works. */
    public interface Listener {
        default void started(TrainConfig config, int firstIteration) {
        }

        default void iteration(int iteration, String phase, double lambda, StepResult result, double valDice, NDManager root) {
        }

        default void warning(String message) {
        }
    }

    /** Saved with every checkpoint: where to continue, and the best validation so far. */
    public record State(int nextIteration, double bestValDice, int bestIteration, double seconds) {
    }

    private final TrainConfig config;
    private final ModelDirectory dir;
    private final boolean resume;
    private final TrainingData data;

    private TrainingRun(TrainConfig config, ModelDirectory dir, boolean resume, TrainingData data) {
        this.config = config;
        this.dir = dir;
        this.resume = resume;
        this.data = data;
    }

    /**
     * Checks everything before any work: the model directory (never overwritten without
     * {@code force}; {@code resume} needs a checkpoint) and every data file.
     */
    public static TrainingRun prepare(TrainConfig config, Path modelDir, boolean resume, boolean force) throws IOException, DatasetException {
        ModelDirectory dir = new ModelDirectory(modelDir.toAbsolutePath().normalize());
        OutputGuard.FolderState state = OutputGuard.checkFolder(dir.root(), "--out", OutputGuard.FolderKind.MODEL, ModelDirectory::isUnmarkedModelFolder,
                force, config.inputPaths());
        if (resume && !dir.hasCheckpoint(ModelDirectory.LAST)) {
            throw new IllegalArgumentException(modelDir + ": nothing to resume (no checkpoint in " + dir.checkpoint(ModelDirectory.LAST) + ")"
                    + (state == OutputGuard.FolderState.OURS ? "; start it again with the same command without --resume" : ""));
        }
        // A run killed before its first checkpoint left nothing worth keeping: it is replaced without --force.
        if (!resume && !force && state == OutputGuard.FolderState.OURS && dir.hasCheckpoint(ModelDirectory.LAST)) {
            throw new IllegalArgumentException(modelDir + ": already holds a trained model (use --resume to continue its run or --force to replace it)");
        }
        TrainingData data = config.volume() != null ? volumeData(config) : datasetData(config);
        if (!resume && state == OutputGuard.FolderState.OURS) {
            OutputGuard.clear(dir.root(), OutputGuard.FolderKind.MODEL, ModelDirectory::isUnmarkedModelFolder);
        }
        return new TrainingRun(config, dir, resume, data);
    }

    private static TrainingData volumeData(TrainConfig config) throws IOException, DatasetException {
        List<Path> images = new ArrayList<>();
        List<Path> labels = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.volume().size(); i++) {
            VolumePairs.add(Path.of(config.volume().get(i)), Path.of(config.labels().get(i)), images, labels, problems);
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) pairing volumes with labels", problems);
        }
        return TrainingData.fromVolumes(images, labels, config.axisIndex(),
                config.annotatedSlices() == null ? null : SliceList.parse(config.annotatedSlices()),
                config.unannotatedSlices() == null || config.unannotatedSlices().equals("all") ? null : SliceList.parse(config.unannotatedSlices()),
                config.ignoreLabel(), config.context(), config.intensity(), config.semiSupervised());
    }

    private static TrainingData datasetData(TrainConfig config) throws IOException, DatasetException {
        MaskType maskType = config.maskType() == null ? null : MaskType.parse(config.maskType());
        List<String> problems = new ArrayList<>();
        AnnotatedDataset annotated = collect(problems, () -> DatasetLoader.annotated(Path.of(config.annotated()), maskType));
        UnannotatedDataset unannotated = config.semiSupervised()
                ? collect(problems, () -> DatasetLoader.unannotated(Path.of(config.unannotated()))) : null;
        AnnotatedDataset validation = config.val() == null ? null
                : collect(problems, () -> DatasetLoader.annotated(Path.of(config.val()), maskType));
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) in the training data", problems);
        }
        if (unannotated != null && unannotated.channels() != annotated.channels()) {
            throw new DatasetException("annotated and unannotated images differ",
                    List.of(config.unannotated() + ": images have " + unannotated.channels() + " channel(s), the annotated ones " + annotated.channels()));
        }
        if (validation != null && (validation.channels() != annotated.channels() || validation.numClasses() > annotated.numClasses())) {
            throw new DatasetException("validation data differs from the training data",
                    List.of(config.val() + ": " + validation.channels() + " channel(s), " + validation.numClasses() + " classes; training has "
                            + annotated.channels() + " and " + annotated.numClasses()));
        }
        return TrainingData.fromDatasets(annotated, unannotated, validation);
    }

    private interface Loader<T> {
        T load() throws IOException, DatasetException;
    }

    private static <T> T collect(List<String> problems, Loader<T> loader) throws IOException {
        try {
            return loader.load();
        } catch (DatasetException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    public TrainConfig config() {
        return config;
    }

    public State run(Listener listener) throws IOException, InterruptedException {
        OutputGuard.mark(dir.root(), OutputGuard.FolderKind.MODEL);
        // PyTorch's grad mode is per thread and on by default on threads other than the one that
        // loaded the engine: switch it off so only the gradient collectors record graphs.
        Engine engine = Engine.getEngine("PyTorch"); // loads the native library JniUtils calls into
        JniUtils.setGradMode(false);
        if (config.threads() > 0) {
            JniUtils.setNumThreads(config.threads());
        }
        engine.setRandomSeed((int) config.seed());
        NormalizationStats norm = data.normalization();
        int classes = data.classes();
        int channels = data.channels();
        Fusion fusion = Fusion.parse(config.fusion());
        LambdaSchedule lambda = LambdaSchedule.of(config);

        try (NDManager root = NDManager.newBaseManager(ComputeDevice.current())) {
            SegmentationNet sn = Networks.segmentation(config.sn(), channels, classes, config.width());
            EvaluationNet en = Networks.evaluation(channels, classes, config.width(), fusion, config.evaluatorKind());
            Networks.useHeInitialization(sn);
            Networks.useHeInitialization(en);
            sn.initialize(root, config.patch());
            en.initialize(root, config.patch());
            Adam snOpt = new Adam(sn.getParameters().values(), root, config.lr());
            Adam enOpt = new Adam(en.getParameters().values(), root, config.enLr());
            DanSteps danSteps = new DanSteps(sn, en, snOpt, enOpt, root, fusion, norm.mean(), norm.std(), config.diceLoss(), config.enLabelSmoothing(), config.balancedGradient());
            TrainingSteps steps = recipe(danSteps, root, channels, classes);

            State state = new State(0, Double.NaN, -1, 0);
            if (resume) {
                state = loadCheckpoint(dir.checkpoint(ModelDirectory.LAST), root, sn, en, snOpt, enOpt, steps);
            } else {
                AtomicFiles.writeString(dir.config(), config.toJson() + "\n");
                AtomicFiles.writeString(dir.model(), JSON.writeValueAsString(new ModelInfo(channels, classes, data.maskType())) + "\n");
                AtomicFiles.writeString(dir.normalization(), JSON.writeValueAsString(norm) + "\n");
                AtomicFiles.writeString(dir.provenance(), JSON.writeValueAsString(Provenance.start(config.seed(), dataFiles())) + "\n");
            }
            listener.started(config, state.nextIteration());

            PatchSampler sampler = new PatchSampler(data.annotated(), data.unannotated(), config.patch(), config.seed(), Augmentation.DEFAULT);
            Validator validator = data.validation() == null ? null
                    : new Validator(data.validation(), new TiledPredictor(sn, norm.mean(), norm.std(), config.patch(), 0.25, TiledPredictor.defaultBatch(root.getDevice()), false), classes);
            HealthMonitor health = new HealthMonitor(Math.min(100, Math.max(10, (config.iterations() - config.pretrainIterations()) / 5)), listener::warning);

            long skippedReported = 0;
            int nonFiniteStreak = 0;
            double bestDice = state.bestValDice();
            int bestIteration = state.bestIteration();
            long started = System.nanoTime();
            double secondsBefore = state.seconds();
            try (StopSignals signals = new StopSignals();
                 TrainLog log = new TrainLog(dir.log(), state.nextIteration(), resume);
                 BatchPrefetcher batches = new BatchPrefetcher(state.nextIteration(), config.iterations(),
                         it -> sampler.batch(it, config.batchAnnotated(), adversarialAt(it) ? config.batchUnannotated() : 0,
                                 steps.needsStrongViews() ? StrongAugmentation.DEFAULT : null))) {
                for (int it = state.nextIteration(); it < config.iterations(); it++) {
                    if (signals.received() != null) {
                        // Between two steps: no native call is running, the last checkpoint is whole.
                        stoppedBy = signals.received();
                        break;
                    }
                    Batch batch = batches.next();
                    boolean adversarial = adversarialAt(it);
                    double lam = adversarial ? lambda.at(it - config.pretrainIterations()) : 0;
                    snOpt.setLearningRate(snLearningRate(it));
                    StepResult r;
                    try (NDManager iteration = root.newSubManager()) {
                        r = adversarial ? steps.semiSupervised(batch, iteration, lam) : steps.supervised(batch, iteration);
                    }
                    // A single non-finite loss is PyTorch's transient NaN (docs/training.md): its step was
                    // skipped and the weights are intact. Only a run of them, or weights gone bad, is divergence.
                    nonFiniteStreak = Double.isFinite(r.supervisedLoss()) ? 0 : nonFiniteStreak + 1;
                    if (nonFiniteStreak >= DIVERGED_AFTER || !Double.isFinite(r.supervisedLoss()) && !finite(sn)) {
                        throw diverged(it, "supervised loss " + r.supervisedLoss(), state);
                    }
                    health.observe(it, r);
                    long skipped = snOpt.skippedSteps() + enOpt.skippedSteps();
                    if (skipped > skippedReported && (skippedReported == 0 || it == config.iterations() - 1)) {
                        listener.warning("iteration " + it + ": " + skipped + " optimizer step(s) skipped so far because a gradient was "
                                + "not finite (PyTorch's CPU convolution backward writes NaN now and then; docs/training.md)");
                        skippedReported = skipped;
                    }
                    boolean last = it == config.iterations() - 1;
                    double valDice = Double.NaN;
                    if (validator != null && ((it + 1) % config.validateEvery() == 0 || last)) {
                        valDice = validator.dice(root);
                    }
                    double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                    String phase = it < config.pretrainIterations() ? "pretrain" : adversarial ? "dan" : "supervised";
                    log.row(it, phase, lam, snOpt.learningRate(), adversarial ? enOpt.learningRate() : Double.NaN, r, valDice, seconds);
                    listener.iteration(it, phase, lam, r, valDice, root);
                    boolean saving = !Double.isNaN(valDice) && (Double.isNaN(bestDice) || valDice > bestDice)
                            || (it + 1) % config.checkpointEvery() == 0 || last;
                    if (saving && !(finite(sn) && finite(en) && steps.extraNetworks().values().stream().allMatch(TrainingRun::finite))) {
                        // Never written: a checkpoint with non-finite weights would only spread the divergence.
                        throw diverged(it, "weights or statistics became non-finite", state);
                    }
                    if (!Double.isNaN(valDice) && (Double.isNaN(bestDice) || valDice > bestDice)) {
                        bestDice = valDice;
                        bestIteration = it;
                        State best = new State(it + 1, bestDice, bestIteration, seconds);
                        dir.saveCheckpoint(ModelDirectory.BEST, d -> writeCheckpoint(d, best, root, sn, en, snOpt, enOpt, steps));
                    }
                    if ((it + 1) % config.checkpointEvery() == 0 || last) {
                        log.flush();
                        State now = new State(it + 1, bestDice, bestIteration, seconds);
                        dir.saveCheckpoint(ModelDirectory.LAST, d -> writeCheckpoint(d, now, root, sn, en, snOpt, enOpt, steps));
                        state = now;
                    }
                }
            }
            if (stoppedBy == null) {
                Provenance p = JSON.readValue(dir.provenance().toFile(), Provenance.class);
                AtomicFiles.writeString(dir.provenance(), JSON.writeValueAsString(p.finish()) + "\n");
            }
            return state;
        }
    }

    /**
     * The run stops; what is on disk is the last good checkpoint (or, before the first one, a
     * folder the same command may reuse), and the advice says so.
     */
    private TrainingDivergedException diverged(int iteration, String what, State lastSaved) {
        String kept = lastSaved.nextIteration() > 0
                ? "the last good checkpoint (iteration " + lastSaved.nextIteration() + ") is kept in " + dir.root()
                        + "; continue from it with --resume and a lower --lr (or --lambda-max), or start over with --force"
                : "no checkpoint was reached; run the same command again with a lower --lr (or --lambda-max)";
        return new TrainingDivergedException("training diverged at iteration " + iteration + " (" + what + "); " + kept);
    }

    /** Training produced non-finite numbers; nothing non-finite was saved. */
    public static final class TrainingDivergedException extends IllegalStateException {
        TrainingDivergedException(String message) {
            super(message);
        }
    }

    private String stoppedBy;

    /** The signal that stopped the last {@link #run} early ("SIGTERM", "SIGINT"), or null when it ran to its end. */
    public String stoppedBy() {
        return stoppedBy;
    }

    /** Consecutive non-finite losses that mean divergence rather than a transient fault. */
    static final int DIVERGED_AFTER = 10;

    private static boolean finite(ai.djl.nn.Block net) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            for (var p : net.getParameters()) {
                // A sum is finite only if every element is.
                if (!Float.isFinite(p.getValue().getArray().sum().getFloat())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** poly: the decay semi-supervised segmentation commonly uses (e.g. SSL4MIS), identical in both modes. */
    private double snLearningRate(int it) {
        return config.lrSchedule().equals("poly") ? config.lr() * Math.pow(1.0 - (double) it / config.iterations(), 0.9) : config.lr();
    }

    private boolean adversarialAt(int it) {
        return config.semiSupervised() && it >= config.pretrainIterations();
    }

    private List<Provenance.DataFile> dataFiles() throws IOException {
        List<Provenance.DataFile> files = new ArrayList<>();
        for (TrainingData.DataFile f : data.files()) {
            files.add(Provenance.file(f.role(), f.path()));
        }
        return files;
    }

    /** The recipe of the configured mode, built over the paper's steps (which hold SN, EN and their optimizers). */
    private TrainingSteps recipe(DanSteps danSteps, NDManager root, int channels, int classes) {
        return switch (config.mode()) {
            case "dan" -> new JudgedSelfTrainingSteps(danSteps, config.confidence(), config.enConfidence(), config.adversarialWeight());
            case "mean-teacher" -> {
                SegmentationNet teacher = Networks.segmentation(config.sn(), channels, classes, config.width());
                teacher.initialize(root, config.patch());
                yield new MeanTeacherSteps(danSteps, teacher, config.emaDecay());
            }
            default -> danSteps; // paper and balanced; supervised never calls the semi-supervised step
        };
    }

    private static void writeCheckpoint(Path d, State state, NDManager root, SegmentationNet sn, EvaluationNet en, Adam snOpt, Adam enOpt,
                                        TrainingSteps steps) throws IOException {
        for (var extra : steps.extraNetworks().entrySet()) {
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(d.resolve(extra.getKey())))) {
                extra.getValue().saveParameters(out);
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(d.resolve("sn.params")))) {
            sn.saveParameters(out);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(d.resolve("en.params")))) {
            en.saveParameters(out);
        }
        Files.write(d.resolve("sn_optimizer.ndlist"), snOpt.encodedState());
        Files.write(d.resolve("en_optimizer.ndlist"), enOpt.encodedState());
        Files.writeString(d.resolve("state.json"), JSON.writeValueAsString(state) + "\n");
    }

    private State loadCheckpoint(Path d, NDManager root, SegmentationNet sn, EvaluationNet en, Adam snOpt, Adam enOpt,
                                 TrainingSteps steps) throws IOException {
        String network = config.sn() + " with width " + config.width();
        for (var extra : steps.extraNetworks().entrySet()) {
            WeightFiles.load(extra.getValue(), root, d.resolve(extra.getKey()), network);
        }
        WeightFiles.load(sn, root, d.resolve("sn.params"), network);
        WeightFiles.load(en, root, d.resolve("en.params"), "EN for " + network);
        // Loaded arrays replace the parameters' arrays without gradient tracking: switch it back on.
        snOpt.freeze(false);
        enOpt.freeze(false);
        try (NDManager tmp = root.newSubManager()) {
            for (Object[] o : new Object[][] {{snOpt, "sn_optimizer.ndlist"}, {enOpt, "en_optimizer.ndlist"}}) {
                Path file = d.resolve((String) o[1]);
                try {
                    ((Adam) o[0]).restore(NDList.decode(tmp, Files.readAllBytes(file)));
                } catch (IOException | RuntimeException e) {
                    throw new org.danseg.io.ImageFormatException(file, "damaged optimizer state (" + e.getMessage() + ")");
                }
            }
        }
        try {
            State state = JSON.readValue(d.resolve("state.json").toFile(), State.class);
            if (state == null || state.nextIteration() < 0 || state.nextIteration() > config.iterations()) {
                throw new IOException("iteration out of range");
            }
            return state;
        } catch (IOException e) {
            throw new org.danseg.io.ImageFormatException(d.resolve("state.json"), "damaged checkpoint state ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }
}
