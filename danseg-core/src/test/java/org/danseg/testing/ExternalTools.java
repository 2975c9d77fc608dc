package org.danseg.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Third-party programs the independent checks run (libvips, OpenSlide, Debian's python3): present, or skipped loudly, or failed under CI. */
public final class ExternalTools {
    public static final String PYTHON = "/usr/bin/python3";

    private ExternalTools() {
    }

    /** Whether the command runs and exits 0. */
    public static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Skips the test with {@code what} unless {@code present}; under DANSEG_REQUIRE_REFERENCE=1 (.ci/run) fails instead. */
    public static void require(boolean present, String what) {
        if (!present) {
            if ("1".equals(System.getenv("DANSEG_REQUIRE_REFERENCE"))) {
                fail(what);
            }
            Assumptions.abort("SKIPPED: " + what);
        }
    }

    /** Runs a command, failing the test with its output unless it exits 0 within two minutes; returns its output. */
    public static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd.subList(0, Math.min(2, cmd.size()))) + " failed: " + out);
        }
        return out;
    }

    public static String vips(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("vips"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }
}
