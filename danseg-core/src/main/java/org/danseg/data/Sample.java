package org.danseg.data;

import java.nio.file.Path;

/** One annotated image: its base name (the pairing key), the image file and its mask file. */
public record Sample(String name, Path image, Path mask) {
}
