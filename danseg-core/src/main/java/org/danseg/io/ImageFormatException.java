package org.danseg.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as what it should be; the message names the file and the problem. */
public class ImageFormatException extends IOException {
    private final Path file;

    public ImageFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImageFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
