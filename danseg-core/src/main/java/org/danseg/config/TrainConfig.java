package org.danseg.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.danseg.io.MaskType;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.SnArchitecture;

/**
 * Every setting of a training run, typed and grouped, validated on construction. Values are
 * resolved as {@link Setting} defaults, then a JSON config file, then the command line
 * ({@link #resolve}); the result is printed at start and saved as MODEL_DIR/config.json (flat,
 * keys of {@link Setting}), so a run can be repeated and explained.
 */
public record TrainConfig(Data data, Network network, Recipe recipe, Optimisation optimisation, Run run) {

    /** What is trained on and how it is sampled. Paths are absolute. */
    public record Data(String annotated, String unannotated, String val, MaskType maskType,
                       List<String> volume, List<String> labels, Axis axis, String annotatedSlices, String unannotatedSlices,
                       Integer ignoreLabel, int context, Intensity intensity, int patch, double intensityJitter, int batchAnnotated, int batchUnannotated,
                       String dataset, Double pixelSize) {

        /** Whether the run trains on volumes (else on 2D image folders). */
        public boolean volumes() {
            return volume != null;
        }
    }

    /** The networks: SN's architecture and width, and how EN sees (image, segmentation). */
    public record Network(SnArchitecture sn, int width, Fusion fusion, EvaluationNet.Kind evaluator) {
    }

    /** The training recipe and its parameters. */
    public record Recipe(Mode mode, int pretrainIterations, double lambdaStart, double lambdaMax, int lambdaRamp, LambdaShape lambdaShape,
                         AdversarialBalance adversarialBalance, boolean diceLoss, double enLabelSmoothing,
                         double confidence, double enConfidence, double adversarialWeight, UnannotatedPass unannotatedPass, CutMixSource cutMix, boolean fillHoles, double emaDecay) {

        /** Whether the paper's steps rescale the adversarial gradient (always in balanced mode). */
        public boolean balancedGradient() {
            return mode == Mode.BALANCED || adversarialBalance == AdversarialBalance.GRADIENT;
        }
    }

    /** Iterations and step sizes. */
    public record Optimisation(int iterations, double lr, LrSchedule lrSchedule, double enLr) {
    }

    /** Reproducibility and bookkeeping. */
    public record Run(long seed, int threads, int validateEvery, int checkpointEvery) {
    }

