package org.danseg.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.danseg.runtime.Convolutions;

/**
 * DJL's 2D convolution block, run through {@link Convolutions} (channel counts aligned where the
 * numerics guard requires it). Named Conv2d on purpose: SequentialBlock names its children by class
 * name, so saved models' parameter names ("01Conv2d_weight") stay what they were.
 */
public final class Conv2d extends ai.djl.nn.convolutional.Conv2d {

    private Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
        super(builder);
    }

    /** The block {@code builder} describes, with danseg's forward pass. */
    public static Conv2d of(ai.djl.nn.convolutional.Conv2d.Builder builder) {
        return new Conv2d(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        NDArray w = ps.getValue(weight, device, training);
        NDArray b = bias == null ? null : ps.getValue(bias, device, training);
        if (groups != 1) {
            throw new IllegalStateException("danseg's networks use ungrouped convolutions only");
        }
        return new NDList(Convolutions.conv2d(input, w, b, stride, padding, dilation));
    }
}
