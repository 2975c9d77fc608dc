package org.danseg.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Which files are images, and what their base names are (the key that pairs an image with its mask). */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("png", "bmp", "jpg", "jpeg", "tif", "tiff");

    private ImageFiles() {
    }

    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    public static boolean isImage(Path file) {
        return EXTENSIONS.contains(extension(file)) && !file.getFileName().toString().startsWith(".");
    }

    /** File name without its extension: {@code train_12.png} and {@code train_12.tif} share {@code train_12}. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    /** Image files directly inside {@code dir}, sorted by name so every run sees the same order. */
    public static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(ImageFiles::isImage).sorted().toList();
        }
    }
}
