package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a network's BatchNorm running statistics unchanged across a training-mode forward pass:
 * EN is frozen during the SN step, yet runs with batch statistics as in its own step (as the
 * paper's networks do); the running averages that pass would update are put back on close.
 */
final class RunningStatistics implements AutoCloseable {
    private final List<NDArray> targets = new ArrayList<>();
    private final List<NDArray> saved = new ArrayList<>();

    RunningStatistics(Block block) {
        for (var pair : block.getParameters()) {
            Parameter p = pair.getValue();
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
                targets.add(p.getArray());
                saved.add(p.getArray().duplicate());
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < targets.size(); i++) {
            InPlace.copy(saved.get(i), targets.get(i));
            saved.get(i).close();
        }
    }
}
