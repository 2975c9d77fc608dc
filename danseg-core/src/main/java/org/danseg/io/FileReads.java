package org.danseg.io;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One place that hears of every data file danseg opens for reading (images, masks, files it hashes).
 * Tests listen here to prove that training never opens the truth of unannotated images.
 */
public final class FileReads {
    private static volatile Consumer<Path> listener;

    private FileReads() {
    }

    public static void setListener(Consumer<Path> l) {
        listener = l;
    }

    public static void opened(Path file) {
        Consumer<Path> l = listener;
        if (l != null) {
            l.accept(file.toAbsolutePath().normalize());
        }
    }

    /** SHA-256 of a file, as hex; reported to the listener like any other read. */
    public static String sha256(Path file) throws java.io.IOException {
        opened(file);
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
