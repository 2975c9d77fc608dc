package org.danseg.config;

/**
 * The training recipe. {@code SUPERVISED}: SN alone (the baseline). {@code BALANCED} (default): the
 * paper's steps with the adversarial gradient balanced against the supervised one. {@code PAPER}:
 * the paper's recipe exactly. {@code DAN}: FixMatch-style pseudo-labelling judged by EN.
 * {@code FIXMATCH} and {@code MEAN_TEACHER}: the non-adversarial references. A new recipe is one
 * value here and one steps class in train.
 */
public enum Mode {
    SUPERVISED, BALANCED, PAPER, DAN, FIXMATCH, MEAN_TEACHER;

    /** Whether the recipe trains an EN (and a saved model has one to score images with). */
    public boolean adversarial() {
        return this == DAN || this == PAPER || this == BALANCED;
    }

    /** Whether the recipe uses unannotated images. */
    public boolean semiSupervised() {
        return this != SUPERVISED;
    }

    /** EN's form when not given: the paper's image-level EN for its recipe, the per-pixel judge for danseg's; none without EN. */
    public org.danseg.nn.EvaluationNet.Kind defaultEvaluator() {
        return switch (this) {
            case DAN -> org.danseg.nn.EvaluationNet.Kind.PIXEL;
            case PAPER, BALANCED -> org.danseg.nn.EvaluationNet.Kind.IMAGE;
            default -> null;
        };
    }
}
