package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.danseg.config.LambdaShape;
import org.junit.jupiter.api.Test;

class LambdaScheduleTest {

    @Test
    void linearRampGoesFromStartToMaxThenStays() {
        LambdaSchedule s = new LambdaSchedule(LambdaShape.LINEAR, 0.1, 1.0, 100);
        assertThat(s.at(0)).isCloseTo(0.1, within(1e-12));
        assertThat(s.at(50)).isCloseTo(0.55, within(1e-12));
        assertThat(s.at(100)).isEqualTo(1.0);
        assertThat(s.at(5000)).isEqualTo(1.0);
    }

    @Test
    void sigmoidRampFollowsExpOfMinusFiveOneMinusTSquared() {
        LambdaSchedule s = new LambdaSchedule(LambdaShape.SIGMOID, 0.1, 1.0, 100);
        // t = 0: 0.1 + 0.9 e^-5; t = 50: 0.1 + 0.9 e^-1.25; t >= 100: 1.
        assertThat(s.at(0)).isCloseTo(0.1 + 0.9 * Math.exp(-5), within(1e-12));
        assertThat(s.at(50)).isCloseTo(0.1 + 0.9 * Math.exp(-1.25), within(1e-12));
        assertThat(s.at(100)).isEqualTo(1.0);
        // Monotone rise, slower than linear at first.
        assertThat(s.at(20)).isLessThan(new LambdaSchedule(LambdaShape.LINEAR, 0.1, 1.0, 100).at(20));
        for (int t = 1; t <= 100; t++) {
            assertThat(s.at(t)).isGreaterThan(s.at(t - 1));
        }
    }

    @Test
    void noRampMeansMaxAndPreTrainingMeansZero() {
        assertThat(new LambdaSchedule(LambdaShape.LINEAR, 0.1, 0.7, 0).at(0)).isEqualTo(0.7);
        assertThat(new LambdaSchedule(LambdaShape.SIGMOID, 0.1, 0.7, 10).at(-1)).isZero();
    }
}
