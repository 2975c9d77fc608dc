package org.danseg.runtime;

import java.util.Locale;
import org.danseg.io.BadInputException;

/**
 * Whether this process may trust the engine's numbers, decided once by {@link NumericsCheck} before
 * the first network is built, and checked again before each training, prediction and Spark
 * partition. Where the check fails, the cures are tried in order of cost, each verified by the check:
 * channel counts aligned to oneDNN's blocks ({@link Convolutions}: oneDNN 3.5's kernels on a CPU whose
 * cache sizes it misreads are wrong for partial blocks, docs/reliability.md), then oneDNN off
 * ({@link OneDnn}, where the JVM has the foreign linker). One line says which; where nothing cures
 * it, the process refuses with a one-line error.
 *
 * <p>{@code -Ddanseg.onednn=off} switches oneDNN off from the start (to measure what it costs);
 * {@code DANSEG_NUMERICS=ignore} runs on after a failed check, said in the status and provenance.
 */
public final class NumericsGuard {

    /** How the decision went. */
    public enum State {
        /** The check passed as PyTorch was set up. */
        OK,
        /** The check failed as set up and passed with channel counts aligned to oneDNN's blocks. */
        CHANNELS_ALIGNED,
        /** The check failed with oneDNN and passed without it: oneDNN is off for this process. */
        ONEDNN_OFF,
        /** The check failed and the user said to run on anyway (DANSEG_NUMERICS=ignore). */
        IGNORED,
        /** The check failed and nothing cured it: training and prediction refuse. */
        FAILED
    }

    /** The decision and the line that says it ({@code danseg doctor}'s "numerics:" line, the provenance). */
    public record Status(State state, String line) {
        public boolean usable() {
            return state != State.FAILED;
        }
    }

    /** The error of a process that cannot trust its numbers: exit 2, one line. */
    public static final class UnreliableNumericsException extends BadInputException {
        public UnreliableNumericsException(String message) {
            super(message);
        }
    }

    private static Status status;
    private static NumericsCheck.Perturbation perturbation;

    private NumericsGuard() {
    }

    /** The status, deciding it on first use; throws {@link UnreliableNumericsException} where numbers cannot be trusted. */
    public static synchronized Status require() {
        Status s = decide();
        if (!s.usable()) {
            throw new UnreliableNumericsException(s.line().substring("FAILED: ".length()));
        }
        return s;
    }

    /** The check again (milliseconds), before a training, a prediction or a partition: a decision stands only while it holds. */
    public static synchronized Status recheck() {
        if (status != null && status.state() != State.IGNORED) {
            NumericsCheck.Result again = NumericsCheck.run(perturbation);
            if (!again.ok()) {
                status = null; // decide anew: the cure may be needed now, or may no longer work
            }
        }
        return require();
    }

    /** The status without throwing (for {@code danseg doctor}). */
    public static synchronized Status status() {
        return decide();
    }

    /** Test hook: the next decision runs the check with one op perturbed (null: none), from a fresh start (oneDNN on, no alignment). */
    public static synchronized void resetForTest(NumericsCheck.Perturbation p) {
        perturbation = p;
        status = null;
        Convolutions.alignChannels(false);
        if (OneDnn.unavailable() == null) {
            OneDnn.setEnabled(true);
        }
    }

    private static Status decide() {
        if (status != null) {
            return status;
        }
        if ("off".equalsIgnoreCase(System.getProperty("danseg.onednn")) && OneDnn.unavailable() == null) {
            OneDnn.setEnabled(false);
        }
        NumericsCheck.Result first = NumericsCheck.run(perturbation);
        if (first.ok()) {
            status = new Status(State.OK, "ok (" + first.summary() + "; oneDNN " + (OneDnn.enabled() ? "on" : "off") + ")");
            return status;
        }
        String cpu = SystemReport.cpuIdentity();
        String firstFailure = first.failures().get(0) + (first.failures().size() > 1 ? " and " + (first.failures().size() - 1) + " more" : "");
        Convolutions.alignChannels(true);
        NumericsCheck.Result aligned = NumericsCheck.run(perturbation);
        if (aligned.ok()) {
            status = new Status(State.CHANNELS_ALIGNED, String.format(Locale.ROOT,
                    "ok with channel counts aligned to oneDNN's 16-channel blocks (%s): as set up, on %s, %s (docs/reliability.md)",
                    aligned.summary(), cpu, firstFailure));
            System.err.println("danseg: numerics: oneDNN computes wrong results on this CPU (" + cpu + ") for partial channel blocks;"
                    + " aligning channel counts for this run (correct, a little slower)");
            return status;
        }
        Convolutions.alignChannels(false);
        String why = OneDnn.enabled() ? OneDnn.unavailable() : "oneDNN is already off";
        if (why == null) {
            OneDnn.setEnabled(false);
            NumericsCheck.Result second = NumericsCheck.run(perturbation);
            if (second.ok()) {
                status = new Status(State.ONEDNN_OFF, String.format(Locale.ROOT,
                        "ok with oneDNN off (%s): with it on, on %s, %s (PyTorch's own kernels run instead: correct, slower; docs/reliability.md)",
                        second.summary(), cpu, firstFailure));
                System.err.println("danseg: numerics: oneDNN computes wrong results on this CPU (" + cpu + "); switched it off for this run (slower, correct)");
                return status;
            }
            why = "also with oneDNN off: " + second.failures().get(0);
        }
        String failed = String.format(Locale.ROOT, "the numerics check failed on %s: %s (%s); ", cpu, firstFailure, why);
        if ("ignore".equalsIgnoreCase(System.getenv("DANSEG_NUMERICS"))) {
            status = new Status(State.IGNORED, "IGNORED (DANSEG_NUMERICS=ignore): " + failed.substring(0, failed.length() - 2));
            return status;
        }
        String todo = OneDnn.unavailable() != null
                ? "give java " + OneDnn.JVM_FLAGS + " (./danseg: DANSEG_JAVA_OPTS) so danseg can switch oneDNN off, or set DANSEG_NUMERICS=ignore to run anyway"
                : "numbers here cannot be trusted; set DANSEG_NUMERICS=ignore to run anyway";
        status = new Status(State.FAILED, "FAILED: " + failed + todo);
        return status;
    }
}
