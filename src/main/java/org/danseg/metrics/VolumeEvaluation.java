package org.danseg.metrics;

import java.util.List;

/**
 * Foreground (all non-zero labels) metrics of a 3D segmentation: the same keys as a 2D set for the
 * pixel and surface metrics, computed in 3D with voxel sizes from pixdim, and Dice per slice along
 * {@code axis}. {@code slices} lists the slices the evaluation was restricted to (null: the whole
 * volume). Object-level metrics are not computed for volumes.
 */
public record VolumeEvaluation(String axis, List<Integer> slices, String distanceUnit,
                               double dice, double iou, double precision, double recall, double hd95, double assd,
                               long truthVoxels, long predVoxels, List<SliceDice> perSlice) {

    /** Dice of one slice, with what it counts. */
    public record SliceDice(int slice, double dice, long truthVoxels, long predVoxels) {
    }
}
