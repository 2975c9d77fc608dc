package org.danseg.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A finished cell is reused when its settings are the config's, allowing for settings added since at their defaults. */
class SameSettingsTest {

    @Test
    void aSettingAddedSinceAtItsDefaultKeepsTheCell() {
        Map<String, Object> before = Map.of("mode", "dan", "iterations", 1000);
        assertThat(ExperimentRunner.sameSettings(before, Map.of("mode", "dan", "iterations", 1000))).isTrue();
        assertThat(ExperimentRunner.sameSettings(before, Map.of("mode", "dan", "iterations", 1000, "unannotatedPass", "joint"))).isTrue();
        assertThat(ExperimentRunner.sameSettings(before, Map.of("mode", "dan", "iterations", 1000, "unannotatedPass", "separate")))
                .as("the added setting away from its default").isFalse();
        assertThat(ExperimentRunner.sameSettings(before, Map.of("mode", "dan", "iterations", 500))).isFalse();
        assertThat(ExperimentRunner.sameSettings(before, Map.of("mode", "dan"))).as("a setting gone").isFalse();
    }
}
