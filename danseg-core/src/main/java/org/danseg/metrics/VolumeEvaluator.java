package org.danseg.metrics;

import java.util.ArrayList;
import java.util.List;
import org.danseg.raster.DistanceTransform;

/** 3D pixel and surface metrics of a segmented volume, optionally restricted to some slices along an axis. */
public final class VolumeEvaluator {

    private VolumeEvaluator() {
    }

    /**
     * @param pred, truth label volumes (x fastest), foreground = non-zero
     * @param axis  0, 1 or 2 (x, y, z): the slicing axis for per-slice Dice and {@code slices}
     * @param slices the slice indices to evaluate, or null for the whole volume
     */
    public static VolumeEvaluation evaluate(float[] pred, float[] truth, int nx, int ny, int nz, double[] spacing,
                                            int axis, List<Integer> slices) {
        int[] dims = {nx, ny, nz};
        int n = nx * ny * nz;
        boolean[] keep = new boolean[dims[axis]];
        if (slices == null) {
            java.util.Arrays.fill(keep, true);
        } else {
            for (int s : slices) {
                if (s < 0 || s >= dims[axis]) {
                    throw new org.danseg.io.BadInputException("slice " + s + " is outside 0.." + (dims[axis] - 1) + " along " + "xyz".charAt(axis));
                }
                keep[s] = true;
            }
        }
        boolean[] p = new boolean[n];
        boolean[] t = new boolean[n];
        int[] pl = new int[n];
        int[] tl = new int[n];
        java.util.TreeSet<Integer> present = new java.util.TreeSet<>();
        long[] sliceTp = new long[dims[axis]];
        long[] sliceP = new long[dims[axis]];
        long[] sliceT = new long[dims[axis]];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int idx = (k * ny + j) * nx + i;
                    int s = axis == 0 ? i : axis == 1 ? j : k;
                    if (!keep[s]) {
                        continue;
                    }
                    pl[idx] = Math.round(pred[idx]);
                    tl[idx] = Math.round(truth[idx]);
                    if (pl[idx] != 0) {
                        present.add(pl[idx]);
                    }
                    if (tl[idx] != 0) {
                        present.add(tl[idx]);
                    }
                    p[idx] = pl[idx] != 0;
                    t[idx] = tl[idx] != 0;
                    sliceP[s] += p[idx] ? 1 : 0;
                    sliceT[s] += t[idx] ? 1 : 0;
                    sliceTp[s] += p[idx] && t[idx] ? 1 : 0;
                }
            }
        }
        PixelCounts counts = PixelCounts.of(p, t);
        double[] distances = surfaceDistances(p, t, nx, ny, nz, spacing);
        org.danseg.raster.ConnectedComponents.Labels po = org.danseg.raster.ConnectedComponents.label26(p, nx, ny, nz);
        org.danseg.raster.ConnectedComponents.Labels to = org.danseg.raster.ConnectedComponents.label26(t, nx, ny, nz);
        ObjectScores objects = GlasObjectMetrics.score(po.labels(), po.count(), to.labels(), to.count(),
                GlasObjectMetrics.volume(nx, ny, nz, spacing));
        List<ClassEvaluation> perClass = new ArrayList<>();
        // Per label actually present (never 1..max: an atlas value of 2e9 must not mean 2e9 passes).
        present.add(1);
        for (int c : present) {
            boolean[] pc = new boolean[n];
            boolean[] tc = new boolean[n];
            for (int i = 0; i < n; i++) {
                pc[i] = pl[i] == c;
                tc[i] = tl[i] == c;
            }
            PixelCounts cc = PixelCounts.of(pc, tc);
            double[] cd = surfaceDistances(pc, tc, nx, ny, nz, spacing);
            perClass.add(new ClassEvaluation(c, cc.dice(), cc.iou(), cc.precision(), cc.recall(), cd[0], cd[1], cc.dice(),
                    cc.truthPixels(), cc.predPixels(), 1));
        }
        List<VolumeEvaluation.SliceDice> perSlice = new ArrayList<>();
        for (int s = 0; s < dims[axis]; s++) {
            if (keep[s]) {
                PixelCounts c = new PixelCounts(sliceTp[s], sliceP[s] - sliceTp[s], sliceT[s] - sliceTp[s]);
                perSlice.add(new VolumeEvaluation.SliceDice(s, c.dice(), sliceT[s], sliceP[s]));
            }
        }
        return new VolumeEvaluation("xyz".substring(axis, axis + 1), slices, "mm", counts.dice(), counts.iou(), counts.precision(),
                counts.recall(), distances[0], distances[1], objects.f1(), objects.objectDice(), objects.objectHausdorff(),
                counts.truthPixels(), counts.predPixels(), objects.truthObjects(), objects.predObjects(), perClass, perSlice);
    }

    /**
     * HD95 and ASSD as in 2D (MedPy's definitions), with 6-connected surfaces in 3D; when only some
     * slices are evaluated, surfaces are those of the evaluated sub-volume, whose borders count as outside.
     */
    private static double[] surfaceDistances(boolean[] p, boolean[] t, int nx, int ny, int nz, double[] sp) {
        SurfaceDistances.Result r = SurfaceDistances.compute(p, t, m -> surface(m, nx, ny, nz),
                f -> DistanceTransform.distanceTo(f, nx, ny, nz, sp[0], sp[1], sp[2]), GlasObjectMetrics.volume(nx, ny, nz, sp).diagonal());
        return new double[] {r.hd95(), r.assd()};
    }

    static boolean[] surface(boolean[] m, int nx, int ny, int nz) {
        boolean[] s = new boolean[m.length];
        int plane = nx * ny;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int x = (k * ny + j) * nx + i;
                    if (!m[x]) {
                        continue;
                    }
                    boolean interior = i > 0 && i < nx - 1 && j > 0 && j < ny - 1 && k > 0 && k < nz - 1
                            && m[x - 1] && m[x + 1] && m[x - nx] && m[x + nx] && m[x - plane] && m[x + plane];
                    s[x] = !interior;
                }
            }
        }
        return s;
    }
}
