package org.danseg.train;

import org.danseg.config.LambdaShape;
import org.danseg.config.TrainConfig;

/**
 * The adversarial weight over the adversarial phase (t = iterations since pre-training ended):
 * from {@code start} to {@code max} over {@code ramp} iterations, then constant.
 * <ul>
 *   <li>{@code linear}: start + (max - start) * t / ramp.</li>
 *   <li>{@code sigmoid} (default): start + (max - start) * exp(-5 (1 - t/ramp)^2), the ramp-up of
 *       Laine and Aila that semi-supervised segmentation commonly uses: it stays near {@code start}
 *       while EN is still learning what to look for, then rises smoothly. The exponential begins at
 *       exp(-5) ~ 0.007 rather than 0, so the value at t = 0 is start + 0.007 (max - start).</li>
 * </ul>
 */
public record LambdaSchedule(LambdaShape shape, double start, double max, int ramp) {

    public static LambdaSchedule of(TrainConfig.Recipe r) {
        return new LambdaSchedule(r.lambdaShape(), r.lambdaStart(), r.lambdaMax(), r.lambdaRamp());
    }

    public double at(int t) {
        if (t < 0) {
            return 0;
        }
        if (ramp == 0 || t >= ramp) {
            return max;
        }
        double x = (double) t / ramp;
        double f = shape == LambdaShape.LINEAR ? x : Math.exp(-5.0 * (1 - x) * (1 - x));
        return start + (max - start) * f;
    }
}
