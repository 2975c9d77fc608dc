package org.danseg.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.danseg.runtime.SystemReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check that danseg can run here: version, Java, the PyTorch engine (offline), threads, CPU features, memory.")
final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SystemReport report = SystemReport.collect();
        int width = report.facts().keySet().stream().mapToInt(String::length).max().orElse(10);
        for (Map.Entry<String, String> e : report.facts().entrySet()) {
            if (!e.getKey().equals("numerics")) {
                out.printf("%-" + width + "s  %s%n", e.getKey(), e.getValue());
            }
        }
        // Its own line, "numerics: ok ...", for scripts and bug reports to grep.
        if (report.facts().containsKey("numerics")) {
            out.println("numerics: " + report.facts().get("numerics"));
        }
        report.warnings().forEach(w -> out.println("warning: " + w));
        report.problems().forEach(p -> out.println("problem: " + p));
        out.println(report.verdict());
        out.flush();
        return report.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
