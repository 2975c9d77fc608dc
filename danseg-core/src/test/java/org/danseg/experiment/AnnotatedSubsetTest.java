package org.danseg.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-seed annotated subsets: seeded, nested across budgets, different across seeds, independent of listing order. */
class AnnotatedSubsetTest {

    private static List<Path> pool(int n) {
        List<Path> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(Path.of(String.format("annotated_%03d.png", i)));
        }
        return p;
    }

    @Test
    void aSeedsSubsetIsFixedNestedAndIndependentOfListingOrder() {
        List<Path> pool = pool(20);
        List<Path> reversed = new ArrayList<>(pool);
        java.util.Collections.reverse(reversed);
        for (long seed = 1; seed <= 5; seed++) {
            List<Path> two = AnnotatedSubset.drawn(pool, 2, seed);
            assertThat(AnnotatedSubset.drawn(reversed, 2, seed)).isEqualTo(two);
            assertThat(two).containsAll(AnnotatedSubset.drawn(pool, 1, seed));
            assertThat(AnnotatedSubset.drawn(pool, 4, seed)).containsAll(two).doesNotHaveDuplicates();
        }
    }

    @Test
    void seedsDrawDifferentImagesNotTheFirstByName() {
        Set<Path> budget1 = new HashSet<>();
        for (long seed = 1; seed <= 5; seed++) {
            budget1.addAll(AnnotatedSubset.drawn(pool(20), 1, seed));
        }
        assertThat(budget1).as("five seeds' one annotated image").hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theConfigChoosesPerSeedByDefaultAndRefusesAnUnknownRule() {
        SynthConfigJson json = new SynthConfigJson();
        assertThat(json.config(null).annotatedSubset()).isEqualTo(ExperimentConfig.PER_SEED);
        assertThat(json.config("\"first\"").annotatedSubset()).isEqualTo(ExperimentConfig.FIRST);
        assertThatThrownBy(() -> json.config("\"random\"")).hasMessageContaining("annotatedSubset: per-seed or first");
    }

    /** A minimal synthetic grid config, with or without annotatedSubset. */
    private static final class SynthConfigJson {
        ExperimentConfig config(String subset) {
            String json = "{\"budgets\": [{\"annotated\": 1}], \"synth\": {\"annotated\": 2, \"unannotated\": 2, \"test\": 1, \"size\": 48, \"seed\": 1,"
                    + " \"malignantFraction\": 0.5}" + (subset == null ? "" : ", \"annotatedSubset\": " + subset) + "}";
            try {
                return ExperimentConfig.JSON.readValue(json, ExperimentConfig.class);
            } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
                throw (RuntimeException) e.getCause();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
