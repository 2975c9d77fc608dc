package org.danseg.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The two folder operations behind "never silently overwrite": is something there, and remove a tree we own. */
public final class Directories {

    private Directories() {
    }

    /** True when {@code path} is a file, or a folder that holds anything. */
    public static boolean isNonEmpty(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return Files.exists(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.findAny().isPresent();
        }
    }

    /** Deletes a folder and everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Puts a fully written {@code staging} folder in the place of {@code target} (replacing an
     * earlier one, moved aside first): readers see the old folder or the new one, never a half-written one.
     */
    public static void replaceWith(Path staging, Path target) throws IOException {
        if (Files.exists(target)) {
            Path old = target.resolveSibling("." + target.getFileName() + ".old");
            deleteTree(old);
            Files.move(target, old);
            Files.move(staging, target);
            deleteTree(old);
        } else {
            Files.createDirectories(target.getParent());
            Files.move(staging, target);
        }
    }
}
