package org.danseg.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.danseg.io.MaskType;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.SnArchitecture;

/**
 * Every training setting, each defined here once: its key (config files, config.json, the
 * experiment's "train" block), its flag (derived from the key), its type, default and help text,
 * its group in {@link TrainConfig}, and whether a resumed run may change it. The order is
 * config.json's. {@code danseg train}'s options are generated from this list.
 */
public enum Setting {
    ANNOTATED(Group.DATA, String.class, null, "DIR", "Annotated dataset (DIR/images + DIR/masks)."),
    UNANNOTATED(Group.DATA, String.class, null, "DIR", "Unannotated images (DIR/images or a folder of images)."),
    VAL(Group.DATA, String.class, null, "DIR", "Validation dataset; keeps the best checkpoint by Dice."),
    MODE(Group.RECIPE, Mode.class, Mode.DAN, "MODE",
            "balanced: the paper's steps with the adversarial gradient balanced",
            "  against the supervised one (ties the baseline; docs/results.md); paper: the DAN paper's",
            "  recipe exactly; dan: FixMatch-style pseudo-labels (weak view -> CutMix-ed strong view)",
            "  with EN learning beside SN as the quality judge (predict --scores, annotate-next);",
            "  --en-confidence > 0 also lets EN gate the pseudo-labels; fixmatch and mean-teacher: the",
            "  non-adversarial references; supervised: SN alone (the baseline).",
            "All modes share SN, data order, augmentation and seed."),
    ITERATIONS(Group.OPTIMISATION, Integer.class, 1000, "N", Resume.MAY_CHANGE, "Total iterations, pre-training included."),
    PRETRAIN_ITERATIONS(Group.RECIPE, Integer.class, null, "N", "Supervised SN pre-training iterations (default: 50 for dan and fixmatch, 300 for the others)."),
    BATCH_ANNOTATED(Group.DATA, Integer.class, 4, "A", "Annotated patches per batch."),
    BATCH_UNANNOTATED(Group.DATA, Integer.class, 2, "U", "Unannotated patches per batch."),
    PATCH(Group.DATA, Integer.class, 96, "PX", "Patch side: a multiple of 16 for unet, at least 64; of 8 for unet4, at least 32; of 32 for dan-fcn, at least 128."),
    INTENSITY_JITTER(Group.DATA, Double.class, 0.1, "J", "Per-channel intensity jitter of every training patch: gain 1 +- J, offset +- J/2 (0: none,",
            "  as the plain-PyTorch reference; with 1-2 annotated images it is what keeps the baseline from overfitting their",
            "  exact intensities, docs/results.md)."),
    SN(Group.NETWORK, SnArchitecture.class, SnArchitecture.UNET, "unet|unet4|dan-fcn", "Segmentation network: a U-Net (five levels; unet4: four), or dan-fcn, the paper's FCN."),
    WIDTH(Group.NETWORK, Integer.class, 16, "W", "Channel width: 64 = the paper's dan-fcn; U-Net base width."),
    FUSION(Group.NETWORK, Fusion.class, Fusion.STACK, "stack|product|mask",
            "How EN sees image and segmentation: stack, product, or mask (the segmentation alone)."),
    LAMBDA_START(Group.RECIPE, Double.class, null, "L", "Weight of the unannotated images' loss at the start of the ramp (default: 1 for dan and fixmatch, 0.1 for the others)."),
    LAMBDA_MAX(Group.RECIPE, Double.class, 1.0, "L", Resume.MAY_CHANGE, "Weight of the unannotated images' loss after the ramp."),
    LAMBDA_RAMP(Group.RECIPE, Integer.class, null, "N", "Ramp length in iterations after pre-training (default: 0 for dan and fixmatch, 300 for the others)."),
    LAMBDA_SHAPE(Group.RECIPE, LambdaShape.class, LambdaShape.SIGMOID, "sigmoid|linear", "Ramp shape."),
    LR(Group.OPTIMISATION, Double.class, 1e-3, "LR", Resume.MAY_CHANGE, "SN learning rate, Adam."),
    LR_SCHEDULE(Group.OPTIMISATION, LrSchedule.class, LrSchedule.POLY, "constant|poly", "SN learning rate over the run, the same in all modes: "
            + "constant, or poly: lr * (1 - iteration/iterations)^0.9."),
    EN_LR(Group.OPTIMISATION, Double.class, 1e-4, "LR", Resume.MAY_CHANGE, "EN learning rate, Adam."),
    DICE_LOSS(Group.RECIPE, Boolean.class, true, "BOOL", "Add soft Dice to the cross-entropy (the field's default loss)."),
    EN_LABEL_SMOOTHING(Group.RECIPE, Double.class, 0.0, "S", "EN targets 1-S and S instead of 1 and 0."),
    ADVERSARIAL_BALANCE(Group.RECIPE, AdversarialBalance.class, AdversarialBalance.NONE, "none|gradient", "gradient: rescale the adversarial "
            + "gradient to lambda times the supervised gradient's norm (at SN's logits); none: loss = supervised + lambda * adversarial "
            + "(the paper's; --mode balanced always balances)."),
    EVALUATOR(Group.NETWORK, EvaluationNet.Kind.class, null, "image|pixel", "EN's form: image (the paper's, one score per image) or pixel "
            + "(fully convolutional, a score per location). Default: pixel for --mode dan, image for paper and balanced."),
    CONFIDENCE(Group.RECIPE, Double.class, 0.95, "P", "--mode dan and fixmatch: SN's softmax confidence a pseudo-label needs (FixMatch's 0.95)."),
    EN_CONFIDENCE(Group.RECIPE, Double.class, 0.0, "P", "--mode dan: EN's score a pseudo-labelled pixel needs (0: EN judges, never gates;",
            "  the gate at 0.2 with --adversarial-weight 0.01 lost 0.009 / 0.004 Dice on validation, docs/results.md)."),
    ADVERSARIAL_WEIGHT(Group.RECIPE, Double.class, 0.0, "W", "--mode dan: weight of the adversarial term beside self-training (0: none)."),
    UNANNOTATED_PASS(Group.RECIPE, UnannotatedPass.class, UnannotatedPass.JOINT, "separate|separate-statistics|joint",
            "--mode dan and fixmatch: how the strong unannotated views pass SN while lambda > 0: joint (one batch with the",
            "  annotated patches, as FixMatch, UniMatch and the reference train; docs/results.md: +0.04-0.14 Dice on validation),",
            "  separate (their own pass; SN's BatchNorm running averages follow the annotated patches alone), separate-statistics",
            "  (their own pass, moving the running averages)."),
    CUTMIX(Group.RECIPE, CutMixSource.class, CutMixSource.UNANNOTATED, "unannotated|annotated",
            "--mode dan and fixmatch: where a strong view's CutMix box comes from: another unannotated patch (FixMatch,",
            "  UniMatch), or an annotated patch with its annotation, inside the box of one view and around it in the next",
            "  (bidirectional copy-paste, BCP)."),
    FILL_HOLES(Group.RECIPE, Boolean.class, false, "BOOL", "--mode dan and fixmatch: fill the holes of each weak view's pseudo-labels",
            "  (background enclosed by an object becomes that object, trusted)."),
    EMA_DECAY(Group.RECIPE, Double.class, 0.99, "A", "--mode mean-teacher: the teacher's moving-average decay."),
    SEED(Group.RUN, Long.class, 1L, "S", "Random seed."),
    THREADS(Group.RUN, Integer.class, 0, "T", "PyTorch threads (0: all cores)."),
    VALIDATE_EVERY(Group.RUN, Integer.class, 100, "N", "Validation interval in iterations."),
    CHECKPOINT_EVERY(Group.RUN, Integer.class, 100, "N", "Checkpoint interval in iterations."),
    MASK_TYPE(Group.DATA, MaskType.class, null, "TYPE", "binary, classes or instance (default: dataset.json's, else binary)."),
    VOLUME(Group.DATA, List.class, null, "IMG.nii.gz|DIR", "A partially annotated volume (NIfTI or multi-page TIFF) instead of 2D folders;",
            "repeatable, paired in order with --labels; a folder pairs its files with --labels' folder by name."),
    LABELS(Group.DATA, List.class, null, "LAB.nii.gz|DIR", "The volume's label map (0 = background); repeatable."),
    AXIS(Group.DATA, Axis.class, Axis.Z, "x|y|z", "Volumes: slicing axis in voxel order i, j, k = x, y, z."),
    ANNOTATED_SLICES(Group.DATA, String.class, null, "LIST", "Volumes: annotated slices, e.g. 90 or 85-89,91-95 "
            + "(default: slices without an --ignore-label voxel; all slices without --ignore-label)."),
    UNANNOTATED_SLICES(Group.DATA, String.class, null, "LIST|all", "Volumes: unannotated slices (default: all other slices with signal)."),
    IGNORE_LABEL(Group.DATA, Integer.class, null, "V", "Volumes: label value meaning 'not annotated' (never in a loss)."),
    CONTEXT(Group.DATA, Integer.class, 0, "K", "Volumes: neighbouring slices on each side given to SN and EN as channels (0 measured best, docs/volumes.md)."),
    INTENSITY(Group.DATA, Intensity.class, Intensity.MRI, "mri|ct", "Volumes: per-volume normalization."),
    DATASET(Group.DATA, String.class, null, "DatasetNNN_Name", "An nnU-Net v2 raw dataset instead of --annotated or --volume: labelsTr/ are the",
            "annotations, imagesTs/ (or --unannotated) the unannotated images of a 2D dataset; dataset.json's ignore label is never in a loss."),
    PIXEL_SIZE(Group.DATA, Double.class, null, "UM", "Pixel size of the training images in micrometres, recorded in the model so that slides are",
            "predicted at it (default: the annotated images' own, when their files state one and agree).");

