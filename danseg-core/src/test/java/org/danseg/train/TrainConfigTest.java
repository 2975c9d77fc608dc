package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @TempDir
    Path dir;

    @Test
    void flagsOverrideFileOverrideDefaults() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"width\": 8, \"lr\": 0.01}");
        Map<String, Object> flags = new HashMap<>();
        flags.put("width", 4);
        flags.put("fusion", null);
        TrainConfig c = TrainConfig.resolve(file, flags);
        assertThat(c.width()).isEqualTo(4);
        assertThat(c.lr()).isEqualTo(0.01);
        assertThat(c.fusion()).isEqualTo("stack");
        assertThat(c.iterations()).isEqualTo(800);
        assertThat(Path.of(c.annotated())).isAbsolute();
        // The saved config reads back to the same record.
        Files.writeString(dir.resolve("saved.json"), c.toJson());
        assertThat(TrainConfig.read(dir.resolve("saved.json"))).isEqualTo(c);
    }

    @Test
    void unknownSettingsAndBadValuesAreRefusedByName() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"widht\": 8}");
        assertThatThrownBy(() -> TrainConfig.resolve(file, Map.of())).hasMessageContaining("widht").hasMessageContaining("c.json");
        assertThatThrownBy(() -> TrainConfig.resolve(null, Map.of("annotated", "a", "unannotated", "u", "patch", 100)))
                .hasMessageContaining("--patch").hasMessageContaining("32");
        assertThatThrownBy(() -> TrainConfig.resolve(null, Map.of("annotated", "a"))).hasMessageContaining("--unannotated");
        assertThat(TrainConfig.resolve(null, Map.of("annotated", "a", "mode", "supervised")).unannotated()).isNull();
    }

    @Test
    void eachModeGetsItsEvaluatorAndOnlyBalancedBalancesByDefault() throws Exception {
        Map<String, Object> base = Map.of("annotated", "a", "unannotated", "u");
        TrainConfig def = TrainConfig.resolve(null, base);
        assertThat(def.mode()).isEqualTo("balanced");
        assertThat(def.balancedGradient()).isTrue();
        assertThat(def.evaluatorKind()).isEqualTo(org.danseg.nn.EvaluationNet.Kind.IMAGE);
        Map<String, Object> paper = new HashMap<>(base);
        paper.put("mode", "paper");
        assertThat(TrainConfig.resolve(null, paper).balancedGradient()).as("the paper's plain sum").isFalse();
        Map<String, Object> dan = new HashMap<>(base);
        dan.put("mode", "dan");
        TrainConfig d = TrainConfig.resolve(null, dan);
        assertThat(d.evaluatorKind()).isEqualTo(org.danseg.nn.EvaluationNet.Kind.PIXEL);
        assertThat(d.adversarial()).isTrue();
        Map<String, Object> mt = new HashMap<>(base);
        mt.put("mode", "mean-teacher");
        TrainConfig m = TrainConfig.resolve(null, mt);
        assertThat(m.adversarial()).as("Mean Teacher has no EN to score with").isFalse();
        assertThat(m.semiSupervised()).isTrue();
        // A model saved before these settings existed used the image EN and the balanced gradient.
        Files.writeString(dir.resolve("old.json"), "{\"annotated\": \"a\", \"unannotated\": \"u\", \"mode\": \"dan\"}");
        TrainConfig old = TrainConfig.read(dir.resolve("old.json"));
        assertThat(old.evaluatorKind()).isEqualTo(org.danseg.nn.EvaluationNet.Kind.IMAGE);
        assertThat(old.adversarialBalance()).isEqualTo("gradient");
    }
}
