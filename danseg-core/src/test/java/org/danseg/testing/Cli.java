package org.danseg.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.danseg.cli.Main;

/** Runs the danseg CLI in-process and keeps what it printed. */
public record Cli(int exitCode, String out, String err) {

    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }
}
