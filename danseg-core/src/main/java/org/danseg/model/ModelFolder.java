package org.danseg.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.danseg.config.AdversarialBalance;
import org.danseg.config.Setting;
import org.danseg.config.TrainConfig;
import org.danseg.data.NormalizationStats;
import org.danseg.io.AtomicFiles;
import org.danseg.io.Directories;
import org.danseg.io.ImageFormatException;
import org.danseg.io.OutputGuard;
import org.danseg.nn.EvaluationNet;

/**
 * The one place that knows a trained model's folder:
 * <pre>
 * MODEL_DIR/config.json         the fully resolved training config
 * MODEL_DIR/model.json          input channels, classes, mask type
 * MODEL_DIR/normalization.json  intensity statistics SN inputs are normalized with
 * MODEL_DIR/provenance.json     version, commit, seed, data files with SHA-256, times, machine
 * MODEL_DIR/train_log.csv       one row per iteration ({@link TrainLogFormat})
 * MODEL_DIR/last/               {@link Checkpoint}: sn.params, en.params, [teacher.params],
 *                               sn_optimizer.ndlist, en_optimizer.ndlist, state.json
 * MODEL_DIR/best/               the same, at the best validation Dice (when --val is given)
 * </pre>
 * A checkpoint folder is written beside its final name and swapped in by renames, so a kill at
 * any moment leaves the previous checkpoint readable (as {@code last} or, mid-swap, {@code last.old}).
 */
public record ModelFolder(Path root) {
    public static final String LAST = "last";
    public static final String BEST = "best";
    private static final String CONFIG = "config.json";
    private static final String MODEL = "model.json";
    private static final String NORMALIZATION = "normalization.json";
    private static final String PROVENANCE = "provenance.json";
    private static final String LOG = "train_log.csv";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Path config() {
        return root.resolve(CONFIG);
    }

    public Path model() {
        return root.resolve(MODEL);
    }

    public Path normalization() {
        return root.resolve(NORMALIZATION);
    }

    public Path provenance() {
        return root.resolve(PROVENANCE);
    }

    public Path log() {
        return root.resolve(LOG);
    }

    /** The checkpoint folder {@code name}, falling back to its mid-swap copy after an interrupted save. */
    public Checkpoint checkpoint(String name) {
        Path dir = root.resolve(name);
        Path old = root.resolve(name + ".old");
        return new Checkpoint(!Files.isDirectory(dir) && Files.isDirectory(old) ? old : dir);
    }

    public boolean hasCheckpoint(String name) {
        return checkpoint(name).exists();
    }

