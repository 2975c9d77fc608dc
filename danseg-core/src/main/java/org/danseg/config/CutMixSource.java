package org.danseg.config;

/**
 * Where the FixMatch-style recipes' CutMix box of a strong unannotated view comes from: another
 * unannotated patch (FixMatch, UniMatch), or an annotated patch with its annotation, pasted into
 * the box of one view and around the box of the next (bidirectional copy-paste, BCP; Bai et al.,
 * CVPR 2023), so annotated and unannotated pixels share every mixed view.
 */
public enum CutMixSource {
    UNANNOTATED, ANNOTATED
}
