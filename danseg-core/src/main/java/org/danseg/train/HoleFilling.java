package org.danseg.train;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the holes of a label map: background regions that no path of edge-adjacent background
 * pixels joins to the map's border (the background's 4-connectivity pairs with objects'
 * 8-connectivity, so a ring closed only at a corner still encloses its inside). Each hole takes the
 * class most of its bordering pixels have. A prior, not a measurement: {@code --fill-holes} applies
 * it to pseudo-labels (off by default); {@link #hasHoles} is the test an automatic rule would use
 * (fill only where no annotated object has a hole), not yet wired.
 */
final class HoleFilling {

    private HoleFilling() {
    }

    /** The pixels {@link #fill} would change: true where a hole is. */
    static boolean[] holes(int[] labels, int height, int width) {
        boolean[] outside = new boolean[labels.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if ((y == 0 || x == 0 || y == height - 1 || x == width - 1) && labels[i] == 0) {
                    outside[i] = true;
                    queue.add(i);
                }
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            int y = i / width;
            int x = i % width;
            if (y > 0) {
                visit(labels, outside, queue, i - width);
            }
            if (y < height - 1) {
                visit(labels, outside, queue, i + width);
            }
            if (x > 0) {
                visit(labels, outside, queue, i - 1);
            }
            if (x < width - 1) {
                visit(labels, outside, queue, i + 1);
            }
        }
        boolean[] hole = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            hole[i] = labels[i] == 0 && !outside[i];
        }
        return hole;
    }

    private static void visit(int[] labels, boolean[] seen, ArrayDeque<Integer> queue, int i) {
        if (!seen[i] && labels[i] == 0) {
            seen[i] = true;
            queue.add(i);
        }
    }

    /**
     * Whether any pixel annotated as background is enclosed by annotated objects. Unannotated
     * ({@code ignore}) pixels are open ground: they neither close a ring nor count as a hole.
     */
    static boolean hasHoles(int[] labels, int height, int width, int ignore) {
        int[] walls = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            walls[i] = labels[i] == 0 || labels[i] == ignore ? 0 : 1;
        }
        boolean[] enclosed = holes(walls, height, width);
        for (int i = 0; i < labels.length; i++) {
            if (enclosed[i] && labels[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** A copy of {@code labels} with every hole given the class most of its bordering pixels carry (ties: the lower class). */
    static int[] fill(int[] labels, int height, int width, int classes) {
        boolean[] hole = holes(labels, height, width);
        int[] out = labels.clone();
        boolean[] done = new boolean[labels.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        List<Integer> region = new ArrayList<>();
        for (int start = 0; start < labels.length; start++) {
            if (!hole[start] || done[start]) {
                continue;
            }
            int[] votes = new int[classes];
            region.clear();
            done[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                region.add(i);
                int y = i / width;
                int x = i % width;
                int[] next = {y > 0 ? i - width : -1, y < height - 1 ? i + width : -1, x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1};
                for (int j : next) {
                    if (j < 0) {
                        continue;
                    }
                    if (hole[j]) {
                        if (!done[j]) {
                            done[j] = true;
                            queue.add(j);
                        }
                    } else if (labels[j] > 0 && labels[j] < classes) {
                        votes[labels[j]]++;
                    }
                }
            }
            int best = 1;
            for (int c = 2; c < classes; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            for (int i : region) {
                out[i] = best;
            }
        }
        return out;
    }
}