    /** Writes a checkpoint through {@code writer} into a fresh folder, then swaps it into place. */
    public void saveCheckpoint(String name, CheckpointWriter writer) throws IOException {
        Path target = root.resolve(name);
        Path tmp = root.resolve(name + ".tmp");
        Path old = root.resolve(name + ".old");
        Directories.deleteTree(tmp);
        Files.createDirectories(tmp);
        writer.write(new Checkpoint(tmp));
        Directories.deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        Files.move(tmp, target);
        Directories.deleteTree(old);
    }

    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Checkpoint checkpoint) throws IOException;
    }

    /** The files a new run writes before its first iteration. */
    public void writeStart(TrainConfig config, ModelInfo info, NormalizationStats normalization, Provenance provenance) throws IOException {
        AtomicFiles.writeString(config(), config.toJson() + "\n");
        AtomicFiles.writeString(model(), JSON.writeValueAsString(info) + "\n");
        AtomicFiles.writeString(normalization(), JSON.writeValueAsString(normalization) + "\n");
        AtomicFiles.writeString(provenance(), JSON.writeValueAsString(provenance) + "\n");
    }

    /** Stamps provenance.json with the time the run finished. */
    public void finishProvenance() throws IOException {
        AtomicFiles.writeString(provenance(), JSON.writeValueAsString(readProvenance().finish()) + "\n");
    }

    /** provenance.json, or null for a model folder written before danseg recorded it. */
    public Provenance readProvenance() throws IOException {
        return Files.isRegularFile(provenance()) ? JSON.readValue(provenance().toFile(), Provenance.class) : null;
    }

    /**
     * A saved config.json; settings added to danseg after it was written take their defaults,
     * except two whose defaults changed: models saved before they existed used the image-level EN
     * and the balanced adversarial gradient. Any problem is reported against the file.
     */
    public static TrainConfig readConfig(Path file) throws ImageFormatException {
        Map<Setting, Object> values = TrainConfig.defaults();
        values.put(Setting.EVALUATOR, EvaluationNet.Kind.IMAGE);
        values.put(Setting.ADVERSARIAL_BALANCE, AdversarialBalance.GRADIENT);
        // The defaults before 2026-12-01 (issue 21), for a config.json that predates a key.
        values.put(Setting.SN, org.danseg.nn.SnArchitecture.DAN_FCN);
        values.put(Setting.PATCH, 128);
        values.put(Setting.BATCH_ANNOTATED, 2);
        values.put(Setting.BATCH_UNANNOTATED, 2);
        values.put(Setting.DICE_LOSS, false);
        try {
            values.putAll(TrainConfig.readFile(file));
            return TrainConfig.of(values);
        } catch (IOException | IllegalArgumentException e) {
            String why = String.valueOf(e.getMessage()).replace(file + ": ", "").lines().findFirst().orElse("");
            throw new ImageFormatException(file, "not a valid saved configuration (" + why + ")");
        }
    }

    public TrainConfig readConfig() throws ImageFormatException {
        return readConfig(config());
    }

    /**
     * Reads and checks the files that describe a trained model (config.json, model.json,
     * normalization.json, and which checkpoint holds its weights: {@code best} when validation
     * chose one, else {@code last}); each problem is an {@link ImageFormatException} naming the
     * file and what is wrong with it.
     */
    public StoredModel read() throws ImageFormatException {
        if (!Files.isDirectory(root)) {
            throw new ImageFormatException(root, "no such model folder");
        }
        for (Path required : new Path[] {config(), model(), normalization()}) {
            if (!Files.isRegularFile(required)) {
                throw new ImageFormatException(root, "not a danseg model folder (" + required.getFileName() + " missing)");
            }
        }
        String name = hasCheckpoint(BEST) ? BEST : LAST;
        if (!Files.isDirectory(checkpoint(name).dir())) {
            throw new ImageFormatException(root, "holds no trained weights (no " + name + "/ checkpoint: the training never reached one)");
        }
        TrainConfig config = readConfig();
        ModelInfo info = readJson(model(), () -> new ObjectMapper().readValue(model().toFile(), ModelInfo.class));
        NormalizationStats norm = readJson(normalization(), () -> new ObjectMapper().readValue(normalization().toFile(), NormalizationStats.class));
        return new StoredModel(config, info, preprocessing(config, info, norm), name, checkpoint(name));
    }

    /** What {@link #read} found: the settings, the model's shape, its input preprocessing and its checkpoint. */
    public record StoredModel(TrainConfig config, ModelInfo info, Preprocessing preprocessing, String checkpointName, Checkpoint checkpoint) {
    }

    private interface JsonRead<T> {
        T read() throws IOException;
    }

    /** A model folder's JSON file, with any problem (syntax, types, values) reported against it. */
    private static <T> T readJson(Path file, JsonRead<T> reader) throws ImageFormatException {
        try {
            T value = reader.read();
            if (value == null) {
                throw new ImageFormatException(file, "is empty");
            }
            return value;
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
            throw new ImageFormatException(file, "damaged or edited into an invalid state (" + why.replaceAll(" \\(class .*", "") + ")");
        }
    }

    /** The three descriptions of the model's input must agree; an edited file is caught here, not as a tensor shape error. */
    private Preprocessing preprocessing(TrainConfig config, ModelInfo info, NormalizationStats norm) throws ImageFormatException {
        if (info.channels() < 1 || info.channels() > 64 || info.classes() < 2 || info.classes() > 256) {
            throw new ImageFormatException(model(), "states " + info.channels() + " channel(s) and " + info.classes() + " classes; "
                    + "expected 1..64 channels and 2..256 classes");
        }
        if (norm.mean() == null || norm.std() == null || norm.mean().length != norm.std().length) {
            throw new ImageFormatException(normalization(), "needs a mean and a std of the same length");
        }
        for (int c = 0; c < norm.mean().length; c++) {
            if (!Double.isFinite(norm.mean()[c]) || !Double.isFinite(norm.std()[c]) || !(norm.std()[c] > 0)) {
                throw new ImageFormatException(normalization(), "channel " + c + " has mean " + norm.mean()[c] + " and std " + norm.std()[c]
                        + "; expected finite numbers and a positive std");
            }
        }
        if (norm.mean().length != info.channels()) {
            throw new ImageFormatException(model(), "states " + info.channels() + " channel(s) but " + normalization().getFileName()
                    + " normalizes " + norm.mean().length);
        }
        TrainConfig.Data d = config.data();
        if (d.volumes() && info.channels() != 2 * d.context() + 1) {
            throw new ImageFormatException(model(), "states " + info.channels() + " channel(s) but config.json's context "
                    + d.context() + " means " + (2 * d.context() + 1));
        }
        return new Preprocessing(info.channels(), norm.mean(), norm.std(),
                d.volumes() ? new Preprocessing.Volume(d.axis(), d.intensity(), d.context()) : null);
    }

    /** What a model folder may hold: anything else in it is someone else's and --force will not delete it. */
    private static final Set<String> OWN_NAMES = Set.of(CONFIG, MODEL, NORMALIZATION, PROVENANCE, LOG,
            LAST, BEST, LAST + ".old", LAST + ".tmp", BEST + ".old", BEST + ".tmp", OutputGuard.MARKER);

    /** A temporary file of {@link AtomicFiles} that a kill left behind. */
    private static boolean isPartialWrite(String name) {
        return name.startsWith(".") && name.endsWith(".part");
    }

    /** A model folder written before danseg marked its folders: a config.json and nothing but a model folder's files. */
    public static boolean isUnmarkedModelFolder(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> OWN_NAMES.contains(p.getFileName().toString()) || isPartialWrite(p.getFileName().toString()));
        } catch (IOException e) {
            return false;
        }
    }
}
