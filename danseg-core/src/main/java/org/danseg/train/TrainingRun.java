package org.danseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.config.TrainConfig;
import org.danseg.data.Augmentation;
import org.danseg.data.DatasetException;
import org.danseg.data.NormalizationStats;
import org.danseg.data.PatchSampler;
import org.danseg.data.TrainingData;
import org.danseg.data.TrainingDataLoader;
import org.danseg.infer.SlidingWindow;
import org.danseg.infer.TiledPredictor;
import org.danseg.io.OutputGuard;
import org.danseg.model.CheckpointState;
import org.danseg.model.ModelFolder;
import org.danseg.model.ModelInfo;
import org.danseg.model.Provenance;
import org.danseg.nn.NetworkPair;
import org.danseg.nn.Networks;
import org.danseg.nn.SegmentationNet;
import org.danseg.runtime.ComputeDevice;
import org.danseg.runtime.EngineSettings;

/**
 * One training run, start to end or resumed: {@link #prepare} checks the output folder and reads
 * every data file before any work; {@link #run} builds SN, EN, their optimizers and the recipe's
 * steps, writes the model folder's description, and hands them to the {@link Trainer}. All modes
 * share the data order, augmentation, iterations, initialization and normalization for a seed,
 * so the pre-training phase is bit-identical and the baseline differs from DAN only in what DAN adds.
 */
public final class TrainingRun {

    /** What the run reports while it works. */
    public interface Listener {
        default void started(TrainConfig config, int firstIteration) {
        }

        default void iteration(int iteration, String phase, double lambda, StepResult result, double valDice, NDManager root) {
        }

        default void warning(String message) {
        }
    }

    private final TrainConfig config;
    private final ModelFolder dir;
    private final boolean resume;
    private final TrainingData data;
    private String stoppedBy;

    private TrainingRun(TrainConfig config, ModelFolder dir, boolean resume, TrainingData data) {
        this.config = config;
        this.dir = dir;
        this.resume = resume;
        this.data = data;
    }

    /**
     * Checks everything before any work: the model directory (never overwritten without
     * {@code force}; {@code resume} needs a checkpoint) and every data file.
     */
    public static TrainingRun prepare(TrainConfig given, Path modelDir, boolean resume, boolean force) throws IOException, DatasetException {
        TrainConfig config = TrainingDataLoader.expand(given);
        if (!resume) {
            config.checkTrainable();
        }
        ModelFolder dir = new ModelFolder(modelDir.toAbsolutePath().normalize());
        OutputGuard.FolderState state = OutputGuard.checkFolder(dir.root(), "--out", OutputGuard.FolderKind.MODEL, ModelFolder::isUnmarkedModelFolder,
                force, config.inputPaths());
        if (resume && !dir.hasCheckpoint(ModelFolder.LAST)) {
            throw new org.danseg.io.BadInputException(modelDir + ": nothing to resume (no checkpoint in " + dir.checkpoint(ModelFolder.LAST).dir() + ")"
                    + (state == OutputGuard.FolderState.OURS ? "; start it again with the same command without --resume" : ""));
        }
        // A run killed before its first checkpoint left nothing worth keeping: it is replaced without --force.
        if (!resume && !force && state == OutputGuard.FolderState.OURS && dir.hasCheckpoint(ModelFolder.LAST)) {
            throw new org.danseg.io.BadInputException(modelDir + ": already holds a trained model (use --resume to continue its run or --force to replace it)");
        }
        TrainingData data = TrainingDataLoader.load(config.data(), config.recipe().mode().semiSupervised());
        if (!resume && state == OutputGuard.FolderState.OURS) {
            OutputGuard.clear(dir.root(), OutputGuard.FolderKind.MODEL, ModelFolder::isUnmarkedModelFolder);
        }
        return new TrainingRun(config, dir, resume, data);
    }

    public TrainConfig config() {
        return config;
    }

    /** The signal that stopped the last {@link #run} early ("SIGTERM", "SIGINT"), or null when it ran to its end. */
    public String stoppedBy() {
        return stoppedBy;
    }

