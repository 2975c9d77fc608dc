package org.danseg.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cell of the independent reference ({@code ssl_anchor.py DATA MODE BUDGET SEED ITERS}, plain PyTorch) on
 * exactly the annotated images, unannotated images, test images and seed of danseg's cells beside it. The script
 * reads a folder laid out as danseg synth writes it and takes its first BUDGET annotated images, so each cell gets
 * DIR/data/reference-N-seedS: links to the cell's annotated subset, the unannotated images and the test set.
 * The script prints one JSON line with the pooled test Dice; it writes no predictions, so object metrics stay NaN.
 */
final class ReferenceRun {

    /** The reference's name for each danseg mode it implements. */
    static final Map<String, String> MODES = Map.of("supervised", "sup", "fixmatch", "fixmatch", "mean-teacher", "mt");

    private final Path python;
    private final Path script;
    private final int iterations;
    private final int threads;

    ReferenceRun(Path python, Path script, int iterations, int threads) {
        this.python = python;
        this.script = script;
        this.iterations = iterations;
        this.threads = threads;
    }

    /** Whether the Python was asked yet, and why it cannot run the script (null: it can). */
    private boolean asked;
    private String unavailable;

    /** Null when the Python runs and imports what the script needs; else why not, in one line. Asked once. */
    String unavailable() throws InterruptedException {
        if (!asked) {
            try {
                Process p = new ProcessBuilder(python.toString(), "-c", "import torch, numpy, PIL").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                unavailable = p.waitFor() == 0 ? null : python + " cannot import torch, numpy and PIL";
            } catch (IOException e) {
                unavailable = python + ": cannot run (" + e.getMessage() + ")";
            }
            asked = true;
        }
        return unavailable;
    }

    /** What identifies a finished reference cell: rerun only when one of these changes (as text: they are compared after a JSON round trip). */
    Map<String, Object> settings(String mode, long seed, List<String> annotated) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", script.getFileName().toString());
        m.put("referenceSha256", sha256(script));
        m.put("mode", mode);
        m.put("iterations", Integer.toString(iterations));
        m.put("seed", Long.toString(seed));
        m.put("annotatedImages", String.join(";", annotated));
        return m;
    }

    /** Links the cell's data into {@code data} and runs the script; its output and log are kept in {@code dir}. */
    Result run(String mode, int budget, long seed, Path annotated, Path unannotated, Path test, Path data, Path dir)
            throws IOException, InterruptedException {
        link(data.resolve("annotated"), annotated);
        link(data.resolve("unannotated"), unannotated);
        link(data.resolve("test"), test);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(), data.toString(), MODES.get(mode),
                Integer.toString(budget), Long.toString(seed), Integer.toString(iterations)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("reference.out").toFile())
                .redirectError(dir.resolve("reference.log").toFile());
        pb.environment().put("THREADS", Integer.toString(threads));
        pb.environment().put("PYTHONUNBUFFERED", "1");
        Process p = pb.start();
        // A stopped experiment must not leave the script training on behind it.
        Thread reaper = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
        int exit;
        try {
            exit = p.waitFor();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        String out = Files.readString(dir.resolve("reference.out"), StandardCharsets.UTF_8).strip();
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
        if (exit != 0 || !last.startsWith("{")) {
            throw new IOException(String.join(" ", command) + " failed (exit " + exit + "); see " + dir.resolve("reference.log"));
        }
        JsonNode r = ExperimentConfig.JSON.readTree(last);
        if (!r.hasNonNull("dice") || !r.hasNonNull("seconds")) {
            throw new IOException(dir.resolve("reference.out") + ": the reference's last line has no dice or seconds: " + last);
        }
        return new Result(r.get("dice").asDouble(), r.path("mean_image_dice").asDouble(Double.NaN), r.get("seconds").asDouble());
    }

    /** The reference's pooled test Dice, its mean per-image Dice and its training time. */
    record Result(double dice, double meanImageDice, double seconds) {
    }

    private static void link(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link)) {
            if (Files.readSymbolicLink(link).equals(target)) {
                return;
            }
            Files.delete(link);
        }
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
