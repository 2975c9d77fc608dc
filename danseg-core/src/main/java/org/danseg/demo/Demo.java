package org.danseg.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.danseg.config.Setting;
import org.danseg.config.TrainConfig;
import org.danseg.data.DatasetException;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.experiment.TestSetEvaluation;
import org.danseg.io.AtomicFiles;
import org.danseg.metrics.RankCorrelation;
import org.danseg.metrics.SetEvaluation;
import org.danseg.model.CheckpointState;
import org.danseg.report.EvaluationJson;
import org.danseg.report.HtmlReport;
import org.danseg.train.TrainingRun;

/**
 * The main job on built-in data: a synthetic dataset, the SN-only baseline and DAN trained on the
 * same split and seed, both evaluated on the held-out test images, a side-by-side table, EN's
 * quality scores ranked against the true Dice, and a self-contained HTML report.
 */
public final class Demo {

    /**
     * What the demo runs, and the test Dice its baseline must reach: a demo whose baseline does not
     * segment fails loudly instead of printing a table of zeros (issue 21).
     */
    public record Settings(SynthConfig data, Map<Setting, Object> training, double baselineFloor) {

        /**
         * The training defaults on 4 annotated, 60 unannotated and 20 test images of 128 x 128: the baseline,
         * the paper's recipe and the default (dan), three trainings in under 15 minutes on 2 cores. Four
         * annotated images, so the baseline is the strong one users should expect (issue 21: Dice >= 0.85 on
         * its test set, the floor); the grid, not the demo, measures the 1-2 image budgets (docs/results.md),
         * where one seed on 20 images cannot tell a gain from noise.
         */
        public static Settings full() {
            return new Settings(new SynthConfig(4, 60, 20, 128, 1, 0.4), new EnumMap<>(Setting.class), 0.85);
        }

        /** A smoke test: width 8, 64-pixel patches, 150 iterations; its floor still tells a network that segments from one that does not. */
        public static Settings quick() {
            Map<Setting, Object> t = new EnumMap<>(Setting.class);
            t.put(Setting.ITERATIONS, 150);
            t.put(Setting.PRETRAIN_ITERATIONS, 75);
            t.put(Setting.LAMBDA_RAMP, 40);
            t.put(Setting.WIDTH, 8);
            t.put(Setting.PATCH, 64);
            t.put(Setting.VALIDATE_EVERY, 150);
            t.put(Setting.CHECKPOINT_EVERY, 150);
            return new Settings(new SynthConfig(2, 8, 6, 128, 1, 0.4), t, 0.6);
        }
    }

    /** The baseline's test Dice is below {@link Settings#baselineFloor()}: the demo's models do not segment. */
    public static String belowFloor(Settings settings, List<Result> results) {
        for (Result r : results) {
            if (r.mode().equals("supervised") && !(r.evaluation().dice() >= settings.baselineFloor())) {
                return String.format(Locale.ROOT, "the baseline's test Dice %.4f is below the demo's floor %.2f: its model does not segment",
                        r.evaluation().dice(), settings.baselineFloor());
            }
        }
        return null;
    }

    /** One trained and evaluated run. */
    public record Result(String mode, SetEvaluation evaluation, double trainSeconds, Double enScoreSpearman) {
    }

    /** The baseline, the paper's recipe and danseg's default, side by side. */
    static final String[] MODES = {"supervised", "paper", "dan"};

    private Demo() {
    }

    static String title(String mode) {
        return switch (mode) {
            case "supervised" -> "baseline (SN only)";
            case "paper" -> "DAN, paper's recipe";
            case "fixmatch" -> "FixMatch-style (reference)";
            case "dan" -> "DAN, pseudo-labels with EN as judge (default)";
            default -> mode;
        };
    }

    private static String column(String mode) {
        return switch (mode) {
            case "supervised" -> "baseline";
            case "paper" -> "paper";
            case "fixmatch" -> "fixmatch";
            case "dan" -> "dan (default)";
            default -> mode;
        };
    }

    public static List<Result> run(Settings settings, Path out, PrintWriter log) throws IOException, DatasetException, InterruptedException {
        Path data = out.resolve("data");
        log.println("generating synthetic data in " + data);
        log.flush();
        SynthDatasetWriter.write(settings.data(), data, true, null);
        List<Result> results = new ArrayList<>();
        List<HtmlReport.Run> reportRuns = new ArrayList<>();
        for (String mode : MODES) {
            Map<Setting, Object> flags = new EnumMap<>(settings.training());
            flags.put(Setting.ANNOTATED, data.resolve("annotated").toString());
            flags.put(Setting.UNANNOTATED, data.resolve("unannotated").toString());
            flags.put(Setting.MODE, Setting.MODE.fromJson(mode, "mode"));
            TrainConfig config = TrainConfig.resolve(null, flags);
            Path model = out.resolve(mode);
            log.printf("training %s (%d iterations) into %s%n", title(mode), config.optimisation().iterations(), model);
            log.flush();
            CheckpointState state = TrainingRun.prepare(config, model, false, true).run(new TrainingRun.Listener() {
                @Override
                public void warning(String message) {
                    log.println("warning: " + message);
                    log.flush();
                }
            });
            Path predictions = out.resolve(mode + "-test-predictions");
            Map<String, Double> scores = TestSetEvaluation.segment(model, data.resolve("test"), predictions);
            SetEvaluation evaluation = TestSetEvaluation.score(predictions, data.resolve("test"));
            EvaluationJson.write(evaluation, out.resolve(mode + "-test-eval.json"));
            Double spearman = scores.isEmpty() ? null : TestSetEvaluation.spearman(scores, evaluation);
            results.add(new Result(mode, evaluation, state.seconds(), spearman));
            reportRuns.add(new HtmlReport.Run(title(mode), model, evaluation));
        }
        AtomicFiles.writeString(out.resolve("report.html"), HtmlReport.render(reportRuns));
        return results;
    }

    /** The side-by-side table printed at the end. */
    public static String table(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-22s", "test set (" + results.get(0).evaluation().images() + " images)"));
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%14s", column(r.mode())));
        }
        b.append('\n');
        line(b, "Dice", results, r -> r.evaluation().dice());
        line(b, "IoU", results, r -> r.evaluation().iou());
        line(b, "object F1", results, r -> r.evaluation().objectF1());
        line(b, "object Dice", results, r -> r.evaluation().objectDice());
        line(b, "object Hausdorff (px)", results, r -> r.evaluation().objectHausdorff());
        line(b, "HD95 (px)", results, r -> r.evaluation().hd95());
        line(b, "train time (s)", results, Result::trainSeconds);
        for (Result r : results) {
            if (r.enScoreSpearman() != null) {
                b.append(String.format(Locale.ROOT, "EN score vs true Dice, Spearman (%s): %.3f: %s%n", column(r.mode()), r.enScoreSpearman(),
                        RankCorrelation.verdict(r.enScoreSpearman())));
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
        b.append(String.format(Locale.ROOT, "%-22s", name));
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%14.4f", f.applyAsDouble(r)));
        }
        b.append('\n');
    }
}
