package org.danseg.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.danseg.config.Intensity;
import org.danseg.io.nifti.NiftiVolume;

/**
 * Turns a 3D volume into 2D training items along an axis, with 2.5D context: each item's channels
 * are the slice itself and its {@code context} neighbours on each side (edges replicated), so a 2D
 * network sees the volume's spatial context. Intensities are normalized per volume (see
 * {@link #normalize}) and mapped to [0, 1] as (z + 3) / 6, clipped, the range augmentation and
 * product fusion expect.
 */
public final class VolumeSlices {

    private VolumeSlices() {
    }

    /**
     * Per-volume intensity normalization to z-scores. {@code mri}: mean and standard deviation of the
     * non-zero voxels (the background of MRI is zero or near it). {@code ct}: values clipped to the
     * 0.5th-99.5th percentiles of the volume first (Hounsfield outliers such as metal), then z-scored
     * over all voxels.
     */
    public static float[] normalize(float[] values, Intensity method) {
        float[] v = values.clone();
        if (method == Intensity.CT) {
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            float lo = sorted[(int) (0.005 * (sorted.length - 1))];
            float hi = sorted[(int) (0.995 * (sorted.length - 1))];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(lo, Math.min(hi, v[i]));
            }
        }
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (float x : v) {
            if (method == Intensity.CT || x != 0) {
                sum += x;
                sq += (double) x * x;
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double std = n == 0 ? 1 : Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
        for (int i = 0; i < v.length; i++) {
            double z = (v[i] - mean) / std;
            v[i] = (float) Math.max(0, Math.min(1, (z + 3) / 6));
        }
        return v;
    }

    /** Number of slices along {@code axis} (0 = x, 1 = y, 2 = z). */
    public static int count(NiftiVolume v, int axis) {
        return axis == 0 ? v.nx() : axis == 1 ? v.ny() : v.nz();
    }

    /** Width and height of a slice along {@code axis}: z slices are (x, y), y slices (x, z), x slices (y, z). */
    public static int[] sliceShape(NiftiVolume v, int axis) {
        return axis == 0 ? new int[] {v.ny(), v.nz()} : axis == 1 ? new int[] {v.nx(), v.nz()} : new int[] {v.nx(), v.ny()};
    }

    /** One slice of a value array in the volume's voxel order, as a row-major (width, height) plane. */
    public static float[] plane(float[] values, NiftiVolume v, int axis, int s) {
        int[] wh = sliceShape(v, axis);
        float[] out = new float[wh[0] * wh[1]];
        for (int b = 0; b < wh[1]; b++) {
            for (int a = 0; a < wh[0]; a++) {
                int idx = axis == 0 ? v.index(s, a, b) : axis == 1 ? v.index(a, s, b) : v.index(a, b, s);
                out[b * wh[0] + a] = values[idx];
            }
        }
        return out;
    }

    /** Writes a (width, height) plane back into slice {@code s} of a value array. */
    public static void setPlane(float[] values, NiftiVolume v, int axis, int s, int[] plane) {
        int[] wh = sliceShape(v, axis);
        for (int b = 0; b < wh[1]; b++) {
            for (int a = 0; a < wh[0]; a++) {
                int idx = axis == 0 ? v.index(s, a, b) : axis == 1 ? v.index(a, s, b) : v.index(a, b, s);
                values[idx] = plane[b * wh[0] + a];
            }
        }
    }

    /** The 1 + 2*context channels of slice {@code s}: neighbours s-context..s+context, edges replicated. */
    public static float[] withContext(float[] normalized, NiftiVolume v, int axis, int s, int context) {
        int[] wh = sliceShape(v, axis);
        int n = wh[0] * wh[1];
        int last = count(v, axis) - 1;
        float[] out = new float[(2 * context + 1) * n];
        for (int c = -context; c <= context; c++) {
            float[] p = plane(normalized, v, axis, Math.max(0, Math.min(last, s + c)));
            System.arraycopy(p, 0, out, (c + context) * n, n);
        }
        return out;
    }

    /** Items for the given slices; labelled ones carry class labels with {@code ignoreLabel} voxels marked -1 (never in a loss). */
    public static List<TrainingSet.Item> items(String name, float[] normalized, NiftiVolume image, NiftiVolume labels, int axis,
                                               List<Integer> slices, int context, Integer ignoreLabel) {
        int[] wh = sliceShape(image, axis);
        List<TrainingSet.Item> items = new ArrayList<>();
        for (int s : slices) {
            int[] lab = null;
            if (labels != null) {
                float[] p = plane(labels.values(), labels, axis, s);
                lab = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    int l = Math.round(p[i]);
                    lab[i] = ignoreLabel != null && l == ignoreLabel ? -1 : l;
                }
            }
            items.add(new TrainingSet.Item(name + "#" + "xyz".charAt(axis) + s, wh[0], wh[1], withContext(normalized, image, axis, s, context), lab));
        }
        return items;
    }
}
