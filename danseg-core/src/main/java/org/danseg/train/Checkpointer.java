package org.danseg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.danseg.io.ImageFormatException;
import org.danseg.model.Checkpoint;
import org.danseg.model.CheckpointState;
import org.danseg.model.ModelFolder;
import org.danseg.nn.NetworkPair;
import org.danseg.nn.WeightFiles;

/**
 * Saves and restores everything a run needs to continue: every network's weights, both
 * optimizers' state and the loop's {@link CheckpointState}, through {@link ModelFolder}'s
 * crash-safe swap. Refuses to save non-finite weights.
 */
final class Checkpointer {
    private final ModelFolder dir;
    private final Map<Checkpoint.Network, AbstractBlock> networks = new LinkedHashMap<>();
    private final Adam snOptimizer;
    private final Adam enOptimizer;
    private final String description;

    /** {@code description} names the network in messages about a checkpoint that does not fit (e.g. "dan-fcn with width 16"). */
    Checkpointer(ModelFolder dir, NetworkPair nets, Adam snOptimizer, Adam enOptimizer, Map<Checkpoint.Network, AbstractBlock> extra, String description) {
        this.dir = dir;
        // Extra networks first: the order the files were always written and read in.
        this.networks.putAll(extra);
        this.networks.put(Checkpoint.Network.SN, nets.sn());
        this.networks.put(Checkpoint.Network.EN, nets.en());
        this.snOptimizer = snOptimizer;
        this.enOptimizer = enOptimizer;
        this.description = description;
    }

    /** Whether every network's weights and statistics are finite (the condition for saving). */
    boolean weightsFinite() {
        return networks.values().stream().allMatch(Checkpointer::finite);
    }

    /** Whether SN's weights are finite (a non-finite loss with finite weights is a transient fault). */
    boolean snFinite() {
        return finite(networks.get(Checkpoint.Network.SN));
    }

    static boolean finite(Block net) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            for (var p : net.getParameters()) {
                // A sum is finite only if every element is.
                if (!Float.isFinite(p.getValue().getArray().sum().getFloat())) {
                    return false;
                }
            }
            return true;
        }
    }

    void save(String name, CheckpointState state) throws IOException {
        dir.saveCheckpoint(name, c -> {
            for (var n : networks.entrySet()) {
                try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(c.weights(n.getKey())))) {
                    n.getValue().saveParameters(out);
                }
            }
            Files.write(c.optimizer(Checkpoint.Network.SN), snOptimizer.encodedState());
            Files.write(c.optimizer(Checkpoint.Network.EN), enOptimizer.encodedState());
            c.writeState(state);
        });
    }

    /** Restores the last checkpoint into the networks and optimizers; every damaged file is named. */
    CheckpointState loadLast(NDManager root, int iterations) throws IOException {
        Checkpoint c = dir.checkpoint(ModelFolder.LAST);
        for (var n : networks.entrySet()) {
            String what = n.getKey() == Checkpoint.Network.EN ? "EN for " + description : description;
            WeightFiles.load(n.getValue(), root, c.weights(n.getKey()), what);
        }
        // Loaded arrays replace the parameters' arrays without gradient tracking: switch it back on.
        snOptimizer.freeze(false);
        enOptimizer.freeze(false);
        try (NDManager tmp = root.newSubManager()) {
            restore(tmp, snOptimizer, c.optimizer(Checkpoint.Network.SN));
            restore(tmp, enOptimizer, c.optimizer(Checkpoint.Network.EN));
        }
        return c.readState(iterations);
    }

    private static void restore(NDManager tmp, Adam optimizer, Path file) throws ImageFormatException {
        try {
            optimizer.restore(NDList.decode(tmp, Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged optimizer state (" + e.getMessage() + ")");
        }
    }
}
