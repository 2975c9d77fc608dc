package org.danseg.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import java.util.Map;
import org.danseg.data.Batch;
import org.danseg.model.Checkpoint;

/**
 * One training recipe's work on one batch: the supervised step (pre-training and the whole of
 * --mode supervised) and the semi-supervised step that uses the unannotated patches too.
 */
interface TrainingSteps {

    StepResult supervised(Batch b, NDManager it);

    StepResult semiSupervised(Batch b, NDManager it, double lambda);

    /** Whether the semi-supervised step needs the strong views of the unannotated patches. */
    default boolean needsStrongViews() {
        return false;
    }

    /** Networks besides SN and EN that a checkpoint must hold. */
    default Map<Checkpoint.Network, AbstractBlock> extraNetworks() {
        return Map.of();
    }
}
