package org.danseg.infer;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a slide's prediction spends its wall time, in nanoseconds per stage: the network (tiles to
 * probabilities, with their conversion to and from tensors and flips), reading the slide (decoding
 * and resampling), tissue detection, labels (argmax and the temporary raster), the pyramidal mask
 * and the objects. Blending and the window's own bookkeeping are what the wall time leaves over.
 */
public final class SlideTimes {
    /** The stages measured, in the order they are printed. */
    public enum Stage { NETWORK, READING, TISSUE, LABELS, MASK, OBJECTS }

    private final LongAdder[] nanos = new LongAdder[Stage.values().length];

    public SlideTimes() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new LongAdder();
        }
    }

    public void add(Stage stage, long nanoseconds) {
        nanos[stage.ordinal()].add(nanoseconds);
    }

    public double seconds(Stage stage) {
        return nanos[stage.ordinal()].sum() / 1e9;
    }

    /** One line: each stage's seconds and share of {@code wallSeconds}, and the rest (blending and bookkeeping). */
    public String describe(double wallSeconds) {
        StringBuilder s = new StringBuilder();
        double measured = 0;
        for (Stage stage : Stage.values()) {
            double t = seconds(stage);
            measured += t;
            s.append(String.format(Locale.ROOT, "%s %.1f s (%.0f%%), ", stage.name().toLowerCase(Locale.ROOT), t, 100 * t / wallSeconds));
        }
        double rest = Math.max(0, wallSeconds - measured);
        return s.append(String.format(Locale.ROOT, "blending and the rest %.1f s (%.0f%%)", rest, 100 * rest / wallSeconds)).toString();
    }

    /** {@code network}, with the time it spends added to {@link Stage#NETWORK}. */
    TileNetwork timing(TileNetwork network) {
        return new TileNetwork() {
            @Override
            public int classes() {
                return network.classes();
            }

            @Override
            public int sizeMultiple() {
                return network.sizeMultiple();
            }

            @Override
            public float[] probabilities(ai.djl.ndarray.NDManager manager, float[] tiles, float scale, int count, int channels, int tile, boolean flips) {
                long t0 = System.nanoTime();
                try {
                    return network.probabilities(manager, tiles, scale, count, channels, tile, flips);
                } finally {
                    add(Stage.NETWORK, System.nanoTime() - t0);
                }
            }
        };
    }
}
