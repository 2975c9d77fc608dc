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
}
