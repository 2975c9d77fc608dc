package org.danseg.io;

import java.util.Arrays;
import java.util.BitSet;

/** A single-channel integer image as stored in a mask file, before any interpretation of its values. */
public record LabelMap(int width, int height, int[] labels, PixelSpacing spacing) {

    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad mask shape " + height + "x" + width);
        }
        if (labels.length != width * height) {
            throw new IllegalArgumentException("label count " + labels.length + " does not match " + height + "x" + width);
        }
    }

    public static LabelMap empty(int width, int height) {
        return new LabelMap(width, height, new int[width * height], PixelSpacing.UNIT);
    }

    public int get(int x, int y) {
        return labels[y * width + x];
    }

    /** Distinct values in ascending order. */
    public int[] distinctValues() {
        int max = 0;
        for (int v : labels) {
            if (v < 0) {
                return Arrays.stream(labels).distinct().sorted().toArray();
            }
            max = Math.max(max, v);
        }
        BitSet seen = new BitSet(max + 1);
        for (int v : labels) {
            seen.set(v);
        }
        return seen.stream().toArray();
    }

    public int maxValue() {
        int max = Integer.MIN_VALUE;
        for (int v : labels) {
            max = Math.max(max, v);
        }
        return max;
    }
}
