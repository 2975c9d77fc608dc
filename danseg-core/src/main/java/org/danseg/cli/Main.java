package org.danseg.cli;

import java.io.PrintWriter;
import org.danseg.data.DatasetException;
import org.danseg.runtime.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code danseg} command: subcommands, and the one place that turns failures into exit codes. */
@Command(name = "danseg", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Semi-supervised biomedical image segmentation with Deep Adversarial Networks (DAN).",
        subcommands = {DemoCommand.class, SynthCommand.class, TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
                ReportCommand.class, ExportCommand.class, ExperimentCommand.class, BenchCommand.class, DeriveLabelsCommand.class, SlideDatasetCommand.class, DoctorCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:runtime failure", "2:usage error or bad input", "130:training stopped by Ctrl-C (resume with --resume)",
                "143:training stopped by SIGTERM (resume with --resume)"})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs danseg in-process and returns its exit code. */
    public static int run(String... args) {
        try {
            return commandLine().execute(args);
        } catch (Throwable e) {
            // Errors (a native library that fails to load, out of memory) bypass picocli's handler.
            System.err.println("danseg: error: " + e);
            if (System.getenv("DANSEG_DEBUG") != null) {
                e.printStackTrace();
            }
            return ExitCodes.FAILURE;
        }
    }

    /** Runs danseg in-process with its output captured (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("danseg: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.BAD_INPUT;
        });
        return cli;
    }

    static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof DatasetException de) {
            err.println("danseg: " + de.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        // Only input problems blame the user; anything else (an engine failure, a bug) is danseg's and exits 1.
        if (ex instanceof org.danseg.io.BadInputException || ex instanceof org.danseg.io.ImageFormatException) {
            err.println("danseg: " + ex.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("danseg: error: " + message);
        if (System.getenv("DANSEG_DEBUG") != null) {
            ex.printStackTrace(err);
        } else {
            err.println("(set DANSEG_DEBUG=1 for the stack trace)");
        }
        return ExitCodes.FAILURE;
    }

    /** Plain {@code danseg}: no command given is a usage error, so scripts do not mistake it for success. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_INPUT;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"danseg " + Version.get()};
        }
    }
}
