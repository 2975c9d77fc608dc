package org.danseg.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where danseg may write (docs/reliability.md): never over, into or around an input, and
 * {@code --force} only ever replaces what danseg itself wrote, recognised by a marker file in
 * every folder it creates. Every refusal is an {@link OutputRefusedException} naming the path.
 */
public final class OutputGuard {
    /** The marker file in every output folder danseg creates; its first line names the kind. */
    public static final String MARKER = ".danseg-output";

    /** The kinds of folder danseg writes. */
    public enum FolderKind {
        MODEL("model folder"), PREDICTIONS("prediction folder"), DEMO("demo folder"), EXPERIMENT("experiment folder"),
        SYNTH("synthetic dataset"), SLIDE_DATASET("slide dataset");

        private final String description;

        FolderKind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** "a model folder", "an experiment folder". */
        public String withArticle() {
            return ("aeiou".indexOf(description.charAt(0)) >= 0 ? "an " : "a ") + description;
        }
    }

    /** What an output folder path holds now. */
    public enum FolderState {
        /** Nothing there, or an empty folder. */
        EMPTY,
        /** A folder danseg wrote, of the expected kind. */
        OURS,
        /** Anything else: a file, or a folder with content danseg did not write. */
        FOREIGN
    }

    /** A refusal to write somewhere; a user's mistake, so exit code 2. */
    public static final class OutputRefusedException extends BadInputException {
        public OutputRefusedException(String message) {
            super(message);
        }
    }

    private OutputGuard() {
    }

    /**
     * Refuses an output that equals an input, contains one, or lies inside an input folder (links
     * resolved, so another spelling of the same place is caught too).
     */
    public static void refuseOverlap(Path out, String flag, Collection<Path> inputs) throws IOException {
        Path o = canonical(out);
        for (Path input : inputs) {
            if (input == null) {
                continue;
            }
            Path in = canonical(input);
            if (o.equals(in)) {
                throw new OutputRefusedException(out + ": " + flag + " is also an input; danseg never writes over its inputs");
            }
            if (in.startsWith(o)) {
                throw new OutputRefusedException(out + ": " + flag + " contains the input " + input + "; choose an output outside the inputs");
            }
            if (o.startsWith(in)) {
                throw new OutputRefusedException(out + ": " + flag + " lies inside the input " + input + "; choose an output outside the inputs");
            }
        }
    }

    /**
     * What {@code dir} holds. {@code legacy} recognises folders of this kind written before danseg
     * marked its folders (null: none).
     */
    public static FolderState state(Path dir, FolderKind kind, Predicate<Path> legacy) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return FolderState.EMPTY;
        }
        if (!Files.isDirectory(dir)) {
            return FolderState.FOREIGN;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                return FolderState.EMPTY;
            }
        }
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            String kindName = Files.readString(marker, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            return kindName.equals(kind.name().toLowerCase(Locale.ROOT)) ? FolderState.OURS : FolderState.FOREIGN;
        }
        return legacy != null && legacy.test(dir) ? FolderState.OURS : FolderState.FOREIGN;
    }

    /**
     * Checks an output folder before any work: refused when it overlaps an input, is a file, or
     * holds anything danseg did not write; a folder of ours that is not empty needs {@code force}
     * (the caller then {@link #clear}s it, or continues in it).
     *
     * @return the folder's state (EMPTY or OURS)
     */
    public static FolderState checkFolder(Path dir, String flag, FolderKind kind, Predicate<Path> legacy, boolean force,
                                          Collection<Path> inputs) throws IOException {
        refuseOverlap(dir, flag, inputs);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputRefusedException(dir + ": is a file, not " + kind.withArticle() + "; danseg does not replace it, even with --force");
        }
        FolderState state = state(dir, kind, legacy);
        if (state == FolderState.FOREIGN) {
            throw new OutputRefusedException(dir + ": holds files danseg did not write (not " + kind.withArticle()
                    + "); choose another " + flag + " (danseg never deletes them, even with --force)");
        }
        return state;
    }

    /** Creates {@code dir} if needed and marks it as danseg's output of this kind. */
    public static void mark(Path dir, FolderKind kind) throws IOException {
        Files.createDirectories(dir);
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker)) {
            AtomicFiles.writeString(marker, kind.name().toLowerCase(Locale.ROOT) + "\nwritten by danseg; --force may replace this folder\n");
        }
    }

    /** Removes the content of a folder {@link #state} found to be ours (never the folder itself: it may be a mount point). */
    public static void clear(Path dir, FolderKind kind, Predicate<Path> legacy) throws IOException {
        if (state(dir, kind, legacy) != FolderState.OURS) {
            throw new OutputRefusedException(dir + ": not " + kind.withArticle() + " danseg wrote; not removed");
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Directories.deleteTree(p);
            }
        }
    }

    /**
     * Checks a single output file: not an input, not a folder, and an existing file is replaced
     * only with {@code force} and only when its name ends as danseg's output of this kind does.
     */
    public static void checkFile(Path out, String flag, boolean force, Collection<Path> inputs, String... endings) throws IOException {
        refuseOverlap(out, flag, inputs);
        if (Files.isDirectory(out)) {
            throw new OutputRefusedException(out + ": " + flag + " is a folder; give a file name");
        }
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!force) {
            throw new OutputRefusedException(out + ": already exists (use --force to overwrite)");
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String ending : endings) {
            if (name.endsWith(ending)) {
                return;
            }
        }
        throw new OutputRefusedException(out + ": " + flag + " would replace a file that is not a " + String.join(" or ", endings)
                + " output; danseg does not replace it, even with --force");
    }

    /** The real location of a path, for paths that exist and for paths still to be created. */
    static Path canonical(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            return abs.toRealPath();
        }
        Path parent = abs.getParent();
        return parent == null ? abs : canonical(parent).resolve(Objects.requireNonNull(abs.getFileName()).toString());
    }
}
