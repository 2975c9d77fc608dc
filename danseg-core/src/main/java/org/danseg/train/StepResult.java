package org.danseg.train;

/**
 * What one iteration measured. Losses not computed in a phase are NaN (written as empty CSV
 * cells); {@code foregroundFraction} is the share of batch pixels SN labels non-background;
 * {@code consistencyLoss} is the loss on unannotated images that is not adversarial (self-training
 * or Mean Teacher consistency) and {@code pseudoLabelled} the share of unannotated pixels that
 * received a pseudo-label.
 */
public record StepResult(double supervisedLoss, double enLoss, double adversarialLoss,
                         double scoreAnnotated, double scoreUnannotated, double foregroundFraction,
                         double consistencyLoss, double pseudoLabelled) {

    public StepResult(double supervisedLoss, double enLoss, double adversarialLoss,
                      double scoreAnnotated, double scoreUnannotated, double foregroundFraction) {
        this(supervisedLoss, enLoss, adversarialLoss, scoreAnnotated, scoreUnannotated, foregroundFraction, Double.NaN, Double.NaN);
    }
}
