package org.danseg.data.synth;

/**
 * What {@code danseg synth} generates; validated on construction. {@code modality}: {@code he}
 * (H&E colon tissue with glands, the default) or {@code fluorescence} (nuclei, one channel);
 * {@code malignantFraction} is the share of malignant (H&E) or dense (fluorescence) tiles.
 */
public record SynthConfig(int annotated, int unannotated, int test, int size, long seed, double malignantFraction, String modality) {

    public SynthConfig {
        if (annotated < 1 || unannotated < 0 || test < 0) {
            throw new org.danseg.io.BadInputException("need at least 1 annotated image and non-negative unannotated/test counts");
        }
        if (size < 32 || size > 4096) {
            throw new org.danseg.io.BadInputException("--size must be between 32 and 4096 pixels, got " + size);
        }
        if (malignantFraction < 0 || malignantFraction > 1) {
            throw new org.danseg.io.BadInputException("malignant fraction must be in [0, 1]");
        }
        modality = modality == null ? "he" : modality;
        if (!modality.equals("he") && !modality.equals("fluorescence")) {
            throw new org.danseg.io.BadInputException("--modality must be he or fluorescence, not " + modality);
        }
    }

    public SynthConfig(int annotated, int unannotated, int test, int size, long seed, double malignantFraction) {
        this(annotated, unannotated, test, size, seed, malignantFraction, "he");
    }
}
