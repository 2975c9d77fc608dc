package org.danseg.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --shard K/N}: the K-th of N disjoint parts of a sorted input list (inputs K-1, K-1+N,
 * K-1+2N, ...), so the N tasks of a scheduler's array job cover a collection exactly once.
 */
record Shard(int k, int n) {

    static final Shard ALL = new Shard(1, 1);

    Shard {
        if (n < 1 || k < 1 || k > n) {
            throw new UserInputException("--shard must be K/N with 1 <= K <= N, not " + k + "/" + n);
        }
    }

    static Shard parse(String text) {
        if (text == null) {
            return ALL;
        }
        String[] parts = text.split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserInputException("--shard must be K/N (e.g. 2/8, from $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT), not " + text);
    }

    /** This shard's part of {@code sorted} (the caller sorts, so every task sees the same order). */
    <T> List<T> of(List<T> sorted) {
        List<T> mine = new ArrayList<>();
        for (int i = k - 1; i < sorted.size(); i += n) {
            mine.add(sorted.get(i));
        }
        return mine;
    }
}
