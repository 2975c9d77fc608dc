package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

    private static StepResult step(double enLoss, double foreground) {
        return new StepResult(0.1, enLoss, 1.0, 0.9, 0.1, foreground);
    }

    @Test
    void warnsOnceWhenEnWinsTooEasilyForAWholeWindow() {
        List<String> warnings = new ArrayList<>();
        HealthMonitor m = new HealthMonitor(10, true, warnings::add);
        for (int i = 0; i < 9; i++) {
            m.observe(i, step(0.01, 0.3));
        }
        m.observe(9, step(0.5, 0.3)); // the streak breaks
        for (int i = 10; i < 19; i++) {
            m.observe(i, step(0.01, 0.3));
        }
        assertThat(warnings).isEmpty();
        for (int i = 19; i < 40; i++) {
            m.observe(i, step(0.01, 0.3));
        }
        assertThat(warnings).singleElement().asString().contains("EN").contains("--fusion product");
    }

    @Test
    void aJudgeOfCorrectnessWithALowLossIsNoWarning() {
        List<String> warnings = new ArrayList<>();
        HealthMonitor m = new HealthMonitor(10, false, warnings::add);
        for (int i = 0; i < 40; i++) {
            m.observe(i, step(0.01, 0.3));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void warnsOnceWhenSnPredictsOneClassEverywhere() {
        List<String> warnings = new ArrayList<>();
        HealthMonitor m = new HealthMonitor(5, true, warnings::add);
        for (int i = 0; i < 20; i++) {
            m.observe(i, step(Double.NaN, 0.0));
        }
        assertThat(warnings).singleElement().asString().contains("single class");
    }
}
