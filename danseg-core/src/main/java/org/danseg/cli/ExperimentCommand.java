package org.danseg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.experiment.CellResult;
import org.danseg.experiment.ExperimentConfig;
import org.danseg.experiment.ExperimentRunner;
import org.danseg.io.OutputGuard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a grid of trainings (label budget x variant x mode x seed) and tabulate DAN against the baseline.",
                "Writes DIR/results.csv, DIR/results.md (mean +- sd over seeds, DAN's paired gain, every cell) and",
                "DIR/results.png after every cell. Rerun the same command to continue: finished cells are skipped,",
                "an interrupted one resumes from its checkpoint. Config format: docs/results.md."})
final class ExperimentCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE.json", description = "The grid (relative paths in it are relative to the file).")
    Path configFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Results directory; an earlier run of the grid there is continued.")
    Path out;

    @Option(names = "--force", description = "Delete DIR's earlier results and start over.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        if (!Files.isRegularFile(configFile)) {
            throw new UserInputException(configFile + ": no such file");
        }
        ExperimentConfig config = ExperimentConfig.read(configFile);
        java.util.function.Predicate<Path> unmarked = dir -> Files.isRegularFile(dir.resolve("experiment.json"));
        if (OutputGuard.checkFolder(out, "--out", OutputGuard.FolderKind.EXPERIMENT, unmarked, force, List.of(configFile))
                == OutputGuard.FolderState.OURS && force) {
            OutputGuard.clear(out, OutputGuard.FolderKind.EXPERIMENT, unmarked);
        }
        OutputGuard.mark(out, OutputGuard.FolderKind.EXPERIMENT);
        PrintWriter stdout = spec.commandLine().getOut();
        Path base = configFile.toAbsolutePath().getParent();
        List<CellResult> results;
        try {
            results = new ExperimentRunner(config, base, out, stdout).run();
        } catch (ExperimentRunner.Stopped stopped) {
            stdout.println(stopped.getMessage());
            stdout.flush();
            return stopped.signal().equals("SIGINT") ? 130 : 143; // as train does
        }
        stdout.printf("%d results from %d cells in %s (results.csv, results.md, results.png)%n",
                results.size(), config.cells().size(), out.toAbsolutePath().normalize());
        stdout.flush();
        return ExitCodes.OK;
    }
}
