package org.danseg.config;

/**
 * How the strong unannotated views of the FixMatch-style recipes pass SN beside the annotated
 * patches while lambda > 0: in their own training-mode pass without moving SN's BatchNorm
 * running averages, in their own pass moving them, or in one joint batch with the annotated
 * patches (one set of batch statistics and running averages, as FixMatch and UniMatch train).
 */
public enum UnannotatedPass {
    SEPARATE, SEPARATE_STATISTICS, JOINT
}
