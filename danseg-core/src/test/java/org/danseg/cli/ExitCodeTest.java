package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.danseg.io.BadInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only the user's mistakes exit 2; an engine failure or a bug exits 1 and says it is danseg's error. */
class ExitCodeTest {

    private static String[] handle(Exception e) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = Main.handle(e, cli, null);
        cli.getErr().flush();
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void inputProblemsExit2() {
        assertThat(handle(new BadInputException("--width must be in 1..256"))[0]).isEqualTo("2");
        assertThat(handle(new UserInputException("--tile must be ..."))[0]).isEqualTo("2");
        assertThat(handle(new org.danseg.io.ImageFormatException(java.nio.file.Path.of("a.png"), "truncated"))[0]).isEqualTo("2");
    }

    @Test
    void anythingElseIsDansegsFailure() {
        // PyTorch reports a shape mismatch in a network as an IllegalArgumentException-like engine error:
        // that is not the user's input, whatever its Java type.
        String[] bug = handle(new IllegalArgumentException("Given input size: (8x1x1). Calculated output size: (8x0x0)"));
        assertThat(bug[0]).isEqualTo("1");
        assertThat(bug[1]).startsWith("danseg: error: ").contains("DANSEG_DEBUG");
        assertThat(handle(new IllegalStateException("Native resource has been released already."))[0]).isEqualTo("1");
    }
}
