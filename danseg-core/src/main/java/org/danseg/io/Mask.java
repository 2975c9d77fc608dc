package org.danseg.io;

/**
 * An interpreted mask: per-pixel class (0 = background) and per-pixel object id (0 = none,
 * 1..objectCount), which object-level metrics use. Objects are the file's instances for
 * {@link MaskType#INSTANCE} and 8-connected components of the foreground otherwise.
 */
public record Mask(int width, int height, int[] classes, int[] objects, int objectCount, PixelSpacing spacing) {

    public Mask {
        if (classes.length != width * height || objects.length != width * height) {
            throw new IllegalArgumentException("mask arrays do not match " + height + "x" + width);
        }
    }

    public boolean[] foreground() {
        boolean[] fg = new boolean[classes.length];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = classes[i] != 0;
        }
        return fg;
    }

    public boolean[] classMask(int k) {
        boolean[] m = new boolean[classes.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = classes[i] == k;
        }
        return m;
    }

    public int maxClass() {
        int max = 0;
        for (int c : classes) {
            max = Math.max(max, c);
        }
        return max;
    }
}
