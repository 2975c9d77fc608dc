package org.danseg.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.danseg.io.Mask;
import org.danseg.io.PixelSpacing;
import org.danseg.testing.Masks;
import org.junit.jupiter.api.Test;

/** Hand-worked pixel and surface metrics, with the rule for every empty/non-empty combination. */
class PixelAndSurfaceMetricsTest {

    private static PixelCounts counts(Mask p, Mask t) {
        return PixelCounts.of(p.foreground(), t.foreground());
    }

    private static SurfaceDistances.Result distances(Mask p, Mask t) {
        return SurfaceDistances.compute(p.foreground(), t.foreground(), t.width(), t.height(), t.spacing());
    }

    @Test
    void overlapCounts() {
        Mask t = Masks.binary("111.", "....");
        Mask p = Masks.binary(".111", "....");
        PixelCounts c = counts(p, t);
        // TP 2, FP 1, FN 1.
        assertThat(c.dice()).isCloseTo(4.0 / 6.0, within(1e-12));
        assertThat(c.iou()).isCloseTo(2.0 / 4.0, within(1e-12));
        assertThat(c.precision()).isCloseTo(2.0 / 3.0, within(1e-12));
        assertThat(c.recall()).isCloseTo(2.0 / 3.0, within(1e-12));
    }

    @Test
    void emptyRules() {
        Mask empty = Masks.binary("...", "...");
        Mask some = Masks.binary(".1.", "...");
        PixelCounts both = counts(empty, empty);
        assertThat(new double[] {both.dice(), both.iou(), both.precision(), both.recall()}).containsOnly(1.0);
        PixelCounts missed = counts(empty, some);
        assertThat(new double[] {missed.dice(), missed.iou(), missed.precision(), missed.recall()}).containsOnly(0.0);
        PixelCounts hallucinated = counts(some, empty);
        assertThat(new double[] {hallucinated.dice(), hallucinated.iou(), hallucinated.precision(), hallucinated.recall()}).containsOnly(0.0);

        double diagonal = Math.hypot(3, 2);
        assertThat(distances(empty, empty)).isEqualTo(new SurfaceDistances.Result(0, 0, 0));
        assertThat(distances(empty, some)).isEqualTo(new SurfaceDistances.Result(diagonal, diagonal, diagonal));
        assertThat(distances(some, empty)).isEqualTo(new SurfaceDistances.Result(diagonal, diagonal, diagonal));
    }

    @Test
    void identicalMasksHaveZeroDistance() {
        Mask m = Masks.binary(".....", ".111.", ".111.", ".....");
        SurfaceDistances.Result r = distances(m, m);
        assertThat(r.hd95()).isZero();
        assertThat(r.assd()).isZero();
    }

    @Test
    void shiftedSquareDistances() {
        // Truth: 3x3 square at x=1..3; prediction: the same square moved right by 2 (x=3..5).
        Mask t = Masks.binary(".......", ".111...", ".111...", ".111...", ".......");
        Mask p = Masks.binary(".......", "...111.", "...111.", "...111.", ".......");
        SurfaceDistances.Result r = distances(p, t);
        // Surfaces are the 8 ring pixels of each square (centre excluded).
        // Pred ring -> truth ring: column x=3 (3 px) at 0; x=4 (2 px, rows 1 and 3) at 1; x=5 (3 px) at 2.
        // Symmetric the other way. Pooled 16 values sorted: 0 x6, 1 x4, 2 x6.
        // Directed means: (0*3 + 1*2 + 2*3)/8 = 1 -> ASSD 1. HD95: rank 0.95*15 = 14.25 -> 2.
        assertThat(r.assd()).isCloseTo(1.0, within(1e-12));
        assertThat(r.hd95()).isCloseTo(2.0, within(1e-12));
        assertThat(r.hausdorff()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void regionsAtTheImageEdgeHaveTheirEdgeAsSurface() {
        // A full image region: every pixel on the image border is surface.
        Mask all = Masks.binary("111", "111", "111");
        boolean[] s = SurfaceDistances.surface(all.foreground(), 3, 3);
        int count = 0;
        for (boolean b : s) {
            count += b ? 1 : 0;
        }
        assertThat(count).isEqualTo(8);
    }

    @Test
    void anisotropicSpacing() {
        Mask t = Masks.withSpacing(Masks.binary("1..", "...", "..."), new PixelSpacing(2.0, 3.0, "mm"));
        Mask p = Masks.withSpacing(Masks.binary("...", "...", "..1"), new PixelSpacing(2.0, 3.0, "mm"));
        SurfaceDistances.Result r = distances(p, t);
        // One pixel each, (0,0) and (2,2): distance hypot(4, 6).
        assertThat(r.hausdorff()).isCloseTo(Math.hypot(4, 6), within(1e-12));
        assertThat(r.assd()).isCloseTo(Math.hypot(4, 6), within(1e-12));
    }

    @Test
    void percentileMatchesNumpyLinear() {
        // numpy.percentile([1, 2, 3, 4], 95) = 3.85
        assertThat(SurfaceDistances.percentile(new double[] {1, 2, 3, 4}, 95)).isCloseTo(3.85, within(1e-12));
    }
}
