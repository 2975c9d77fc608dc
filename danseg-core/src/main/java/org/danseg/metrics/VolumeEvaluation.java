package org.danseg.metrics;

import java.util.List;

/**
 * Metrics of a 3D segmentation with the keys of a 2D set: top-level values for the foreground (all
 * non-zero labels), computed in 3D with voxel sizes from pixdim; GlaS object metrics over
 * 26-connected components; {@code perClass} per non-zero label; Dice per slice along {@code axis}
 * (in place of {@code perImage}). {@code slices} lists the slices the evaluation was restricted to
 * (null: the whole volume).
 */
public record VolumeEvaluation(String axis, List<Integer> slices, String distanceUnit,
                               double dice, double iou, double precision, double recall, double hd95, double assd,
                               double objectF1, double objectDice, double objectHausdorff,
                               long truthVoxels, long predVoxels, long truthObjects, long predObjects,
                               List<ClassEvaluation> perClass, List<SliceDice> perSlice) {

    /** Dice of one slice, with what it counts. */
    public record SliceDice(int slice, double dice, long truthVoxels, long predVoxels) {
    }
}
