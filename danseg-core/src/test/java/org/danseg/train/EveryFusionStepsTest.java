package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.danseg.nn.Fusion;
import org.danseg.nn.SnArchitecture;
import org.danseg.testing.TinySetup;
import org.junit.jupiter.api.Test;

/**
 * One DAN iteration runs with every fusion, with and without the balanced gradient. The paper's
 * plain step with MASK fusion used to release SN's probabilities while they were still needed
 * ("Native resource has been released already"), so {@code --mode paper --fusion mask} crashed at
 * its first adversarial iteration.
 */
class EveryFusionStepsTest {

    @Test
    void anAdversarialIterationRunsWithEveryFusion() {
        for (Fusion fusion : Fusion.values()) {
            for (boolean balance : new boolean[] {false, true}) {
                try (TinySetup t = new TinySetup(SnArchitecture.DAN_FCN, fusion, 32, 1e-3, balance); NDManager it = t.manager.newSubManager()) {
                    StepResult r = t.steps.adversarial(t.batch(0, 2, 2), it, 0.5);
                    assertThat(t.snOpt.skippedSteps() + t.enOpt.skippedSteps()).as("steps skipped for non-finite gradients, " + fusion + " balance " + balance).isZero();
                    assertThat(r.foregroundFraction()).as(fusion + " balance " + balance).isBetween(0.0, 1.0);
                    assertThat(r.scoreAnnotated()).as(fusion + " balance " + balance).isBetween(0.0, 1.0);
                }
            }
        }
    }
}