    public CheckpointState run(Listener listener) throws IOException, InterruptedException {
        // Before anything is written: a CPU whose kernels compute wrong numbers refuses here, in one line.
        org.danseg.runtime.NumericsGuard.recheck();
        OutputGuard.mark(dir.root(), OutputGuard.FolderKind.MODEL);
        // PyTorch's grad mode is per thread and on by default on threads other than the one that
        // loaded the engine: switch it off so only the gradient collectors record graphs.
        Engine engine = Engine.getEngine("PyTorch"); // loads the native library JniUtils calls into
        EngineSettings.forTraining(config.run().threads());
        engine.setRandomSeed((int) config.run().seed());
        NormalizationStats norm = data.normalization();
        TrainConfig.Network network = config.network();
        NetworkPair.Spec spec = new NetworkPair.Spec(network.sn(), network.width(), network.fusion(), network.evaluator(), data.channels(), data.classes());

        try (NDManager root = NDManager.newBaseManager(ComputeDevice.current())) {
            NetworkPair nets = NetworkPair.forTraining(spec, root, config.data().patch());
            Adam snOpt = new Adam(nets.sn().getParameters().values(), root, config.optimisation().lr());
            Adam enOpt = new Adam(nets.en().getParameters().values(), root, config.optimisation().enLr());
            TrainConfig.Recipe recipe = config.recipe();
            SnSupervision snSide = new SnSupervision(nets.sn(), snOpt, root, norm.mean(), norm.std(), recipe.diceLoss());
            EnTraining enSide = new EnTraining(nets.en(), enOpt, network.fusion(), recipe.enLabelSmoothing(), snSide.store);
            TrainingSteps steps = recipe(snSide, enSide, spec, root);
            Checkpointer checkpointer = new Checkpointer(dir, nets, snOpt, enOpt, steps.extraNetworks(),
                    org.danseg.config.Setting.id(network.sn()) + " with width " + network.width());

            CheckpointState state = CheckpointState.start();
            if (resume) {
                state = checkpointer.loadLast(root, config.optimisation().iterations());
            } else {
                dir.writeStart(config, new ModelInfo(data.channels(), data.classes(), data.maskType(), pixelSize()), norm,
                        Provenance.start(config.run().seed(), dataFiles()));
            }
            listener.started(config, state.nextIteration());

            PatchSampler sampler = new PatchSampler(data.annotated(), data.unannotated(), config.data().patch(), config.run().seed(),
                    Augmentation.withIntensityJitter(config.data().intensityJitter()));
            Validator validator = data.validation() == null ? null
                    : new Validator(data.validation(), new TiledPredictor(nets.sn(), norm.mean(), norm.std(),
                            new SlidingWindow(SlidingWindow.defaultTile(config.data().patch(), nets.sn().sizeMultiple()), 0.25,
                                    SlidingWindow.defaultBatch(root.getDevice())), false), data.classes());
            Trainer trainer = new Trainer(config, dir, steps, snOpt, enOpt, checkpointer, sampler, validator);
            try {
                return trainer.run(state, resume, root, listener);
            } finally {
                stoppedBy = trainer.stoppedBy();
            }
        }
    }

    /**
     * The pixel size the model records: {@code --pixel-size} (micrometres), else the annotated images'
     * own when their files state one and agree; null when neither says.
     */
    private org.danseg.io.PixelSpacing pixelSize() {
        Double um = config.data().pixelSize();
        if (um != null) {
            return org.danseg.io.PixelSpacing.millimetres(um / 1000, um / 1000);
        }
        org.danseg.io.PixelSpacing own = data.annotated().spacing();
        return "mm".equals(own.unit()) ? own : null;
    }

    private List<Provenance.DataFile> dataFiles() throws IOException {
        List<Provenance.DataFile> files = new ArrayList<>();
        for (TrainingData.DataFile f : data.files()) {
            files.add(Provenance.file(f.role(), f.path()));
        }
        return files;
    }

    /** The recipe of the configured mode, one class each over the shared SN (and EN) parts. */
    private TrainingSteps recipe(SnSupervision snSide, EnTraining enSide, NetworkPair.Spec spec, NDManager root) {
        TrainConfig.Recipe r = config.recipe();
        return switch (r.mode()) {
            case DAN -> new JudgedSelfTrainingSteps(snSide, enSide, r.confidence(), r.enConfidence(), r.adversarialWeight(),
                    r.unannotatedPass(), r.cutMix(), r.fillHoles());
            case FIXMATCH -> new FixMatchSteps(snSide, r.confidence(), r.unannotatedPass(), r.cutMix(), r.fillHoles());
            case MEAN_TEACHER -> {
                SegmentationNet teacher = Networks.segmentation(spec.architecture(), spec.channels(), spec.classes(), spec.width());
                teacher.initialize(root, config.data().patch());
                yield new MeanTeacherSteps(snSide, teacher, r.emaDecay());
            }
            case PAPER, BALANCED -> new DanSteps(snSide, enSide, r.balancedGradient());
            case SUPERVISED -> new DanSteps(snSide, enSide, false); // never calls the semi-supervised step
        };
    }
}