    /** The part of {@link TrainConfig} a setting belongs to. */
    public enum Group { DATA, NETWORK, RECIPE, OPTIMISATION, RUN }

    /** Whether {@code train --resume} may change a setting (to extend a run or recover from a divergence). */
    public enum Resume { FIXED, MAY_CHANGE }

    private final Group group;
    private final Class<?> type;
    private final Object defaultValue;
    private final String paramLabel;
    private final Resume resume;
    private final String[] help;

    Setting(Group group, Class<?> type, Object defaultValue, String paramLabel, String... help) {
        this(group, type, defaultValue, paramLabel, Resume.FIXED, help);
    }

    Setting(Group group, Class<?> type, Object defaultValue, String paramLabel, Resume resume, String... help) {
        this.group = group;
        this.type = type;
        this.defaultValue = defaultValue;
        this.paramLabel = paramLabel;
        this.resume = resume;
        this.help = help;
    }

    /** The key in config files: camelCase of the name. */
    public String key() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char ch : name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return b.toString();
    }

    /** The command-line flag: {@code --} and the kebab-case name. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Group group() {
        return group;
    }

    public Class<?> type() {
        return type;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String paramLabel() {
        return paramLabel;
    }

    public boolean mayChangeOnResume() {
        return resume == Resume.MAY_CHANGE;
    }

    /** The help text, the default appended when there is one. */
    public String[] help() {
        String[] lines = help.clone();
        if (defaultValue != null) {
            String last = lines[lines.length - 1];
            String stem = last.endsWith(".") ? last.substring(0, last.length() - 1) : last;
            lines[lines.length - 1] = stem + " (default " + text(defaultValue) + ").";
        }
        return lines;
    }

    public static Setting ofKey(String key) {
        for (Setting s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : values()) {
            keys.add(s.key());
        }
        return keys;
    }

    /** A choice's name on the command line and in files: lower case, '-' for '_' (DAN_FCN is dan-fcn). */
    public static String id(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How a value is written in config.json and shown in help. */
    public static String text(Object value) {
        return value instanceof Enum<?> e ? id(e) : String.valueOf(value);
    }

    /** The choices of an enum setting, as users write them. */
    public List<String> choices() {
        List<String> ids = new ArrayList<>();
        for (Object c : type.getEnumConstants()) {
            ids.add(id((Enum<?>) c));
        }
        return ids;
    }

    /**
     * A value from a config file or a program (JSON types: numbers, strings, booleans, lists),
     * checked and converted to this setting's type; {@code where} names the source in the message.
     */
    public Object fromJson(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (type == Integer.class || type == Long.class) {
            boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
                    || value instanceof BigInteger bi && bi.bitLength() < 64;
            if (!integral || type == Integer.class && (((Number) value).longValue() != ((Number) value).intValue())) {
                throw new org.danseg.io.BadInputException(where + " must be a whole number, not " + value);
            }
            return type == Integer.class ? (Object) ((Number) value).intValue() : (Object) ((Number) value).longValue();
        }
        if (type == Double.class) {
            if (!(value instanceof Number n)) {
                throw new org.danseg.io.BadInputException(where + " must be a number, not \"" + value + "\"");
            }
            return n.doubleValue();
        }
        if (type == Boolean.class) {
            if (!(value instanceof Boolean)) {
                throw new org.danseg.io.BadInputException(where + " must be true or false, not " + value);
            }
            return value;
        }
        if (type == String.class) {
            if (!(value instanceof String)) {
                throw new org.danseg.io.BadInputException(where + " must be a string, not " + value);
            }
            return value;
        }
        if (type == List.class) {
            List<String> paths = new ArrayList<>();
            for (Object p : value instanceof Collection<?> c ? c : List.of(value)) {
                if (!(p instanceof String s)) {
                    throw new org.danseg.io.BadInputException(where + " must be a path or a list of paths, not " + value);
                }
                paths.add(s);
            }
            return paths.isEmpty() ? null : List.copyOf(paths);
        }
        if (type.isEnum() && type.isInstance(value)) {
            return value;
        }
        if (!(value instanceof String s)) {
            throw new org.danseg.io.BadInputException(where + " must be one of " + String.join(", ", choices()) + ", not " + value);
        }
        return parseChoice(s, where);
    }

    private Object parseChoice(String text, String where) {
        for (Object c : type.getEnumConstants()) {
            if (id((Enum<?>) c).equals(text.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new org.danseg.io.BadInputException(where + " must be one of " + String.join(", ", choices()) + ", not " + text);
    }

    /** The value as config.json stores it: choices by id, everything else as is. */
    public Object toJson(Object value) {
        return value instanceof Enum<?> e ? id(e) : value;
    }
}
