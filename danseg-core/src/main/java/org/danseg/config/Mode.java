package org.danseg.config;

/**
 * The training recipe. {@code SUPERVISED}: SN alone (the baseline). {@code BALANCED}: the
 * paper's steps with the adversarial gradient balanced against the supervised one. {@code PAPER}:
 * the paper's recipe exactly. {@code DAN} (default): FixMatch-style pseudo-labelling with EN learning beside
 * SN as the judge of its segmentations (and, when asked, gating its pseudo-labels).
 * {@code FIXMATCH} and {@code MEAN_TEACHER}: the non-adversarial references. A new recipe is one
 * value here and one steps class in train.
 */
public enum Mode {
    SUPERVISED, BALANCED, PAPER, DAN, FIXMATCH, MEAN_TEACHER;

    /** Whether the recipe trains an EN (and a saved model has one to score images with). */
    public boolean adversarial() {
        return this == DAN || this == PAPER || this == BALANCED;
    }

    /**
     * Whether EN judges how right a segmentation is (dan) rather than telling annotated images' segmentations
     * from unannotated ones' (paper, balanced): it decides how EN's output reads as a score and which warnings apply.
     */
    public boolean enJudgesCorrectness() {
        return this == DAN;
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

    /** When the unannotated images come in and how their weight grows, unless set: pre-training, lambda's start, its ramp. */
    public record Schedule(int pretrainIterations, double lambdaStart, int lambdaRamp) {
    }

    /**
     * The pseudo-labelling recipes start almost at once at full weight, as FixMatch does (its
     * confidence gate is the ramp): on the validation split, pre-training 300 iterations and a
     * 300-iteration ramp from 0.1 gave fixmatch 0.844 where 50 and lambda 1 gave 0.879 (the baseline
     * 0.779; docs/results.md, 2026-12-02). The adversarial recipes keep the paper's slow start.
     */
    public Schedule defaultSchedule() {
        return this == DAN || this == FIXMATCH ? new Schedule(50, 1.0, 0) : new Schedule(300, 0.1, 300);
    }
}
