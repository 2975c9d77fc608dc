package org.danseg.model;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.danseg.io.FileReads;
import org.danseg.runtime.ComputeDevice;
import org.danseg.runtime.NumericsGuard;
import org.danseg.runtime.SystemReport;
import org.danseg.runtime.Version;

/** How a model was made: MODEL_DIR/provenance.json. */
public record Provenance(String danseg, String gitCommit, long seed, String started, String finished,
                         Machine machine, List<DataFile> data) {

    /**
     * {@code device}: where the networks ran, "cpu" or "gpu0"; {@code cpu}: model name, family and model; {@code numerics}:
     * the numerics self-check's verdict ("ok (...)", "ok with oneDNN off (...)"). Each is absent in models made before it was recorded.
     */
    public record Machine(String host, String os, String java, int cores, String device, String cpu, String numerics) {
    }

    /** A file training read: its role (annotated-image, annotated-mask, unannotated-image, val-image, val-mask) and hash. */
    public record DataFile(String role, String path, String sha256) {
    }

    public static Provenance start(long seed, List<DataFile> data) {
        return new Provenance(Version.get(), currentGitCommit(), seed, Instant.now().toString(), null, currentMachine(), data);
    }

    public Provenance finish() {
        return new Provenance(danseg, gitCommit, seed, started, Instant.now().toString(), machine, data);
    }

    public static DataFile file(String role, Path p) throws IOException {
        return new DataFile(role, p.toAbsolutePath().normalize().toString(), FileReads.sha256(p));
    }

    private static Machine currentMachine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new Machine(host, System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ComputeDevice.describe(ComputeDevice.current()), SystemReport.cpuIdentity(), NumericsGuard.status().line());
    }

    /** The commit of the danseg checkout the code runs from, when it is a git checkout. */
    private static String currentGitCommit() {
        try {
            Path code = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Process p = new ProcessBuilder("git", "-C", code.getParent().toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
