package org.danseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.config.Mode;
import org.danseg.config.Setting;
import org.danseg.config.TrainConfig;
import org.danseg.io.AtomicFiles;
import org.danseg.metrics.SetEvaluation;
import org.danseg.model.ModelFolder;
import org.danseg.report.EvaluationJson;
import org.danseg.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a self-contained HTML report of one or more trained models.",
                "Metrics side by side (from evaluate --json files, paired with the models in order), training curves,",
                "contour overlays of the best and worst images, and each run's configuration."})
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A trained model (repeatable).")
    List<Path> models;

    @Option(names = "--eval", paramLabel = "FILE.json", description = "evaluate --json output for the model of the same position (repeatable).")
    List<Path> evals = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "The report.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing report.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (evals.size() > models.size()) {
            throw new UserInputException("more --eval files (" + evals.size() + ") than --model directories (" + models.size() + ")");
        }
        List<Path> inputs = new ArrayList<>(models);
        inputs.addAll(evals);
        org.danseg.io.OutputGuard.checkFile(out, "--out", force, inputs, ".html", ".htm");
        List<HtmlReport.Run> runs = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Path m = models.get(i);
            ModelFolder folder = new ModelFolder(m);
            if (!Files.isRegularFile(folder.config())) {
                throw new UserInputException(m + ": not a danseg model directory (no " + folder.config().getFileName() + ")");
            }
            TrainConfig c = folder.readConfig();
            SetEvaluation e = null;
            if (i < evals.size()) {
                try {
                    e = EvaluationJson.read(evals.get(i));
                } catch (java.io.IOException ex) {
                    throw new UserInputException(evals.get(i) + ": not an evaluate --json file (" + ex.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
            String name = (c.recipe().mode() == Mode.SUPERVISED ? "baseline" : Setting.id(c.recipe().mode())) + " (" + m.getFileName() + ")";
            runs.add(new HtmlReport.Run(name, m, e));
        }
        AtomicFiles.writeString(out, HtmlReport.render(runs));
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
