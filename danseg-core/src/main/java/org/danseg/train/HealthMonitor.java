package org.danseg.train;

import java.util.function.Consumer;

/**
 * Watches for the two ways adversarial training goes wrong and says so once, in plain words:
 * EN winning too easily (its loss near 0 for many iterations: SN's adversarial gradient then
 * carries no useful signal) and SN collapsing (predicting one class everywhere).
 */
final class HealthMonitor {
    static final double EASY_EN_LOSS = 0.05;
    private final int window;
    private final Consumer<String> warn;
    private int easyStreak;
    private int collapseStreak;
    private boolean warnedEasy;
    private boolean warnedCollapse;

    private final boolean enDiscriminates;

    /** {@code enDiscriminates}: EN tells annotated from unannotated (the paper's); a judge of correctness has no "too easy". */
    HealthMonitor(int window, boolean enDiscriminates, Consumer<String> warn) {
        this.window = window;
        this.enDiscriminates = enDiscriminates;
        this.warn = warn;
    }

    void observe(int iteration, StepResult r) {
        if (enDiscriminates && !Double.isNaN(r.enLoss())) {
            easyStreak = r.enLoss() < EASY_EN_LOSS ? easyStreak + 1 : 0;
            if (easyStreak >= window && !warnedEasy) {
                warnedEasy = true;
                warn.accept("EN has told annotated from unannotated images almost perfectly for " + window
                        + " iterations (iteration " + iteration + "): it is probably recognising the images, not judging the "
                        + "segmentations, and the adversarial signal is then noise. Try --fusion product, a lower --en-lr, "
                        + "--en-label-smoothing 0.1 or a smaller --lambda-max.");
            }
        }
        boolean collapsed = r.foregroundFraction() <= 0.0 || r.foregroundFraction() >= 1.0;
        collapseStreak = collapsed ? collapseStreak + 1 : 0;
        if (collapseStreak >= window && !warnedCollapse) {
            warnedCollapse = true;
            warn.accept("SN has predicted a single class everywhere for " + window + " iterations (iteration " + iteration
                    + "): training has collapsed. Lower --lr or --lambda-max, or check that the masks mark the foreground.");
        }
    }
}
