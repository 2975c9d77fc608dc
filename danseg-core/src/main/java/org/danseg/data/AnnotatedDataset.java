package org.danseg.data;

import java.nio.file.Path;
import java.util.List;
import org.danseg.io.MaskType;

/** A validated {@code images/} + {@code masks/} directory, with what was decided about it. */
public record AnnotatedDataset(Path root, List<Sample> samples, MaskType maskType, int numClasses, int channels,
                               NormalizationStats normalization) {
}
