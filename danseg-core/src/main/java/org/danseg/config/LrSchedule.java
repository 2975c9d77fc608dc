package org.danseg.config;

/** SN's learning rate over a run: constant, or poly: lr * (1 - iteration/iterations)^0.9. */
public enum LrSchedule {
    CONSTANT, POLY;

    /** The learning rate at {@code iteration} of {@code iterations}. */
    public double at(double lr, int iteration, int iterations) {
        return this == POLY ? lr * Math.pow(1.0 - (double) iteration / iterations, 0.9) : lr;
    }
}