    /**
     * What a new training run needs beyond a readable configuration; not asked of saved models,
     * which load whatever they were trained with.
     */
    public void checkTrainable() {
        int minimum = network.sn().minimumPatch();
        require(data.patch() >= minimum, "--patch must be at least " + minimum + " for --sn " + Setting.id(network.sn()) + " (its "
                + network.sn().sizeMultiple() + "x downsampling needs a 4 x 4 bottleneck to predict on larger tiles as it trained), not " + data.patch());
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    public TrainConfig {
        Objects.requireNonNull(data);
        Objects.requireNonNull(network);
        Objects.requireNonNull(recipe);
        Objects.requireNonNull(optimisation);
        Objects.requireNonNull(run);
        Mode mode = recipe.mode();
        require(data.annotated() != null || data.volume() != null || data.dataset() != null,
                "--annotated DIR (2D images), --volume IMG.nii.gz with --labels, or --dataset DatasetNNN_Name (nnU-Net v2) is required");
        require((data.annotated() != null ? 1 : 0) + (data.volume() != null ? 1 : 0) + (data.dataset() != null ? 1 : 0) == 1,
                "give one of --annotated DIR, --volume IMG or --dataset DIR");
        require(data.dataset() == null || data.val() == null, "--dataset brings its own data; --val is not read with it yet");
        require(data.volume() == null || (data.labels() != null && data.labels().size() == data.volume().size()),
                "every --volume needs its --labels (give them in pairs, or a folder of each)");
        require(data.volume() == null || (data.val() == null && data.unannotated() == null),
                "with --volume, unannotated data are slices of the volume (--unannotated-slices) and there is no --val yet; drop --unannotated/--val");
        require(mode == Mode.SUPERVISED || data.unannotated() != null || data.volume() != null || data.dataset() != null,
                "--mode " + Setting.id(mode) + " needs --unannotated DIR");
        require(recipe.confidence() >= 0 && recipe.confidence() <= 1, "--confidence must be in [0, 1]");
        require(recipe.enConfidence() >= 0 && recipe.enConfidence() <= 1, "--en-confidence must be in [0, 1]");
        require(recipe.adversarialWeight() >= 0 && Double.isFinite(recipe.adversarialWeight()), "--adversarial-weight must be a finite number >= 0");
        require(recipe.emaDecay() >= 0 && recipe.emaDecay() < 1, "--ema-decay must be in [0, 1)");
        require(data.context() >= 0 && data.context() <= 8, "--context must be in 0..8");
        require(optimisation.iterations() > 0, "--iterations must be positive");
        require(recipe.pretrainIterations() >= 0 && recipe.pretrainIterations() <= optimisation.iterations(),
                "--pretrain-iterations must be in 0..--iterations");
        require(data.batchAnnotated() > 0, "--batch-annotated must be positive");
        require(data.batchUnannotated() > 0 || mode == Mode.SUPERVISED, "--batch-unannotated must be positive for --mode " + Setting.id(mode));
        int multiple = network.sn().sizeMultiple();
        require(data.patch() >= multiple && data.patch() % multiple == 0,
                "--patch must be a positive multiple of " + multiple + " for --sn " + Setting.id(network.sn()) + ", not " + data.patch());
        require(data.intensityJitter() >= 0 && data.intensityJitter() <= 1, "--intensity-jitter must be in [0, 1], not " + data.intensityJitter());
        require(network.width() >= 1 && network.width() <= 256, "--width must be in 1..256");
        require(recipe.lambdaStart() >= 0 && Double.isFinite(recipe.lambdaStart()), "--lambda-start must be a finite number >= 0, not " + recipe.lambdaStart());
        require(recipe.lambdaMax() >= 0 && Double.isFinite(recipe.lambdaMax()), "--lambda-max must be a finite number >= 0, not " + recipe.lambdaMax());
        require(recipe.lambdaRamp() >= 0, "--lambda-ramp must be non-negative");
        require(optimisation.lr() > 0 && Double.isFinite(optimisation.lr()), "--lr must be a finite number > 0, not " + optimisation.lr());
        require(optimisation.enLr() > 0 && Double.isFinite(optimisation.enLr()), "--en-lr must be a finite number > 0, not " + optimisation.enLr());
        require(recipe.enLabelSmoothing() >= 0 && recipe.enLabelSmoothing() < 0.5, "--en-label-smoothing must be in [0, 0.5)");
        require(run.threads() >= 0, "--threads must be >= 0 (0 = all cores)");
        require(run.validateEvery() > 0, "--validate-every must be positive");
        require(run.checkpointEvery() > 0, "--checkpoint-every must be positive");
        require(data.ignoreLabel() == null || data.ignoreLabel() >= 0, "--ignore-label must be a label value >= 0");
        require(data.pixelSize() == null || (data.pixelSize() > 0 && data.pixelSize() < 1e6),
                "--pixel-size must be a positive number of micrometres, not " + data.pixelSize());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new org.danseg.io.BadInputException(message);
        }
    }

