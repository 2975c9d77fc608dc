package org.danseg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.io.Directories;

/**
 * The layout of a trained model:
 * <pre>
 * MODEL_DIR/config.json         the fully resolved training config
 * MODEL_DIR/model.json          input channels, classes, mask type
 * MODEL_DIR/normalization.json  intensity statistics SN inputs are normalized with
 * MODEL_DIR/provenance.json     version, commit, seed, data files with SHA-256, times, machine
 * MODEL_DIR/train_log.csv       one row per iteration
 * MODEL_DIR/last/               sn.params, en.params, optimizer.ndlist, state.json
 * MODEL_DIR/best/               the same, at the best validation Dice (when --val is given)
 * </pre>
 * A checkpoint folder is written beside its final name and swapped in by renames, so a kill at
 * any moment leaves the previous checkpoint readable (as {@code last} or, mid-swap, {@code last.old}).
 */
public record ModelDirectory(Path root) {
    public static final String LAST = "last";
    public static final String BEST = "best";

    public Path config() {
        return root.resolve("config.json");
    }

    public Path model() {
        return root.resolve("model.json");
    }

    public Path normalization() {
        return root.resolve("normalization.json");
    }

    public Path provenance() {
        return root.resolve("provenance.json");
    }

    public Path log() {
        return root.resolve("train_log.csv");
    }

    /** The checkpoint folder {@code name}, falling back to its mid-swap copy after an interrupted save. */
    public Path checkpoint(String name) {
        Path dir = root.resolve(name);
        Path old = root.resolve(name + ".old");
        return !Files.isDirectory(dir) && Files.isDirectory(old) ? old : dir;
    }

    public boolean hasCheckpoint(String name) {
        return Files.isRegularFile(checkpoint(name).resolve("state.json"));
    }

    /** Writes a checkpoint through {@code writer} into a fresh folder, then swaps it into place. */
    public void saveCheckpoint(String name, CheckpointWriter writer) throws IOException {
        Path target = root.resolve(name);
        Path tmp = root.resolve(name + ".tmp");
        Path old = root.resolve(name + ".old");
        Directories.deleteTree(tmp);
        Files.createDirectories(tmp);
        writer.write(tmp);
        Directories.deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        Files.move(tmp, target);
        Directories.deleteTree(old);
    }

    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path dir) throws IOException;
    }

    /** What a model folder may hold: anything else in it is someone else's and --force will not delete it. */
    private static final java.util.Set<String> OWN_NAMES = java.util.Set.of("config.json", "model.json", "normalization.json",
            "provenance.json", "train_log.csv", LAST, BEST, LAST + ".old", LAST + ".tmp", BEST + ".old", BEST + ".tmp",
            org.danseg.io.OutputGuard.MARKER);

    /** A temporary file of {@link org.danseg.io.AtomicFiles} that a kill left behind. */
    private static boolean isPartialWrite(String name) {
        return name.startsWith(".") && name.endsWith(".part");
    }

    /** A model folder written before danseg marked its folders: a config.json and nothing but a model folder's files. */
    public static boolean isUnmarkedModelFolder(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            return false;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> OWN_NAMES.contains(p.getFileName().toString()) || isPartialWrite(p.getFileName().toString()));
        } catch (IOException e) {
            return false;
        }
    }
}
