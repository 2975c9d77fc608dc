package org.danseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.danseg.config.CutMixSource;
import org.danseg.data.CutMixBox;

/**
 * The weak/strong pseudo-labelling part shared by the FixMatch-style recipes: pseudo-labels from
 * SN's inference-mode prediction on the weak views, CutMix of the strong views and of everything
 * that belongs to them pixel for pixel, and the weighted cross-entropy on the strong views.
 * Pseudo-labels are made from images only: no label file reaches them (a test checks this).
 */
final class PseudoLabelling {

    private PseudoLabelling() {
    }

    /** SN's softmax on the weak views, its hard labels (one-hot) and its confidence (U, 1, P, P); no graph. */
    record Weak(NDArray prob, NDArray labels, NDArray confidence) {
    }

    /**
     * Inference mode (running statistics), as SN will predict and as FixMatch does: the weak
     * views' batch statistics would couple the pseudo-labels of the patches drawn together.
     */
    static Weak predict(SnSupervision snSide, NDArray weak01, boolean fillHoles) {
        NDArray prob = snSide.predict(weak01).softmax(1);
        NDArray confidence = prob.max(new int[] {1}, true);
        NDArray labels = prob.eq(confidence).toType(DataType.FLOAT32, false);
        Weak weak = new Weak(prob, labels, confidence);
        return fillHoles ? fillHoles(weak) : weak;
    }

    /**
     * The weak views' pseudo-labels with their holes filled ({@link HoleFilling}) and those pixels
     * trusted (confidence 1): where no annotated object has a hole, a ring SN draws around an object's
     * pale inside says "object here" more surely than its confident "background" inside the ring.
     * SN's softmax (what EN judges) is left as it was.
     */
    private static Weak fillHoles(Weak weak) {
        Shape shape = weak.labels().getShape();
        int u = (int) shape.get(0);
        int k = (int) shape.get(1);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        int plane = h * w;
        int[] hard = weak.labels().argMax(1).toType(DataType.INT32, false).toIntArray();
        float[] oneHot = new float[u * k * plane];
        float[] confidence = weak.confidence().toFloatArray();
        for (int n = 0; n < u; n++) {
            int[] patch = Arrays.copyOfRange(hard, n * plane, (n + 1) * plane);
            int[] filled = HoleFilling.fill(patch, h, w, k);
            for (int i = 0; i < plane; i++) {
                oneHot[(n * k + filled[i]) * plane + i] = 1f;
                if (filled[i] != patch[i]) {
                    confidence[n * plane + i] = 1f;
                }
            }
        }
        NDManager m = weak.labels().getManager();
        return new Weak(weak.prob(), owned(m, oneHot, shape), owned(m, confidence, weak.confidence().getShape()));
    }

    /** A tensor in PyTorch's memory: Java-backed ones must not enter an autograd graph (DJL_NOTES). */
    private static NDArray owned(NDManager m, float[] values, Shape shape) {
        try (NDArray java = m.create(values, shape)) {
            return java.duplicate();
        }
    }

    /**
     * Patch {@code i} of {@code x} (U, C, P, P) with the box's pixels taken from patch
     * {@code partner[i]}; the same function mixes images, pseudo-labels and weights, so all three
     * agree on every pixel. Built from slices and one mask (an index array can leak in DJL).
     */
    static NDArray mix(NDArray x, CutMixBox box) {
        return mix(x, box, boxMask(x.getManager(), (int) x.getShape().get(2), box));
    }

    /** The box as a (1, 1, P, P) mask of ones in PyTorch's memory. */
    private static NDArray boxMask(NDManager m, int p, CutMixBox box) {
        float[] inBox = new float[p * p];
        for (int y = 0; y < p; y++) {
            for (int c = 0; c < p; c++) {
                inBox[y * p + c] = box.contains(y, c) ? 1f : 0f;
            }
        }
        try (NDArray java = m.create(inBox, new Shape(1, 1, p, p))) {
            return java.duplicate();
        }
    }

    private static NDArray mix(NDArray x, CutMixBox box, NDArray mask) {
        NDList partners = new NDList();
        for (int i = 0; i < box.partner().length; i++) {
            partners.add(x.get(box.partner()[i]));
        }
        NDArray swapped = NDArrays.stack(partners, 0);
        return x.mul(mask.neg().add(1f)).add(swapped.mul(mask));
    }

    /**
     * FixMatch's unannotated loss: cross-entropy of the strong view's logits against the
     * pseudo-labels, each pixel weighted (0 = untrusted), averaged over all unannotated pixels, so
     * the term pulls harder as more pixels are trusted.
     */
    static NDArray weightedCrossEntropy(NDArray logits, NDArray labels, NDArray weight) {
        NDArray perPixel = logits.logSoftmax(1).mul(labels).sum(new int[] {1}, true).neg();
        return perPixel.mul(weight).mean();
    }

    /** The CutMix-ed strong views and what they learn from: the weak views' pseudo-labels and per-pixel trust, mixed alike. */
    record Mixed(NDArray strong01, NDArray labels, NDArray weight) {
    }

    static Mixed mixed(NDArray strong01, Weak weak, NDArray trust, CutMixBox box) {
        // One mask for all three: it was built from a Java array three times an iteration.
        NDArray mask = boxMask(strong01.getManager(), (int) strong01.getShape().get(2), box);
        return new Mixed(mix(strong01, box, mask), mix(weak.labels(), box, mask), mix(trust, box, mask));
    }

    /**
     * The strong views mixed as {@code source} says: with each other ({@link #mixed}), or with the
     * annotated patches (bidirectional copy-paste): view {@code i} and annotated patch
     * {@code partner[i] mod A} share it, the annotated patch inside the box for even {@code i} and
     * around it for odd {@code i}; its pixels carry their annotation, trusted (weight 1; pixels a
     * partial annotation leaves unlabelled have an all-zero one-hot and add nothing).
     */
    static Mixed mixed(NDArray strong01, Weak weak, NDArray trust, CutMixBox box, CutMixSource source, NDArray annotated01, NDArray oneHot) {
        if (source == CutMixSource.UNANNOTATED) {
            return mixed(strong01, weak, trust, box);
        }
        NDManager m = strong01.getManager();
        NDArray inBox = boxMask(m, (int) strong01.getShape().get(2), box).squeeze(0);
        NDArray aroundBox = inBox.neg().add(1f);
        long annotated = annotated01.getShape().get(0);
        NDList images = new NDList();
        NDList labels = new NDList();
        NDList where = new NDList();
        for (int i = 0; i < box.partner().length; i++) {
            long a = box.partner()[i] % annotated;
            images.add(annotated01.get(a));
            labels.add(oneHot.get(a));
            where.add(i % 2 == 0 ? inBox : aroundBox);
        }
        NDArray fromAnnotated = NDArrays.stack(where, 0);
        NDArray fromUnannotated = fromAnnotated.neg().add(1f);
        return new Mixed(strong01.mul(fromUnannotated).add(NDArrays.stack(images, 0).mul(fromAnnotated)),
                weak.labels().mul(fromUnannotated).add(NDArrays.stack(labels, 0).mul(fromAnnotated)),
                trust.mul(fromUnannotated).add(fromAnnotated));
    }

    /** 1 where {@code confidence >= threshold}, else 0 (FixMatch's gate). */
    static NDArray confident(NDArray confidence, double threshold) {
        return confidence.gte(threshold).toType(DataType.FLOAT32, false);
    }
}