    /** Every setting at its default (data paths have none). */
    public static Map<Setting, Object> defaults() {
        Map<Setting, Object> d = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            d.put(s, s.defaultValue());
        }
        return d;
    }

    /** Defaults, then the file's keys, then {@code flags}' non-null values; paths made absolute. */
    public static TrainConfig resolve(Path configFile, Map<Setting, Object> flags) throws IOException {
        return resolveOver(defaults(), configFile, flags);
    }

    /** {@code base} (defaults, or a resumed run's saved settings), then the file's keys, then {@code flags}' non-null values. */
    public static TrainConfig resolveOver(Map<Setting, Object> base, Path configFile, Map<Setting, Object> flags) throws IOException {
        Map<Setting, Object> merged = new EnumMap<>(Setting.class);
        merged.putAll(base);
        if (configFile != null) {
            merged.putAll(readFile(configFile));
        }
        flags.forEach((s, v) -> {
            if (v != null) {
                merged.put(s, s.fromJson(v, s.flag()));
            }
        });
        return of(merged);
    }

    /** A JSON config file's settings, each checked (known key, right type) and named by file and key when wrong. */
    public static Map<Setting, Object> readFile(Path configFile) throws IOException {
        Map<String, Object> file;
        try {
            file = JSON.readValue(configFile.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new org.danseg.io.BadInputException(configFile + ": not a valid JSON config (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (file == null) {
            throw new org.danseg.io.BadInputException(configFile + ": not a valid JSON config (empty)");
        }
        return fromKeys(file, configFile + ": setting");
    }

    /**
     * Settings given by key (a config file, the experiment's "train" block, a program), checked and
     * converted; {@code where} prefixes messages, e.g. "c.json: setting".
     */
    public static Map<Setting, Object> fromKeys(Map<String, ?> values, String where) {
        Map<Setting, Object> out = new EnumMap<>(Setting.class);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Setting s = Setting.ofKey(e.getKey());
            if (s == null) {
                throw new org.danseg.io.BadInputException(where.replaceAll(": setting$", "") + ": unknown setting '" + e.getKey()
                        + "' (known: " + String.join(", ", Setting.keys()) + ")");
            }
            Object value = s.fromJson(e.getValue(), where + " '" + e.getKey() + "'");
            if (value == null && s.defaultValue() != null) {
                throw new org.danseg.io.BadInputException(where + " '" + e.getKey() + "' needs a value, not null");
            }
            out.put(s, value);
        }
        return out;
    }

    /** The configuration of fully resolved values: paths made absolute, the evaluator defaulted from the mode. */
    public static TrainConfig of(Map<Setting, Object> values) {
        Map<Setting, Object> v = new EnumMap<>(Setting.class);
        v.putAll(defaults());
        v.putAll(values);
        for (Setting s : List.of(Setting.ANNOTATED, Setting.UNANNOTATED, Setting.VAL, Setting.DATASET)) {
            if (v.get(s) != null) {
                v.put(s, absolute(v.get(s)));
            }
        }
        for (Setting s : List.of(Setting.VOLUME, Setting.LABELS)) {
            if (v.get(s) != null) {
                List<String> paths = new ArrayList<>();
                ((List<?>) v.get(s)).forEach(p -> paths.add(absolute(p)));
                v.put(s, paths.isEmpty() ? null : List.copyOf(paths));
            }
        }
        Mode mode = (Mode) v.get(Setting.MODE);
        Mode.Schedule schedule = mode.defaultSchedule();
        // A default, not a choice: a run shorter than it pre-trains throughout rather than fail.
        v.putIfAbsent(Setting.PRETRAIN_ITERATIONS, v.get(Setting.ITERATIONS) instanceof Integer its
                ? Math.min(schedule.pretrainIterations(), its) : schedule.pretrainIterations());
        v.putIfAbsent(Setting.LAMBDA_START, schedule.lambdaStart());
        v.putIfAbsent(Setting.LAMBDA_RAMP, schedule.lambdaRamp());
        // Pre-training means nothing to SN alone: a short supervised run must not fail on its default.
        if (mode == Mode.SUPERVISED && v.get(Setting.PRETRAIN_ITERATIONS) instanceof Integer pre && v.get(Setting.ITERATIONS) instanceof Integer its) {
            v.put(Setting.PRETRAIN_ITERATIONS, Math.min(pre, its));
        }
        if (v.get(Setting.EVALUATOR) == null) {
            v.put(Setting.EVALUATOR, mode.defaultEvaluator());
        }
        for (Setting s : Setting.values()) {
            if (v.get(s) == null && s.defaultValue() != null) {
                throw new org.danseg.io.BadInputException(s.flag() + " needs a value");
            }
        }
        return new TrainConfig(
                new Data(str(v, Setting.ANNOTATED), str(v, Setting.UNANNOTATED), str(v, Setting.VAL), (MaskType) v.get(Setting.MASK_TYPE),
                        paths(v, Setting.VOLUME), paths(v, Setting.LABELS), (Axis) v.get(Setting.AXIS),
                        str(v, Setting.ANNOTATED_SLICES), str(v, Setting.UNANNOTATED_SLICES), (Integer) v.get(Setting.IGNORE_LABEL),
                        num(v, Setting.CONTEXT), (Intensity) v.get(Setting.INTENSITY), num(v, Setting.PATCH), real(v, Setting.INTENSITY_JITTER),
                        num(v, Setting.BATCH_ANNOTATED), num(v, Setting.BATCH_UNANNOTATED), str(v, Setting.DATASET),
                        (Double) v.get(Setting.PIXEL_SIZE)),
                new Network((SnArchitecture) v.get(Setting.SN), num(v, Setting.WIDTH), (Fusion) v.get(Setting.FUSION),
                        (EvaluationNet.Kind) v.get(Setting.EVALUATOR)),
                new Recipe(mode, num(v, Setting.PRETRAIN_ITERATIONS), real(v, Setting.LAMBDA_START), real(v, Setting.LAMBDA_MAX),
                        num(v, Setting.LAMBDA_RAMP), (LambdaShape) v.get(Setting.LAMBDA_SHAPE), (AdversarialBalance) v.get(Setting.ADVERSARIAL_BALANCE),
                        (Boolean) v.get(Setting.DICE_LOSS), real(v, Setting.EN_LABEL_SMOOTHING), real(v, Setting.CONFIDENCE),
                        real(v, Setting.EN_CONFIDENCE), real(v, Setting.ADVERSARIAL_WEIGHT),
                        (UnannotatedPass) v.get(Setting.UNANNOTATED_PASS), (CutMixSource) v.get(Setting.CUTMIX), (Boolean) v.get(Setting.FILL_HOLES), real(v, Setting.EMA_DECAY)),
                new Optimisation(num(v, Setting.ITERATIONS), real(v, Setting.LR), (LrSchedule) v.get(Setting.LR_SCHEDULE), real(v, Setting.EN_LR)),
                new Run((Long) v.get(Setting.SEED), num(v, Setting.THREADS), num(v, Setting.VALIDATE_EVERY), num(v, Setting.CHECKPOINT_EVERY)));
    }

    private static String str(Map<Setting, Object> v, Setting s) {
        return (String) v.get(s);
    }

    private static int num(Map<Setting, Object> v, Setting s) {
        return (Integer) v.get(s);
    }

    private static double real(Map<Setting, Object> v, Setting s) {
        return (Double) v.get(s);
    }

    @SuppressWarnings("unchecked")
    private static List<String> paths(Map<Setting, Object> v, Setting s) {
        return (List<String>) v.get(s);
    }

    private static String absolute(Object path) {
        return Path.of(path.toString()).toAbsolutePath().normalize().toString();
    }

    /** Every setting's value, typed, in {@link Setting}'s order. */
    public Map<Setting, Object> values() {
        Map<Setting, Object> v = new EnumMap<>(Setting.class);
        v.put(Setting.ANNOTATED, data.annotated());
        v.put(Setting.UNANNOTATED, data.unannotated());
        v.put(Setting.VAL, data.val());
        v.put(Setting.MODE, recipe.mode());
        v.put(Setting.ITERATIONS, optimisation.iterations());
        v.put(Setting.PRETRAIN_ITERATIONS, recipe.pretrainIterations());
        v.put(Setting.BATCH_ANNOTATED, data.batchAnnotated());
        v.put(Setting.BATCH_UNANNOTATED, data.batchUnannotated());
        v.put(Setting.PATCH, data.patch());
        v.put(Setting.INTENSITY_JITTER, data.intensityJitter());
        v.put(Setting.SN, network.sn());
        v.put(Setting.WIDTH, network.width());
        v.put(Setting.FUSION, network.fusion());
        v.put(Setting.LAMBDA_START, recipe.lambdaStart());
        v.put(Setting.LAMBDA_MAX, recipe.lambdaMax());
        v.put(Setting.LAMBDA_RAMP, recipe.lambdaRamp());
        v.put(Setting.LAMBDA_SHAPE, recipe.lambdaShape());
        v.put(Setting.LR, optimisation.lr());
        v.put(Setting.LR_SCHEDULE, optimisation.lrSchedule());
        v.put(Setting.EN_LR, optimisation.enLr());
        v.put(Setting.DICE_LOSS, recipe.diceLoss());
        v.put(Setting.EN_LABEL_SMOOTHING, recipe.enLabelSmoothing());
        v.put(Setting.ADVERSARIAL_BALANCE, recipe.adversarialBalance());
        v.put(Setting.EVALUATOR, network.evaluator());
        v.put(Setting.CONFIDENCE, recipe.confidence());
        v.put(Setting.EN_CONFIDENCE, recipe.enConfidence());
        v.put(Setting.ADVERSARIAL_WEIGHT, recipe.adversarialWeight());
        v.put(Setting.UNANNOTATED_PASS, recipe.unannotatedPass());
        v.put(Setting.CUTMIX, recipe.cutMix());
        v.put(Setting.FILL_HOLES, recipe.fillHoles());
        v.put(Setting.EMA_DECAY, recipe.emaDecay());
        v.put(Setting.SEED, run.seed());
        v.put(Setting.THREADS, run.threads());
        v.put(Setting.VALIDATE_EVERY, run.validateEvery());
        v.put(Setting.CHECKPOINT_EVERY, run.checkpointEvery());
        v.put(Setting.MASK_TYPE, data.maskType());
        v.put(Setting.VOLUME, data.volume());
        v.put(Setting.LABELS, data.labels());
        v.put(Setting.AXIS, data.axis());
        v.put(Setting.ANNOTATED_SLICES, data.annotatedSlices());
        v.put(Setting.UNANNOTATED_SLICES, data.unannotatedSlices());
        v.put(Setting.IGNORE_LABEL, data.ignoreLabel());
        v.put(Setting.CONTEXT, data.context());
        v.put(Setting.INTENSITY, data.intensity());
        v.put(Setting.DATASET, data.dataset());
        v.put(Setting.PIXEL_SIZE, data.pixelSize());
        return Collections.unmodifiableMap(v);
    }

    /** The flat JSON form (config.json, config files): every key of {@link Setting}, choices by name. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        values().forEach((s, v) -> m.put(s.key(), s.toJson(v)));
        return m;
    }

    public String toJson() throws IOException {
        return JSON.writeValueAsString(toJsonMap());
    }

    /**
     * The settings of a resumed run: its saved settings, with {@code configFile} and {@code flags}
     * read over them. Only settings that {@link Setting#mayChangeOnResume() may change} can differ
     * (to extend the run or recover from a divergence); anything else differing is refused, naming it.
     */
    public static TrainConfig resumed(TrainConfig saved, Path configFile, Map<Setting, Object> flags, String run) throws IOException {
        Map<Setting, Object> savedValues = saved.values();
        Map<Setting, Object> given = resolveOver(savedValues, configFile, flags).values();
        for (Setting s : Setting.values()) {
            if (!s.mayChangeOnResume() && !Objects.equals(given.get(s), savedValues.get(s))) {
                throw new org.danseg.io.BadInputException("--resume continues " + run + " with its saved settings, but " + s.key() + " differs ("
                        + Setting.text(savedValues.get(s)) + " saved, " + Setting.text(given.get(s)) + " given); drop the flag or start a new run");
            }
        }
        return of(given);
    }

    /** The same settings with the data given as volumes (an nnU-Net 3D dataset, expanded into its files). */
    public TrainConfig withVolumes(List<String> volumes, List<String> labels, Integer ignoreLabel) {
        Map<Setting, Object> v = new EnumMap<>(Setting.class);
        v.putAll(values());
        v.put(Setting.DATASET, null);
        v.put(Setting.VOLUME, volumes);
        v.put(Setting.LABELS, labels);
        v.put(Setting.IGNORE_LABEL, ignoreLabel);
        return of(v);
    }

    /** Every file or folder the run reads (an output must not touch any of them). */
    public List<Path> inputPaths() {
        List<Path> paths = new ArrayList<>();
        for (String p : new String[] {data.annotated(), data.unannotated(), data.val(), data.dataset()}) {
            if (p != null) {
                paths.add(Path.of(p));
            }
        }
        for (List<String> list : java.util.Arrays.asList(data.volume(), data.labels())) {
            if (list != null) {
                list.forEach(p -> paths.add(Path.of(p)));
            }
        }
        return paths;
    }
}
