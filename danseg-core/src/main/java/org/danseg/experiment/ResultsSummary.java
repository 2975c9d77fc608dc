package org.danseg.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Means and standard deviations over seeds per (evaluation, budget, variant, mode), and DAN's gain
 * over the baseline paired by seed (same data, initialization and batches: the pairs differ only
 * in what DAN adds). Rendered as markdown.
 */
public final class ResultsSummary {

    /** Mean and sample standard deviation (NaN with fewer than two values) of n values. */
    public record Spread(double mean, double sd, int n) {

        static Spread of(List<Double> values) {
            int n = values.size();
            double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
            double ss = 0;
            for (double v : values) {
                ss += (v - mean) * (v - mean);
            }
            return new Spread(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, n);
        }

        String format(int decimals) {
            String m = String.format(Locale.ROOT, "%." + decimals + "f", mean);
            return Double.isNaN(sd) ? m : m + " ± " + String.format(Locale.ROOT, "%." + decimals + "f", sd);
        }
    }

    /** One row of a summary table: a (budget, variant) group of one evaluation. */
    public record Group(String evaluation, String budget, int annotated, String variant) {
    }

    private final List<CellResult> rows;

    public ResultsSummary(List<CellResult> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<Group> groups() {
        Set<Group> g = new LinkedHashSet<>();
        for (CellResult r : rows) {
            g.add(new Group(r.evaluation(), r.budget(), r.annotated(), r.variant()));
        }
        return new ArrayList<>(g);
    }

    private List<CellResult> of(Group g, String mode) {
        List<CellResult> out = new ArrayList<>();
        for (CellResult r : rows) {
            if (r.evaluation().equals(g.evaluation()) && r.budget().equals(g.budget()) && r.variant().equals(g.variant()) && r.mode().equals(mode)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The metric over seeds for one mode, or null when that mode has no finished cell with the metric (the
     * reference's cells have no object metrics).
     */
    public Spread spread(Group g, String mode, CellResult.Metric metric) {
        List<Double> values = of(g, mode).stream().map(metric::of).filter(v -> !v.isNaN()).toList();
        return values.isEmpty() ? null : Spread.of(values);
    }

    /** {@code mode} of group {@code g} minus {@code otherMode} of group {@code other}, paired by seed; null when no seed has both. */
    Spread difference(Group g, String mode, Group other, String otherMode, CellResult.Metric metric) {
        List<Double> diffs = pairedDifferences(g, mode, other, otherMode, metric);
        return diffs.isEmpty() ? null : Spread.of(diffs);
    }

    private List<Double> pairedDifferences(Group g, String mode, Group other, String otherMode, CellResult.Metric metric) {
        Map<Long, Double> base = new LinkedHashMap<>();
        for (CellResult r : of(other, otherMode)) {
            base.put(r.seed(), metric.of(r));
        }
        List<Double> diffs = new ArrayList<>();
        for (CellResult r : of(g, mode)) {
            Double b = base.get(r.seed());
            if (b != null && !b.isNaN() && !Double.isNaN(metric.of(r))) {
                diffs.add(metric.of(r) - b);
            }
        }
        return diffs;
    }

    /** Default DAN minus baseline, paired by seed over the seeds both finished; null when none did. */
    public Spread gain(Group g, CellResult.Metric metric) {
        return gain(g, "dan", metric);
    }

    /** A mode minus the baseline, paired by seed over the seeds both finished; null when none did. */
    public Spread gain(Group g, String mode, CellResult.Metric metric) {
        return difference(g, mode, g, "supervised", metric);
    }

    /** In how many of the paired seeds default DAN did better than the baseline (ties count as not better). */
    int wins(Group g, CellResult.Metric metric) {
        return wins(g, "dan", metric);
    }

    /** In how many of the paired seeds a mode did better than the baseline (ties count as not better). */
    int wins(Group g, String mode, CellResult.Metric metric) {
        return wins(g, mode, g, "supervised", metric);
    }

    /** In how many paired seeds {@code mode} of {@code g} did better than {@code otherMode} of {@code other}. */
    int wins(Group g, String mode, Group other, String otherMode, CellResult.Metric metric) {
        return (int) pairedDifferences(g, mode, other, otherMode, metric).stream().filter(d -> metric.higherIsBetter ? d > 0 : d < 0).count();
    }

    /** Summary tables (one per evaluation and metric), then every cell per seed. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        Set<String> evaluations = new LinkedHashSet<>();
        groups().forEach(g -> evaluations.add(g.evaluation()));
        for (String evaluation : evaluations) {
            for (CellResult.Metric metric : CellResult.Metric.values()) {
                String unit = metric == CellResult.Metric.HD95 || metric == CellResult.Metric.OBJECT_HAUSDORFF ? " (" + unitOf(evaluation) + ", lower is better)" : "";
                b.append("#### ").append(evaluation).append(": ").append(metric.title).append(unit).append("\n\n");
                b.append("| budget | variant | mode | seeds | baseline (SN only) | mode | mode - baseline (paired) | better in |\n");
                b.append("|---|---|---|---|---|---|---|---|\n");
                for (Group g : groups()) {
                    if (!g.evaluation().equals(evaluation)) {
                        continue;
                    }
                    int decimals = metric.higherIsBetter ? 3 : 2;
                    Spread s = spread(g, "supervised", metric);
                    for (String mode : modes()) {
                        Spread d = spread(g, mode, metric);
                        if (d == null) {
                            continue;
                        }
                        Spread gain = gain(g, mode, metric);
                        b.append("| ").append(g.budget()).append(" | ").append(g.variant()).append(" | ").append(mode).append(" | ")
                                .append(Math.max(s == null ? 0 : s.n(), d.n())).append(" | ")
                                .append(s == null ? "-" : s.format(decimals)).append(" | ")
                                .append(d.format(decimals)).append(" | ")
                                .append(gain == null ? "-" : signed(gain, decimals + 1)).append(" | ")
                                .append(gain == null ? "-" : wins(g, mode, metric) + " of " + gain.n()).append(" |\n");
                    }
                }
                b.append('\n');
            }
        }
        b.append(nextToReference());
        boolean anyEn = rows.stream().anyMatch(r -> r.enSpearman() != null && !r.enSpearman().isNaN());
        if (anyEn) {
            b.append("#### EN's score against the true Dice of each test image (Spearman)\n\n");
            b.append("| budget | variant | mode | seeds | Spearman | ranks images? |\n|---|---|---|---|---|---|\n");
            for (Group g : groups()) {
                for (String mode : modes()) {
                    List<Double> rho = new ArrayList<>();
                    for (CellResult r : of(g, mode)) {
                        if (r.enSpearman() != null && !r.enSpearman().isNaN()) {
                            rho.add(r.enSpearman());
                        }
                    }
                    if (!rho.isEmpty()) {
                        Spread s = Spread.of(rho);
                        b.append("| ").append(g.budget()).append(" | ").append(g.variant()).append(" | ").append(mode).append(" | ")
                                .append(s.n()).append(" | ").append(s.format(2)).append(" | ")
                                .append(org.danseg.metrics.RankCorrelation.verdict(s.mean())).append(" |\n");
                    }
                }
            }
            b.append('\n');
        }
        b.append("#### Every cell\n\n");
        b.append("| evaluation | budget | variant | seed | mode | Dice | object F1 | object Dice | object Hausdorff | HD95 | train s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CellResult r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %.4f | %.4f | %.4f | %.2f | %.2f | %.0f |%n",
                    r.evaluation(), r.budget(), r.variant(), r.seed(), r.mode(), r.dice(), r.objectF1(), r.objectDice(),
                    r.objectHausdorff(), r.hd95(), r.trainSeconds()));
        }
        return b.toString();
    }

    /**
     * danseg's cells next to the reference's on the same images and seeds (test Dice, paired by seed): danseg's
     * baseline against the reference's supervised run, every semi-supervised mode against the reference's fixmatch.
     */
    String nextToReference() {
        StringBuilder b = new StringBuilder();
        for (Group ref : groups()) {
            if (!ref.variant().equals(ExperimentConfig.REFERENCE_VARIANT)) {
                continue;
            }
            for (Group g : groups()) {
                if (g.variant().equals(ExperimentConfig.REFERENCE_VARIANT) || !g.evaluation().equals(ref.evaluation()) || !g.budget().equals(ref.budget())) {
                    continue;
                }
                for (String mode : allModes()) {
                    String refMode = mode.equals("supervised") ? "supervised" : mode.equals("mean-teacher") ? "mean-teacher" : "fixmatch";
                    Spread ours = spread(g, mode, CellResult.Metric.DICE);
                    Spread theirs = spread(ref, refMode, CellResult.Metric.DICE);
                    Spread d = difference(g, mode, ref, refMode, CellResult.Metric.DICE);
                    if (ours == null || theirs == null || d == null) {
                        continue;
                    }
                    if (b.isEmpty()) {
                        b.append("#### test: Dice, danseg next to the reference (same images and seeds)\n\n");
                        b.append("| budget | variant | danseg mode | danseg | reference mode | reference | danseg - reference (paired) | danseg better in |\n");
                        b.append("|---|---|---|---|---|---|---|---|\n");
                    }
                    b.append("| ").append(g.budget()).append(" | ").append(g.variant()).append(" | ").append(mode).append(" | ").append(ours.format(3))
                            .append(" | ").append(refMode).append(" | ").append(theirs.format(3)).append(" | ").append(signed(d, 4)).append(" | ")
                            .append(wins(g, mode, ref, refMode, CellResult.Metric.DICE)).append(" of ").append(d.n()).append(" |\n");
                }
            }
        }
        return b.isEmpty() ? "" : b.append('\n').toString();
    }

    /** The baseline, then the modes compared with it. */
    private List<String> allModes() {
        List<String> all = new ArrayList<>(List.of("supervised"));
        all.addAll(modes());
        return all;
    }

    /** The modes compared with the baseline, in the order the paper's story reads: paper, the references, default. */
    private List<String> modes() {
        List<String> order = new ArrayList<>(List.of("paper", "balanced", "mean-teacher", "fixmatch", "dan"));
        Set<String> present = new LinkedHashSet<>();
        rows.forEach(r -> present.add(r.mode()));
        order.retainAll(present);
        return order;
    }

    private String unitOf(String evaluation) {
        return rows.stream().filter(r -> r.evaluation().equals(evaluation)).map(CellResult::distanceUnit).findFirst().orElse("");
    }

    /** Gains get one more decimal than the values: they are often far smaller; -0.0000 prints as +0.0000. */
    private static String signed(Spread s, int decimals) {
        double mean = Math.abs(s.mean()) < 0.5 * Math.pow(10, -decimals) ? 0.0 : s.mean();
        String m = String.format(Locale.ROOT, "%+." + decimals + "f", mean);
        return Double.isNaN(s.sd()) ? m : m + " ± " + String.format(Locale.ROOT, "%." + decimals + "f", s.sd());
    }
}
