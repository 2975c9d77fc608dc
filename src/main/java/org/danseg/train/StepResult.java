package org.danseg.train;

/**
 * What one iteration measured. Losses not computed in a phase are NaN (written as empty CSV
 * cells); {@code foregroundFraction} is the share of batch pixels SN labels non-background.
 */
public record StepResult(double supervisedLoss, double enLoss, double adversarialLoss,
                         double scoreAnnotated, double scoreUnannotated, double foregroundFraction) {
}
