package org.danseg.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

    @Test
    void perfectAndReversedOrder() {
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {10, 20, 35})).isCloseTo(1.0, within(1e-12));
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1})).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void tiesShareTheirMeanRank() {
        assertThat(RankCorrelation.ranks(new double[] {10, 20, 20, 30})).containsExactly(1, 2.5, 2.5, 4);
        // Ranks (1..5) vs (1, 2, 3.5, 5, 3.5): sxy 8, sxx 10, syy 9.5 -> 8 / sqrt(95).
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(8 / Math.sqrt(95), within(1e-12));
    }
}
