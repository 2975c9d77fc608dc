package org.danseg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * How EN sees an image I (C channels, scaled to [0, 1]) and SN's probability map P (K classes).
 * {@code STACK}: (I, P), C + K channels. {@code PRODUCT}: for every class k, I*P_k and (1-I)*P_k,
 * 2*C*K channels; the second half keeps information where image values are low. {@code MASK}: P
 * alone, K channels: EN judges the shape of a segmentation and cannot recognise an annotated image
 * by its content (with a handful of annotated images that is otherwise EN's easiest cue).
 */
public enum Fusion {
    STACK, PRODUCT, MASK;

    public int channels(int imageChannels, int classes) {
        return switch (this) {
            case STACK -> imageChannels + classes;
            case PRODUCT -> 2 * imageChannels * classes;
            case MASK -> classes;
        };
    }

    /** EN's input for an image and a probability map; for MASK the map itself, not a copy. */
    public NDArray fuse(NDArray image01, NDArray prob) {
        if (this == MASK) {
            return prob;
        }
        if (this == STACK) {
            return NDArrays.concat(new NDList(image01, prob), 1);
        }
        NDArray inverse = image01.neg().add(1f);
        NDList parts = new NDList();
        long k = prob.getShape().get(1);
        for (long c = 0; c < k; c++) {
            NDArray p = prob.get(new NDIndex(":, {}:{}", c, c + 1));
            parts.add(image01.mul(p));
            parts.add(inverse.mul(p));
        }
        return NDArrays.concat(parts, 1);
    }

}
