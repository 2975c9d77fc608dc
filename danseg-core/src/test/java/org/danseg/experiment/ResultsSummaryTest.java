package org.danseg.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsSummaryTest {

    private static CellResult row(String mode, long seed, double dice, double hd95) {
        return new CellResult("4 annotated", 4, "default", mode, seed, "test", dice, 0.5, 0.5, 10, hd95, "px", 1);
    }

    @Test
    void meansStandardDeviationsAndPairedGainsByHand() {
        // Baseline Dice 0.80, 0.84, 0.86 (mean 0.8333, sd 0.030551); DAN 0.82, 0.83, 0.90
        // (mean 0.85, sd 0.043589); paired differences +0.02, -0.01, +0.04 (mean 0.016667, sd 0.025166).
        List<CellResult> rows = List.of(
                row("supervised", 1, 0.80, 5), row("dan", 1, 0.82, 4),
                row("supervised", 2, 0.84, 5), row("dan", 2, 0.83, 6),
                row("supervised", 3, 0.86, 5), row("dan", 3, 0.90, 5));
        ResultsSummary s = new ResultsSummary(rows);
        assertThat(s.groups()).hasSize(1);
        ResultsSummary.Group g = s.groups().get(0);
        ResultsSummary.Spread base = s.spread(g, "supervised", CellResult.Metric.DICE);
        assertThat(base.mean()).isCloseTo(0.833333, within(1e-6));
        assertThat(base.sd()).isCloseTo(0.030551, within(1e-6));
        ResultsSummary.Spread dan = s.spread(g, "dan", CellResult.Metric.DICE);
        assertThat(dan.mean()).isCloseTo(0.85, within(1e-9));
        assertThat(dan.sd()).isCloseTo(0.043589, within(1e-6));
        ResultsSummary.Spread gain = s.gain(g, CellResult.Metric.DICE);
        assertThat(gain.mean()).isCloseTo(0.016667, within(1e-6));
        assertThat(gain.sd()).isCloseTo(0.025166, within(1e-6));
        assertThat(s.wins(g, CellResult.Metric.DICE)).isEqualTo(2);
        // Lower is better for distances: 4 < 5 wins, 6 > 5 loses, 5 = 5 is a tie (not a win).
        assertThat(s.wins(g, CellResult.Metric.HD95)).isEqualTo(1);
        assertThat(s.markdown()).contains("| 4 annotated | default | dan | 3 | 0.833 ± 0.031 | 0.850 ± 0.044 | +0.0167 ± 0.0252 | 2 of 3 |");
    }

    @Test
    void gainsPairOnlySeedsBothModesFinished() {
        List<CellResult> rows = List.of(row("supervised", 1, 0.80, 5), row("dan", 1, 0.90, 5), row("supervised", 2, 0.70, 5));
        ResultsSummary s = new ResultsSummary(rows);
        ResultsSummary.Group g = s.groups().get(0);
        assertThat(s.gain(g, CellResult.Metric.DICE).mean()).isCloseTo(0.10, within(1e-9));
        assertThat(s.gain(g, CellResult.Metric.DICE).n()).isEqualTo(1);
        assertThat(Double.isNaN(s.gain(g, CellResult.Metric.DICE).sd())).isTrue();
        assertThat(s.spread(g, "supervised", CellResult.Metric.DICE).n()).isEqualTo(2);
    }

    @Test
    void everyRecipeGetsItsOwnRowAgainstTheBaselineAndEnRankingIsLabelled() {
        List<CellResult> rows = List.of(
                row("supervised", 1, 0.80, 5), row("paper", 1, 0.60, 5), row("mean-teacher", 1, 0.81, 5),
                new CellResult("4 annotated", 4, "default", "dan", 1, "test", 0.85, 0.5, 0.5, 10, 5, "px", 1, 0.1));
        String md = new ResultsSummary(rows).markdown();
        assertThat(md).contains("| 4 annotated | default | paper | 1 | 0.800 | 0.600 | -0.2000 | 0 of 1 |")
                .contains("| 4 annotated | default | mean-teacher | 1 | 0.800 | 0.810 | +0.0100 | 1 of 1 |")
                .contains("| 4 annotated | default | dan | 1 | 0.800 | 0.850 | +0.0500 | 1 of 1 |")
                .contains("| 4 annotated | default | dan | 1 | 0.10 | does NOT rank images by quality |");
        // paper before mean-teacher before dan, in every table
        assertThat(md.indexOf("| paper |")).isLessThan(md.indexOf("| mean-teacher |"));
        assertThat(md.indexOf("| mean-teacher |")).isLessThan(md.indexOf("| dan |"));
    }
}
