package org.danseg.experiment;

/** One run of the grid. */
public record Cell(ExperimentConfig.Budget budget, ExperimentConfig.Variant variant, String mode, long seed) {

    /** Whether the independent reference, not danseg, trains this cell. */
    public boolean reference() {
        return variant.name().equals(ExperimentConfig.REFERENCE_VARIANT);
    }

    /** The cell's folder name under DIR/cells. */
    public String id() {
        String b = budget.name() != null ? budget.name() : "a" + budget.annotated();
        return b + "_" + variant.name() + "_" + mode + "_s" + seed;
    }
}
