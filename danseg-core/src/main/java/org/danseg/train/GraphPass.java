package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;

/**
 * A network's training-mode forward pass that keeps only its output. The Java handles of the
 * layers' intermediate arrays are released at once (the autograd graph holds what backward needs),
 * so backward frees each saved activation as it goes, as PyTorch does; kept to the end of the
 * iteration, they all stayed alive through every backward pass.
 */
final class GraphPass {

    private GraphPass() {
    }

    static NDArray forward(AbstractBlock net, ParameterStore store, NDArray input) {
        NDManager outer = input.getManager();
        try (NDManager pass = outer.newSubManager()) {
            input.attach(pass); // the layers' outputs follow their input's manager
            NDArray out = net.forward(store, new NDList(input), true).singletonOrThrow();
            out.attach(outer);
            // The input goes back to its owner: it may be an array the caller still uses (MASK
            // fusion passes SN's probabilities themselves), which closing the pass used to release.
            input.attach(outer);
            return out;
        }
    }
}
