package org.danseg.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.danseg.train.ModelDirectory;
import org.danseg.train.StepResult;
import org.danseg.train.TrainConfig;
import org.danseg.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a segmentation network with DAN (annotated + unannotated images) or SN alone (the baseline).",
                "Settings come from defaults, then --config FILE.json (same names as config.json), then these flags."})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Where the model, logs and checkpoints go.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE.json", description = "Settings file; flags override it.")
    Path configFile;

    @Option(names = "--resume", description = "Continue the interrupted run in MODEL_DIR from its last checkpoint.")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing non-empty MODEL_DIR.")
    boolean force;

    @Option(names = "--annotated", paramLabel = "DIR", description = "Annotated dataset (DIR/images + DIR/masks).")
    String annotated;

    @Option(names = "--unannotated", paramLabel = "DIR", description = "Unannotated images (DIR/images or a folder of images).")
    String unannotated;

    @Option(names = "--val", paramLabel = "DIR", description = "Validation dataset; keeps the best checkpoint by Dice.")
    String val;

    @Option(names = "--volume", paramLabel = "IMG.nii.gz|DIR", description = {"A partially annotated volume (NIfTI or multi-page TIFF) instead of 2D folders;",
            "repeatable, paired in order with --labels; a folder pairs its files with --labels' folder by name."})
    List<String> volume;

    @Option(names = "--labels", paramLabel = "LAB.nii.gz|DIR", description = "The volume's label map (0 = background); repeatable.")
    List<String> labels;

    @Option(names = "--axis", paramLabel = "x|y|z", description = "Volumes: slicing axis in voxel order i, j, k = x, y, z (default z).")
    String axis;

    @Option(names = "--annotated-slices", paramLabel = "LIST", description = "Volumes: annotated slices, e.g. 90 or 85-89,91-95 "
            + "(default: slices without an --ignore-label voxel; all slices without --ignore-label).")
    String annotatedSlices;

    @Option(names = "--unannotated-slices", paramLabel = "LIST|all", description = "Volumes: unannotated slices (default: all other slices with signal).")
    String unannotatedSlices;

    @Option(names = "--ignore-label", paramLabel = "V", description = "Volumes: label value meaning 'not annotated' (never in a loss).")
    Integer ignoreLabel;

    @Option(names = "--context", paramLabel = "K", description = "Volumes: neighbouring slices on each side given to SN and EN as channels (default 0: measured best, docs/volumes.md).")
    Integer context;

    @Option(names = "--intensity", paramLabel = "mri|ct", description = "Volumes: per-volume normalization (default mri).")
    String intensity;

    @Option(names = "--mode", paramLabel = "MODE", description = {"balanced (default): the paper's steps with the adversarial gradient balanced",
            "  against the supervised one (ties the baseline; docs/results.md); paper: the DAN paper's",
            "  recipe exactly; dan: judged self-training, EN judging segmentations against annotations and",
            "  gating pseudo-labels (experimental: lost to the baseline on validation); mean-teacher: the",
            "  non-adversarial reference; supervised: SN alone (the baseline).",
            "All modes share SN, data order, augmentation and seed."})
    String mode;

    @Option(names = "--mask-type", paramLabel = "TYPE", description = "binary, classes or instance (default: dataset.json's, else binary).")
    String maskType;

    @Option(names = "--iterations", paramLabel = "N", description = "Total iterations, pre-training included (default 800).")
    Integer iterations;

    @Option(names = "--pretrain-iterations", paramLabel = "N", description = "Supervised SN pre-training iterations (default 300).")
    Integer pretrainIterations;

    @Option(names = "--batch-annotated", paramLabel = "A", description = "Annotated patches per batch (default 2).")
    Integer batchAnnotated;

    @Option(names = "--batch-unannotated", paramLabel = "U", description = "Unannotated patches per batch (default 2).")
    Integer batchUnannotated;

    @Option(names = "--patch", paramLabel = "PX", description = "Patch side (default 128; a multiple of 32 for dan-fcn, 16 for unet).")
    Integer patch;

    @Option(names = "--sn", paramLabel = "dan-fcn|unet", description = "Segmentation network (default dan-fcn, the paper's).")
    String sn;

    @Option(names = "--width", paramLabel = "W", description = "Channel width: 64 = the paper's dan-fcn; U-Net base width (default 16).")
    Integer width;

    @Option(names = "--fusion", paramLabel = "stack|product|mask", description = "How EN sees image and segmentation: stack, product, or mask (the segmentation alone) (default stack).")
    String fusion;

    @Option(names = "--lambda-start", paramLabel = "L", description = "Weight of the unannotated images' loss at the start of the ramp (default 0.1).")
    Double lambdaStart;

    @Option(names = "--lambda-max", paramLabel = "L", description = "Weight of the unannotated images' loss after the ramp (default 1.0).")
    Double lambdaMax;

    @Option(names = "--lambda-ramp", paramLabel = "N", description = "Ramp length in iterations after pre-training (default 300).")
    Integer lambdaRamp;

    @Option(names = "--lambda-shape", paramLabel = "sigmoid|linear", description = "Ramp shape (default sigmoid).")
    String lambdaShape;

    @Option(names = "--lr", paramLabel = "LR", description = "SN learning rate, Adam (default 1e-3).")
    Double lr;

    @Option(names = "--adversarial-balance", paramLabel = "none|gradient", description = "gradient: rescale the adversarial gradient to lambda "
            + "times the supervised gradient's norm (at SN's logits); none: loss = supervised + lambda * adversarial (default none, the paper's; --mode balanced always balances).")
    String adversarialBalance;

    @Option(names = "--lr-schedule", paramLabel = "constant|poly", description = "SN learning rate over the run, the same in both modes: "
            + "constant, or poly: lr * (1 - iteration/iterations)^0.9 (default poly).")
    String lrSchedule;

    @Option(names = "--en-lr", paramLabel = "LR", description = "EN learning rate, Adam (default 1e-4).")
    Double enLr;

    @Option(names = "--dice-loss", arity = "0..1", paramLabel = "BOOL", description = "Add soft Dice to the cross-entropy (default false).")
    Boolean diceLoss;

    @Option(names = "--en-label-smoothing", paramLabel = "S", description = "EN targets 1-S and S instead of 1 and 0 (default 0).")
    Double enLabelSmoothing;

    @Option(names = "--evaluator", paramLabel = "image|pixel", description = "EN's form: image (the paper's, one score per image) or pixel "
            + "(fully convolutional, a score per location; default for --mode dan).")
    String evaluator;

    @Option(names = "--confidence", paramLabel = "P", description = "--mode dan: SN's softmax confidence a pseudo-label needs (default 0.9).")
    Double confidence;

    @Option(names = "--en-confidence", paramLabel = "P", description = "--mode dan: EN's score a pseudo-labelled pixel needs (default 0.2).")
    Double enConfidence;

    @Option(names = "--adversarial-weight", paramLabel = "W", description = "--mode dan: weight of the adversarial term beside self-training (default 0.01).")
    Double adversarialWeight;

    @Option(names = "--ema-decay", paramLabel = "A", description = "--mode mean-teacher: the teacher's moving-average decay (default 0.99).")
    Double emaDecay;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 1).")
    Long seed;

    @Option(names = "--threads", paramLabel = "T", description = "PyTorch threads (default 0: all cores).")
    Integer threads;

    @Option(names = "--validate-every", paramLabel = "N", description = "Validation interval in iterations (default 100).")
    Integer validateEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Checkpoint interval in iterations (default 100).")
    Integer checkpointEvery;

    private Map<String, Object> flags() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("annotated", annotated);
        m.put("unannotated", unannotated);
        m.put("val", val);
        m.put("mode", mode);
        m.put("maskType", maskType);
        m.put("iterations", iterations);
        m.put("pretrainIterations", pretrainIterations);
        m.put("batchAnnotated", batchAnnotated);
        m.put("batchUnannotated", batchUnannotated);
        m.put("patch", patch);
        m.put("sn", sn);
        m.put("width", width);
        m.put("fusion", fusion);
        m.put("lambdaStart", lambdaStart);
        m.put("lambdaMax", lambdaMax);
        m.put("lambdaRamp", lambdaRamp);
        m.put("lambdaShape", lambdaShape);
        m.put("lr", lr);
        m.put("lrSchedule", lrSchedule);
        m.put("adversarialBalance", adversarialBalance);
        m.put("enLr", enLr);
        m.put("diceLoss", diceLoss);
        m.put("enLabelSmoothing", enLabelSmoothing);
        m.put("evaluator", evaluator);
        m.put("confidence", confidence);
        m.put("enConfidence", enConfidence);
        m.put("adversarialWeight", adversarialWeight);
        m.put("emaDecay", emaDecay);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("validateEvery", validateEvery);
        m.put("checkpointEvery", checkpointEvery);
        m.put("volume", volume);
        m.put("labels", labels);
        m.put("axis", axis);
        m.put("annotatedSlices", annotatedSlices);
        m.put("unannotatedSlices", unannotatedSlices);
        m.put("ignoreLabel", ignoreLabel);
        m.put("context", context);
        m.put("intensity", intensity);
        return m;
    }

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        if (resume && force) {
            throw new UserInputException("--resume and --force contradict each other: continue the run, or replace it");
        }
        if (configFile != null) {
            org.danseg.io.OutputGuard.refuseOverlap(out, "--out", List.of(configFile));
        }
        TrainConfig config = resume ? resumedConfig() : TrainConfig.resolve(configFile, flags());
        TrainingRun run = TrainingRun.prepare(config, out, resume, force);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        stdout.println((resume ? "resuming " : "training ") + out + " with:");
        stdout.println(config.toJson());
        stdout.flush();
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        TrainingRun.State state;
        try (ProgressBar bar = interactive ? new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("train")
                .setInitialMax(config.iterations()).continuousUpdate().setUpdateIntervalMillis(500).build() : null) {
            state = run.run(new TrainingRun.Listener() {
                @Override
                public void started(TrainConfig c, int first) {
                    if (bar != null) {
                        bar.stepTo(first);
                    }
                }

                @Override
                public void iteration(int it, String phase, double lambda, StepResult r, double valDice, NDManager root) {
                    if (bar != null) {
                        bar.stepTo(it + 1);
                        bar.setExtraMessage(String.format(Locale.ROOT, " %s sup %.3f%s%s", phase, r.supervisedLoss(),
                                Double.isNaN(r.enLoss()) ? "" : String.format(Locale.ROOT, " en %.3f lam %.2f", r.enLoss(), lambda),
                                Double.isNaN(valDice) ? "" : String.format(Locale.ROOT, " val %.3f", valDice)));
                    } else if ((it + 1) % 100 == 0 || !Double.isNaN(valDice)) {
                        stdout.printf(Locale.ROOT, "iteration %d/%d %s supervised %.4f%s%s%n", it + 1, config.iterations(), phase,
                                r.supervisedLoss(), Double.isNaN(r.enLoss()) ? "" : String.format(Locale.ROOT, " en %.4f lambda %.3f", r.enLoss(), lambda),
                                Double.isNaN(valDice) ? "" : String.format(Locale.ROOT, " val Dice %.4f", valDice));
                        stdout.flush();
                    }
                }

                @Override
                public void warning(String message) {
                    stderr.println("warning: " + message);
                    stderr.flush();
                }
            });
        }
        if (run.stoppedBy() != null) {
            stdout.printf(Locale.ROOT, "stopped by %s; the last checkpoint (iteration %d) is kept: continue with danseg train --resume --out %s%n",
                    run.stoppedBy(), state.nextIteration(), out);
            stdout.flush();
            return run.stoppedBy().equals("SIGINT") ? 130 : 143;
        }
        stdout.printf(Locale.ROOT, "done: %d iterations in %.0f s%s; model in %s%n", state.nextIteration(), state.seconds(),
                Double.isNaN(state.bestValDice()) ? "" : String.format(Locale.ROOT, ", best validation Dice %.4f at iteration %d",
                        state.bestValDice(), state.bestIteration() + 1), out.toAbsolutePath().normalize());
        stdout.flush();
        return ExitCodes.OK;
    }

    /**
     * A resumed run keeps its saved settings. Only these may change: --iterations (to extend the
     * run) and the step sizes (to recover from a divergence). A --config on resume is read like
     * flags: every setting it names must equal the saved one or be one of these.
     */
    private TrainConfig resumedConfig() throws Exception {
        ModelDirectory dir = new ModelDirectory(out);
        if (!Files.isRegularFile(dir.config())) {
            throw new UserInputException(out + ": nothing to resume (no config.json)");
        }
        TrainConfig saved = TrainConfig.read(dir.config());
        Map<String, Object> savedMap = TrainConfig.asMap(saved);
        Map<String, Object> given = TrainConfig.asMap(TrainConfig.resolveOver(savedMap, configFile, flags()));
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!CHANGEABLE_ON_RESUME.contains(e.getKey()) && !Objects.equals(String.valueOf(e.getValue()), String.valueOf(savedMap.get(e.getKey())))) {
                throw new UserInputException("--resume continues " + out + " with its saved settings, but " + e.getKey() + " differs ("
                        + savedMap.get(e.getKey()) + " saved, " + e.getValue() + " given); drop the flag or start a new run");
            }
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        CHANGEABLE_ON_RESUME.forEach(k -> changed.put(k, given.get(k)));
        return TrainConfig.resolve(null, mergeOver(savedMap, changed));
    }

    private static final List<String> CHANGEABLE_ON_RESUME = List.of("iterations", "lr", "enLr", "lambdaMax");

    private static Map<String, Object> mergeOver(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        return m;
    }
}
