package org.danseg.nn;

import ai.djl.ndarray.NDManager;

/**
 * SN and the EN that judges its segmentations, built to one description: the one factory that
 * training, prediction and the benchmark use, so the two networks always fit each other.
 */
public record NetworkPair(SegmentationNet sn, EvaluationNet en) {

    /** What the pair is built from: SN's architecture and width, EN's input fusion and form, the data's channels and classes. */
    public record Spec(SnArchitecture architecture, int width, Fusion fusion, EvaluationNet.Kind evaluator, int channels, int classes) {
    }

    /** Both networks, not yet initialized. */
    public static NetworkPair build(Spec spec) {
        SegmentationNet sn = Networks.segmentation(spec.architecture(), spec.channels(), spec.classes(), spec.width());
        EvaluationNet en = Networks.evaluation(spec.channels(), spec.classes(), spec.width(), spec.fusion(),
                spec.evaluator() == null ? EvaluationNet.Kind.IMAGE : spec.evaluator());
        return new NetworkPair(sn, en);
    }

    /**
     * Both networks with fresh He-initialized weights for training; SN draws its random numbers
     * before EN, so a seed gives the same SN whatever the recipe.
     */
    public static NetworkPair forTraining(Spec spec, NDManager manager, int patch) {
        NetworkPair pair = build(spec);
        Networks.useHeInitialization(pair.sn());
        Networks.useHeInitialization(pair.en());
        pair.sn().initialize(manager, patch);
        pair.en().initialize(manager, patch);
        return pair;
    }
}
