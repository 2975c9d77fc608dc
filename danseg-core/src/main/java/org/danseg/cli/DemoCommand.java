package org.danseg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.demo.Demo;
import org.danseg.io.OutputGuard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job on built-in data: the baseline and the DAN recipes, side by side, with an HTML report.",
                "Generates a synthetic dataset (4 annotated images, 60 unannotated), trains the SN-only baseline, the paper's recipe",
                "and the default (dan) on the same split and seed, evaluates them on held-out test images, prints a table and writes",
                "DIR/report.html (about 13 minutes on 2 cores).",
                "Exits 1 when the baseline's test Dice is below the demo's floor (0.85; --quick: 0.6): its model does not segment."})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "danseg-demo", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Small data and networks: under a minute (a smoke test, not a result).")
    boolean quick;

    @Option(names = "--force", description = "Replace an existing non-empty output directory.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        java.util.function.Predicate<Path> unmarked = dir -> Files.isRegularFile(dir.resolve("data/synth.json"));
        if (OutputGuard.checkFolder(out, "--out", OutputGuard.FolderKind.DEMO, unmarked, force, List.of()) == OutputGuard.FolderState.OURS) {
            if (!force) {
                throw new UserInputException(out + ": already holds a demo (use --force to replace it)");
            }
            OutputGuard.clear(out, OutputGuard.FolderKind.DEMO, unmarked);
        }
        OutputGuard.mark(out, OutputGuard.FolderKind.DEMO);
        PrintWriter stdout = spec.commandLine().getOut();
        Demo.Settings settings = quick ? Demo.Settings.quick() : Demo.Settings.full();
        List<Demo.Result> results = Demo.run(settings, out, stdout);
        stdout.println();
        stdout.print(Demo.table(results));
        stdout.println("report: " + out.resolve("report.html").toAbsolutePath().normalize());
        stdout.flush();
        String failure = Demo.belowFloor(settings, results);
        if (failure != null) {
            spec.commandLine().getErr().println("danseg demo: " + failure);
            spec.commandLine().getErr().flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
