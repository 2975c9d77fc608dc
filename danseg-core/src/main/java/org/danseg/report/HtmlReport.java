package org.danseg.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.io.ImageFiles;
import org.danseg.io.MaskInterpreter;
import org.danseg.io.MaskType;
import org.danseg.metrics.ImageEvaluation;
import org.danseg.metrics.SetEvaluation;
import org.danseg.model.ModelFolder;
import org.danseg.model.TrainLogColumn;
import org.danseg.model.TrainingLog;
import org.danseg.runtime.Version;

/**
 * One self-contained HTML file about one or more training runs (typically the SN-only baseline and
 * DAN): metrics side by side, training curves, contour overlays of the best and worst test images,
 * and each run's configuration. Charts and images are embedded; nothing is fetched when it is opened.
 */
public final class HtmlReport {

    /** One run to report: a MODEL_DIR and, optionally, its evaluation (evaluate --json) and training time. */
    public record Run(String name, Path modelDir, SetEvaluation evaluation) {
    }

    private HtmlReport() {
    }

    public static String render(List<Run> runs) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>danseg report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1300px;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.better{font-weight:bold;color:#075}")
                .append("figure{display:inline-block;margin:6px;text-align:center;font-size:13px}img{border:1px solid #ddd}")
                .append("pre{background:#f7f7f7;padding:8px;font-size:12px;display:inline-block;vertical-align:top;margin-right:1em}")
                .append(".note{color:#555;font-size:14px}</style></head><body>");
        h.append("<h1>danseg report</h1><p class=\"note\">danseg ").append(esc(Version.get())).append(", ")
                .append(LocalDate.now()).append(". Runs: ");
        for (int i = 0; i < runs.size(); i++) {
            h.append(i > 0 ? ", " : "").append("<b>").append(esc(runs.get(i).name())).append("</b> (")
                    .append(esc(runs.get(i).modelDir().toString())).append(")");
        }
        h.append(".</p>");
        metrics(h, runs);
        curves(h, runs);
        overlays(h, runs);
        h.append("<h2>Configuration</h2>");
        for (Run r : runs) {
            Path config = new ModelFolder(r.modelDir()).config();
            h.append("<pre><b>").append(esc(r.name())).append("</b>\n")
                    .append(esc(Files.isRegularFile(config) ? Files.readString(config) : "(no " + config.getFileName() + ")")).append("</pre>");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void metrics(StringBuilder h, List<Run> runs) throws IOException {
        List<Run> evaluated = runs.stream().filter(r -> r.evaluation() != null).toList();
        if (evaluated.isEmpty()) {
            return;
        }
        SetEvaluation first = evaluated.get(0).evaluation();
        h.append("<h2>Test metrics</h2><p class=\"note\">").append(first.images()).append(" images; Dice and IoU pool all pixels, ")
                .append("object metrics pool all objects (GlaS); distances in ").append(esc(first.distanceUnit()))
                .append(". The better value in each row is in bold.</p><table><tr><th>metric</th>");
        for (Run r : evaluated) {
            h.append("<th>").append(esc(r.name())).append("</th>");
        }
        h.append("</tr>");
        row(h, evaluated, "Dice", SetEvaluation::dice, true);
        row(h, evaluated, "IoU", SetEvaluation::iou, true);
        row(h, evaluated, "object F1", SetEvaluation::objectF1, true);
        row(h, evaluated, "object Dice", SetEvaluation::objectDice, true);
        row(h, evaluated, "object Hausdorff", SetEvaluation::objectHausdorff, false);
        row(h, evaluated, "HD95", SetEvaluation::hd95, false);
        h.append("<tr><td>predicted objects (true: ").append(first.truthObjects()).append(")</td>");
        for (Run r : evaluated) {
            h.append("<td>").append(r.evaluation().predObjects()).append("</td>");
        }
        h.append("</tr><tr><td>training time</td>");
        for (Run r : evaluated) {
            h.append("<td>").append(trainingSeconds(r.modelDir()).map(s -> String.format(Locale.ROOT, "%.0f s", s)).orElse("?")).append("</td>");
        }
        h.append("</tr></table>");
    }

    private static void row(StringBuilder h, List<Run> runs, String name, ToDoubleFunction<SetEvaluation> f, boolean higherIsBetter) {
        double best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (Run r : runs) {
            double v = f.applyAsDouble(r.evaluation());
            best = higherIsBetter ? Math.max(best, v) : Math.min(best, v);
        }
        h.append("<tr><td>").append(name).append("</td>");
        for (Run r : runs) {
            double v = f.applyAsDouble(r.evaluation());
            h.append(v == best && runs.size() > 1 ? "<td class=\"better\">" : "<td>").append(String.format(Locale.ROOT, "%.4f", v)).append("</td>");
        }
        h.append("</tr>");
    }

    static Optional<Double> trainingSeconds(Path modelDir) throws IOException {
        Path log = new ModelFolder(modelDir).log();
        if (!Files.isRegularFile(log)) {
            return Optional.empty();
        }
        double[] s = TrainingLog.read(log).column(TrainLogColumn.SECONDS);
        return s.length == 0 ? Optional.empty() : Optional.of(s[s.length - 1]);
    }

    private static void curves(StringBuilder h, List<Run> runs) throws IOException {
        List<Charts.Line> supervised = new ArrayList<>();
        List<Charts.Line> adversarial = new ArrayList<>();
        List<Charts.Line> scores = new ArrayList<>();
        List<Charts.Line> lambda = new ArrayList<>();
        List<Charts.Line> val = new ArrayList<>();
        for (Run r : runs) {
            Path file = new ModelFolder(r.modelDir()).log();
            if (!Files.isRegularFile(file)) {
                continue;
            }
            TrainingLog log = TrainingLog.read(file);
            supervised.add(new Charts.Line(r.name(), log.series(TrainLogColumn.SUPERVISED_LOSS, 20)));
            if (log.has(TrainLogColumn.EN_LOSS)) {
                adversarial.add(new Charts.Line(r.name() + ": EN loss", log.series(TrainLogColumn.EN_LOSS, 20)));
                adversarial.add(new Charts.Line(r.name() + ": adversarial loss", log.series(TrainLogColumn.ADVERSARIAL_LOSS, 20)));
                scores.add(new Charts.Line(r.name() + ": annotated", log.series(TrainLogColumn.EN_SCORE_ANNOTATED, 20)));
                scores.add(new Charts.Line(r.name() + ": unannotated", log.series(TrainLogColumn.EN_SCORE_UNANNOTATED, 20)));
                lambda.add(new Charts.Line(r.name(), log.series(TrainLogColumn.LAMBDA, 1)));
            }
            if (log.has(TrainLogColumn.VAL_DICE)) {
                val.add(new Charts.Line(r.name(), log.series(TrainLogColumn.VAL_DICE, 1)));
            }
        }
        h.append("<h2>Training</h2><p class=\"note\">Losses are moving averages over 20 iterations. EN scores are EN's mean "
                + "output on annotated and unannotated patches: if EN separates them perfectly for long, it judges the images, "
                + "not the segmentations.</p>");
        chart(h, "Supervised loss (annotated patches)", "cross-entropy", supervised);
        chart(h, "EN and adversarial losses", "loss", adversarial);
        chart(h, "EN score", "mean sigmoid output", scores);
        chart(h, "Adversarial weight lambda", "lambda", lambda);
        chart(h, "Validation Dice", "Dice", val);
    }

    private static void chart(StringBuilder h, String title, String yLabel, List<Charts.Line> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        String png = Charts.png(title, yLabel, lines);
        if (png != null) {
            h.append("<figure><img alt=\"").append(esc(title)).append("\" src=\"").append(png).append("\"></figure>");
        }
    }

    private static void overlays(StringBuilder h, List<Run> runs) throws IOException {
        boolean header = false;
        for (Run r : runs) {
            SetEvaluation e = r.evaluation();
            if (e == null || e.truthSource() == null || e.predictionSource() == null) {
                continue;
            }
            Path truthRoot = Path.of(e.truthSource());
            Path imagesDir = truthRoot.resolve("images");
            Path masksDir = Files.isDirectory(truthRoot.resolve("masks")) ? truthRoot.resolve("masks") : truthRoot;
            Path predDir = Path.of(e.predictionSource());
            if (!Files.isDirectory(imagesDir) || !Files.isDirectory(predDir)) {
                continue;
            }
            if (!header) {
                h.append("<h2>Best and worst test images</h2><p class=\"note\">True outlines in green, predicted outlines in magenta; "
                        + "per-image Dice below each image.</p>");
                header = true;
            }
            List<ImageEvaluation> sorted = new ArrayList<>(e.perImage());
            sorted.sort(Comparator.comparingDouble(ImageEvaluation::dice).reversed());
            List<ImageEvaluation> picks = new ArrayList<>(sorted.subList(0, Math.min(2, sorted.size())));
            for (int i = Math.max(picks.size(), sorted.size() - 2); i < sorted.size(); i++) {
                picks.add(sorted.get(i));
            }
            h.append("<h3>").append(esc(r.name())).append("</h3>");
            for (ImageEvaluation ie : picks) {
                Optional<Path> image = find(imagesDir, ie.image());
                Optional<Path> truth = find(masksDir, ie.image());
                Optional<Path> pred = find(predDir, ie.image());
                if (image.isEmpty() || truth.isEmpty() || pred.isEmpty()) {
                    continue;
                }
                Image2D img = ImageFileReader.read(image.get());
                int[] t = MaskInterpreter.interpret(ImageFileReader.readLabels(truth.get()), MaskType.INSTANCE).objects();
                int[] p = MaskInterpreter.interpret(ImageFileReader.readLabels(pred.get()), MaskType.CLASSES).classes();
                // Small tiles are shown enlarged, pixels kept sharp, so outlines stay visible.
                int shown = Math.max(img.width(), Math.min(4 * img.width(), 256));
                h.append("<figure><img style=\"width:").append(shown).append("px;image-rendering:pixelated\" alt=\"").append(esc(ie.image()))
                        .append("\" src=\"").append(Overlay.png(img, t, p))
                        .append("\"><figcaption>").append(esc(ie.image())).append(String.format(Locale.ROOT, ": Dice %.3f", ie.dice()))
                        .append("</figcaption></figure>");
            }
        }
    }

    private static Optional<Path> find(Path dir, String baseName) throws IOException {
        return ImageFiles.list(dir).stream().filter(p -> ImageFiles.baseName(p).equals(baseName)).findFirst();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
