package org.danseg.data;

import java.nio.file.Path;
import java.util.List;

/** Images without masks: {@code DIR/images/} or a plain folder of images. Masks are never looked for. */
public record UnannotatedDataset(Path root, List<Path> images, int channels, NormalizationStats normalization) {
}
