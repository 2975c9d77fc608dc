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
                // Every attempt must run; PyTorch's occasional NaN (docs/training.md) can spoil an
                // attempt's numbers, so one of up to five must give finite ones.
                boolean finite = false;
                for (int attempt = 0; attempt < 5 && !finite; attempt++) {
                    try (TinySetup t = new TinySetup(SnArchitecture.DAN_FCN, fusion, 32, 1e-3, balance); NDManager it = t.manager.newSubManager()) {
                        StepResult r = t.steps.adversarial(t.batch(attempt, 2, 2), it, 0.5);
                        finite = Double.isFinite(r.scoreAnnotated()) && Double.isFinite(r.foregroundFraction())
                                && t.snOpt.skippedSteps() + t.enOpt.skippedSteps() == 0;
                        if (finite) {
                            assertThat(r.foregroundFraction()).as(fusion + " balance " + balance).isBetween(0.0, 1.0);
                            assertThat(r.scoreAnnotated()).as(fusion + " balance " + balance).isBetween(0.0, 1.0);
                        }
                    }
                }
                assertThat(finite).as("an attempt with finite numbers, " + fusion + " balance " + balance).isTrue();
            }
        }
    }
}
