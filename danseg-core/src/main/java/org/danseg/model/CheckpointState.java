package org.danseg.model;

/** Saved with every checkpoint (state.json): where to continue, and the best validation so far. */
public record CheckpointState(int nextIteration, double bestValDice, int bestIteration, double seconds) {

    /** A run that has not started. */
    public static CheckpointState start() {
        return new CheckpointState(0, Double.NaN, -1, 0);
    }
}
