package org.danseg.data.synth;

/** What {@code danseg synth} generates; validated on construction. */
public record SynthConfig(int annotated, int unannotated, int test, int size, long seed, double malignantFraction) {

    public SynthConfig {
        if (annotated < 1 || unannotated < 0 || test < 0) {
            throw new IllegalArgumentException("need at least 1 annotated image and non-negative unannotated/test counts");
        }
        if (size < 32 || size > 4096) {
            throw new IllegalArgumentException("--size must be between 32 and 4096 pixels, got " + size);
        }
        if (malignantFraction < 0 || malignantFraction > 1) {
            throw new IllegalArgumentException("malignant fraction must be in [0, 1]");
        }
    }
}
