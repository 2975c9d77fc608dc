package org.danseg.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of a training run, validated on construction. {@link #resolve} layers
 * command-line flags over a JSON config file over {@link #defaults()}; the result is printed at
 * start and saved as MODEL_DIR/config.json, so a run can be repeated and explained.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainConfig(
        String annotated, String unannotated, String val,
        String mode,
        int iterations, int pretrainIterations,
        int batchAnnotated, int batchUnannotated, int patch,
        String sn, int width, String fusion,
        double lambdaStart, double lambdaMax, int lambdaRamp, String lambdaShape,
        double lr, String lrSchedule, double enLr, boolean diceLoss, double enLabelSmoothing, String adversarialBalance,
        String evaluator, double confidence, double enConfidence, double adversarialWeight, double emaDecay,
        long seed, int threads, int validateEvery, int checkpointEvery,
        String maskType,
        java.util.List<String> volume, java.util.List<String> labels, String axis, String annotatedSlices, String unannotatedSlices, Integer ignoreLabel,
        int context, String intensity) {

    /**
     * supervised: SN alone (the baseline). balanced (default): the paper's steps with the adversarial
     * gradient balanced against the supervised one (DanSteps; it ties the baseline). paper: the paper's
     * recipe exactly (DanSteps, plain sum unless --adversarial-balance gradient). dan: judged
     * self-training (JudgedSelfTrainingSteps). mean-teacher: the non-adversarial reference.
     */
    public static final java.util.List<String> MODES = java.util.List.of("supervised", "balanced", "paper", "dan", "mean-teacher");

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    public TrainConfig {
        require(annotated != null || volume != null, "--annotated DIR (2D images) or --volume IMG.nii.gz with --labels is required");
        require(annotated == null || volume == null, "give --annotated DIR or --volume IMG, not both");
        require(volume == null || (labels != null && labels.size() == volume.size()),
                "every --volume needs its --labels (give them in pairs, or a folder of each)");
        require(volume == null || (val == null && unannotated == null),
                "with --volume, unannotated data are slices of the volume (--unannotated-slices) and there is no --val yet; drop --unannotated/--val");
        require(MODES.contains(mode), "--mode must be one of " + String.join(", ", MODES) + ", not " + mode);
        require(mode.equals("supervised") || unannotated != null || volume != null, "--mode " + mode + " needs --unannotated DIR");
        require(evaluator == null || evaluator.equals("image") || evaluator.equals("pixel"), "--evaluator must be image or pixel, not " + evaluator);
        require(confidence >= 0 && confidence <= 1, "--confidence must be in [0, 1]");
        require(enConfidence >= 0 && enConfidence <= 1, "--en-confidence must be in [0, 1]");
        require(adversarialWeight >= 0 && Double.isFinite(adversarialWeight), "--adversarial-weight must be a finite number >= 0");
        require(emaDecay >= 0 && emaDecay < 1, "--ema-decay must be in [0, 1)");
        require(axis.equals("x") || axis.equals("y") || axis.equals("z"), "--axis must be x, y or z, not " + axis);
        require(context >= 0 && context <= 8, "--context must be in 0..8");
        require(intensity.equals("mri") || intensity.equals("ct"), "--intensity must be mri or ct, not " + intensity);
        require(iterations > 0, "--iterations must be positive");
        require(pretrainIterations >= 0 && pretrainIterations <= iterations, "--pretrain-iterations must be in 0..--iterations");
        require(batchAnnotated > 0, "--batch-annotated must be positive");
        require(batchUnannotated > 0 || mode.equals("supervised"), "--batch-unannotated must be positive for --mode dan");
        require(sn.equals("dan-fcn") || sn.equals("unet"), "--sn must be dan-fcn or unet, not " + sn);
        int multiple = sn.equals("dan-fcn") ? 32 : 16;
        require(patch >= multiple && patch % multiple == 0, "--patch must be a positive multiple of " + multiple + " for --sn " + sn + ", not " + patch);
        require(width >= 1 && width <= 256, "--width must be in 1..256");
        require(fusion.equals("stack") || fusion.equals("product") || fusion.equals("mask"), "--fusion must be stack, product or mask, not " + fusion);
        require(lambdaStart >= 0 && Double.isFinite(lambdaStart), "--lambda-start must be a finite number >= 0, not " + lambdaStart);
        require(lambdaMax >= 0 && Double.isFinite(lambdaMax), "--lambda-max must be a finite number >= 0, not " + lambdaMax);
        require(lambdaRamp >= 0, "--lambda-ramp must be non-negative");
        require(lambdaShape.equals("sigmoid") || lambdaShape.equals("linear"), "--lambda-shape must be sigmoid or linear");
        require(lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, not " + lr);
        require(enLr > 0 && Double.isFinite(enLr), "--en-lr must be a finite number > 0, not " + enLr);
        require(lrSchedule.equals("constant") || lrSchedule.equals("poly"), "--lr-schedule must be constant or poly, not " + lrSchedule);
        require(adversarialBalance.equals("none") || adversarialBalance.equals("gradient"), "--adversarial-balance must be none or gradient, not " + adversarialBalance);
        require(enLabelSmoothing >= 0 && enLabelSmoothing < 0.5, "--en-label-smoothing must be in [0, 0.5)");
        require(threads >= 0, "--threads must be >= 0 (0 = all cores)");
        require(validateEvery > 0, "--validate-every must be positive");
        require(checkpointEvery > 0, "--checkpoint-every must be positive");
        require(ignoreLabel == null || ignoreLabel >= 0, "--ignore-label must be a label value >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Defaults sized for a 2-core CPU: a width-16 dan-fcn on 128-pixel patches, 2 + 2 patches per
     * batch as in the paper's Fig. 1, Adam (SN 1e-3 with poly decay in both modes, EN 1e-4), lambda
     * from 0.1 to 1.0 along a sigmoid-shaped ramp over the adversarial phase, the adversarial
     * gradient balanced against the supervised one (chosen on a validation split: docs/results.md).
     * Data paths have no default.
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("annotated", null);
        d.put("unannotated", null);
        d.put("val", null);
        d.put("mode", "balanced");
        d.put("iterations", 800);
        d.put("pretrainIterations", 300);
        d.put("batchAnnotated", 2);
        d.put("batchUnannotated", 2);
        d.put("patch", 128);
        d.put("sn", "dan-fcn");
        d.put("width", 16);
        d.put("fusion", "stack");
        d.put("lambdaStart", 0.1);
        d.put("lambdaMax", 1.0);
        d.put("lambdaRamp", 300);
        d.put("lambdaShape", "sigmoid");
        d.put("lr", 1e-3);
        d.put("lrSchedule", "poly");
        d.put("enLr", 1e-4);
        d.put("diceLoss", false);
        d.put("enLabelSmoothing", 0.0);
        d.put("adversarialBalance", "none");
        d.put("evaluator", null);
        d.put("confidence", 0.9);
        d.put("enConfidence", 0.2);
        d.put("adversarialWeight", 0.01);
        d.put("emaDecay", 0.99);
        d.put("seed", 1L);
        d.put("threads", 0);
        d.put("validateEvery", 100);
        d.put("checkpointEvery", 100);
        d.put("maskType", null);
        d.put("volume", null);
        d.put("labels", null);
        d.put("axis", "z");
        d.put("annotatedSlices", null);
        d.put("unannotatedSlices", null);
        d.put("ignoreLabel", null);
        d.put("context", 0);
        d.put("intensity", "mri");
        return d;
    }

    /** Defaults, then the file's keys, then the command line's (non-null) values; paths made absolute. */
    public static TrainConfig resolve(Path configFile, Map<String, Object> commandLine) throws IOException {
        return resolveOver(defaults(), configFile, commandLine);
    }

    /** {@code base} (defaults, or a resumed run's saved settings), then the file's keys, then the command line's. */
    public static TrainConfig resolveOver(Map<String, Object> base, Path configFile, Map<String, Object> commandLine) throws IOException {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        java.util.Set<String> fileKeys = new java.util.HashSet<>();
        if (configFile != null) {
            Map<String, Object> file;
            try {
                file = JSON.readValue(configFile.toFile(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException(configFile + ": not a valid JSON config (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            for (String key : file.keySet()) {
                if (!merged.containsKey(key)) {
                    throw new IllegalArgumentException(configFile + ": unknown setting '" + key + "' (known: " + String.join(", ", merged.keySet()) + ")");
                }
                String wrong = typeProblem(key, file.get(key));
                if (wrong != null) {
                    throw new IllegalArgumentException(configFile + ": setting '" + key + "' " + wrong);
                }
            }
            merged.putAll(file);
            fileKeys.addAll(file.keySet());
        }
        commandLine.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        if (merged.get("evaluator") == null && merged.get("mode") != null) {
            merged.put("evaluator", defaultEvaluator(merged.get("mode").toString()));
        }
        for (String key : new String[] {"annotated", "unannotated", "val"}) {
            if (merged.get(key) != null) {
                merged.put(key, absolute(merged.get(key)));
            }
        }
        for (String key : new String[] {"volume", "labels"}) {
            Object v = merged.get(key);
            if (v != null) {
                java.util.List<String> paths = new java.util.ArrayList<>();
                for (Object p : v instanceof java.util.Collection<?> c ? c : java.util.List.of(v)) {
                    paths.add(absolute(p));
                }
                merged.put(key, paths.isEmpty() ? null : paths);
            }
        }
        try {
            return JSON.convertValue(merged, TrainConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(conversionProblem(e, configFile, fileKeys));
        }
    }

    /**
     * Why a config file's value cannot be this setting (null when it can), checked for every key
     * in the file even when a flag overrides it: 2.7 iterations is a mistake, not 2.
     */
    static String typeProblem(String key, Object value) {
        Class<?> type = null;
        for (java.lang.reflect.RecordComponent c : TrainConfig.class.getRecordComponents()) {
            if (c.getName().equals(key)) {
                type = c.getType();
            }
        }
        if (type == null || value == null) {
            return type == null || !type.isPrimitive() ? null : "needs a value, not null";
        }
        if (type == int.class || type == long.class || type == Integer.class) {
            boolean integral = value instanceof Integer || value instanceof Long
                    || value instanceof java.math.BigInteger bi && bi.bitLength() < 32;
            return integral ? null : "must be a whole number, not " + value;
        }
        if (type == double.class) {
            return value instanceof Number ? null : "must be a number, not \"" + value + "\"";
        }
        if (type == boolean.class) {
            return value instanceof Boolean ? null : "must be true or false, not " + value;
        }
        if (type == String.class) {
            return value instanceof String ? null : "must be a string, not " + value;
        }
        if (type == java.util.List.class) {
            boolean strings = value instanceof String || value instanceof java.util.List<?> l && l.stream().allMatch(v -> v instanceof String);
            return strings ? null : "must be a path or a list of paths, not " + value;
        }
        return null;
    }

    /** A wrongly typed setting, named by where it came from: the config file and key, or the flag. */
    private static String conversionProblem(IllegalArgumentException e, Path configFile, java.util.Set<String> fileKeys) {
        Throwable root = e;
        String key = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty() && m.getPath().get(0).getFieldName() != null) {
                key = m.getPath().get(0).getFieldName();
            }
            root = t;
        }
        String why = root.getMessage() == null ? e.getMessage() : root.getMessage().lines().findFirst().orElse("");
        why = why.replaceAll(" \\(.*", "").replace("Cannot coerce Floating-point value", "a fractional number").trim();
        if (key == null) {
            return why;
        }
        String where = configFile != null && fileKeys.contains(key) ? configFile + ": setting '" + key + "'" : "--" + kebab(key);
        return where + ": wrong type of value (" + why + ")";
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static String absolute(Object path) {
        return Path.of(path.toString()).toAbsolutePath().normalize().toString();
    }

    public static Map<String, Object> asMap(TrainConfig c) {
        return JSON.convertValue(c, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
    }

    public String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    /** EN's form when not given: the paper's image-level EN for its recipe, the per-pixel judge for danseg's; none without EN. */
    static String defaultEvaluator(String mode) {
        return switch (mode) {
            case "dan" -> "pixel";
            case "paper", "balanced" -> "image";
            default -> null;
        };
    }

    /**
     * A saved config; settings added to danseg after it was written take their defaults, except two
     * whose defaults changed: models saved before they existed used the image-level EN and the
     * balanced adversarial gradient.
     */
    public static TrainConfig read(Path file) throws IOException {
        Map<String, Object> merged = defaults();
        merged.put("evaluator", "image");
        merged.put("adversarialBalance", "gradient");
        try {
            Map<String, Object> saved = JSON.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
            if (saved == null) {
                throw new org.danseg.io.ImageFormatException(file, "is empty");
            }
            merged.putAll(saved);
            return JSON.convertValue(merged, TrainConfig.class);
        } catch (org.danseg.io.ImageFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new org.danseg.io.ImageFormatException(file, "not a valid saved configuration ("
                    + conversionProblem(e instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(e), null, java.util.Set.of()) + ")");
        }
    }

    /** Every file or folder the run reads (an output must not touch any of them). */
    public java.util.List<Path> inputPaths() {
        java.util.List<Path> paths = new java.util.ArrayList<>();
        for (String p : new String[] {annotated, unannotated, val}) {
            if (p != null) {
                paths.add(Path.of(p));
            }
        }
        for (java.util.List<String> list : java.util.Arrays.asList(volume, labels)) {
            if (list != null) {
                list.forEach(p -> paths.add(Path.of(p)));
            }
        }
        return paths;
    }

    public int axisIndex() {
        return "xyz".indexOf(axis);
    }

    /** Whether the run trains an EN (and a saved model has one to score images with). */
    public boolean adversarial() {
        return mode.equals("dan") || mode.equals("paper") || mode.equals("balanced");
    }

    /** Whether the run uses unannotated images. */
    /** Whether the paper's steps rescale the adversarial gradient (always in balanced mode). */
    public boolean balancedGradient() {
        return mode.equals("balanced") || adversarialBalance.equals("gradient");
    }

    public boolean semiSupervised() {
        return !mode.equals("supervised");
    }

    public org.danseg.nn.EvaluationNet.Kind evaluatorKind() {
        return "pixel".equals(evaluator) ? org.danseg.nn.EvaluationNet.Kind.PIXEL : org.danseg.nn.EvaluationNet.Kind.IMAGE;
    }
}
