package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.PixelSpacing;
import org.danseg.io.slide.Slide;
import org.danseg.io.slide.SlideLevel;
import org.danseg.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which level a model's pixel size reads, and the resampling of a level onto the model's grid. */
class SlideGridTest {
    /** A 40 000-pixel slide at 0.25 um with levels at 0.5, 1 and 2 um (as SVS and libvips lay them out). */
    static final List<SlideLevel> LEVELS = List.of(new SlideLevel(0, 40000, 30000, 256, 256, 1), new SlideLevel(1, 20000, 15000, 256, 256, 2),
            new SlideLevel(2, 10000, 7500, 256, 256, 4), new SlideLevel(3, 5000, 3750, 256, 256, 8));
    static final PixelSpacing QUARTER = um(0.25);

    static PixelSpacing um(double um) {
        return PixelSpacing.millimetres(um / 1000, um / 1000);
    }

    @Test
    void theCoarsestLevelNoCoarserThanTheModelIsRead() {
        assertThat(SlideGrid.choose(LEVELS, QUARTER, um(0.5))).isEqualTo(new SlideGrid.Choice(1, 1, 1));
        assertThat(SlideGrid.choose(LEVELS, QUARTER, um(0.505))).as("within 2%: as it is").isEqualTo(new SlideGrid.Choice(1, 1, 1));
        assertThat(SlideGrid.choose(LEVELS, QUARTER, um(0.495))).as("within 2% below too").isEqualTo(new SlideGrid.Choice(1, 1, 1));
        SlideGrid.Choice between = SlideGrid.choose(LEVELS, QUARTER, um(0.6));
        assertThat(between.level()).isEqualTo(1);
        assertThat(between.factorX()).isCloseTo(1.2, within(1e-9));
        assertThat(SlideGrid.choose(LEVELS, QUARTER, um(4)).level()).as("coarser than every level: the coarsest, shrunk").isEqualTo(3);
        assertThat(SlideGrid.choose(LEVELS, QUARTER, um(4)).factorX()).isCloseTo(2, within(1e-9));
        SlideGrid.Choice finer = SlideGrid.choose(LEVELS, QUARTER, um(0.2));
        assertThat(finer.level()).as("finer than level 0: level 0, enlarged").isZero();
        assertThat(finer.factorX()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void withoutAPhysicalSizeOnEitherSideLevel0IsReadAsItIs() {
        assertThat(SlideGrid.choose(LEVELS, QUARTER, null)).isEqualTo(new SlideGrid.Choice(0, 1, 1));
        assertThat(SlideGrid.choose(LEVELS, PixelSpacing.UNIT, um(0.5))).isEqualTo(new SlideGrid.Choice(0, 1, 1));
    }

    @Test
    void eachGridPixelsWeightsSumToOneAndAverageWhatItCovers() {
        for (double f : new double[] {0.5, 0.8, 1.2, 2, 2.7, 4}) {
            SlideGrid.Axis a = new SlideGrid.Axis(f, 1000);
            int n = (int) Math.round(1000 / f);
            for (int i = 0; i < n; i++) {
                float sum = 0;
                for (float w : a.weights(i)) {
                    assertThat(w).isGreaterThanOrEqualTo(0f);
                    sum += w;
                }
                assertThat(sum).as("f %s pixel %d", f, i).isCloseTo(1f, within(1e-5f));
                assertThat(a.first(i)).isBetween(0, 999);
                assertThat(a.end(i)).isBetween(1, 1000);
            }
        }
        // Shrinking by 2 averages pixel pairs; on a ramp v(j) = j, grid pixel i is 2i + 0.5.
        SlideGrid.Axis half = new SlideGrid.Axis(2, 10);
        assertThat(half.first(3)).isEqualTo(6);
        assertThat(half.weights(3)).containsExactly(0.5f, 0.5f);
        // Enlarging by 2: centres at (i + 0.5) / 2 - 0.5, between two source centres.
        SlideGrid.Axis twice = new SlideGrid.Axis(0.5, 10);
        assertThat(twice.first(5)).isEqualTo(2);
        assertThat(twice.weights(5)).containsExactly(0.75f, 0.25f);
    }

    /**
     * A resampled grid region equals the exact area average of the level's pixels (computed here in
     * two dimensions at once), and bands read apart equal the same rows read whole, as the sliding
     * window needs.
     */
    @Test
    void aResampledRegionIsTheAreaAverageOfTheLevelAndBandsAgree(@TempDir Path dir) throws Exception {
        ExternalTools.require(ExternalTools.works("vips", "--version"), "slide tests need libvips-tools (apt-get install; .ci/run does)");
        int w = 300;
        int h = 200;
        Random rng = new Random(3);
        float[] px = new float[3 * w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextInt(256);
        }
        ImageFileWriter.writeImage8(new Image2D(w, h, 3, px, 255, PixelSpacing.UNIT), dir.resolve("src.png"));
        Path file = dir.resolve("s.tif");
        ExternalTools.vips("tiffsave", dir.resolve("src.png").toString(), file.toString(), "--tile", "--tile-width", "64", "--tile-height", "64",
                "--pyramid", "--compression", "lzw");
        try (Slide slide = Slide.open(file)) {
            SlideGrid grid = SlideGrid.of(slide, QUARTER, um(0.3)); // 1.2 level-0 pixels per grid pixel
            assertThat(grid.choice().level()).isZero();
            assertThat(grid.width()).isEqualTo(250);
            assertThat(grid.height()).isEqualTo(167);
            assertThat(grid.spacing().x()).isCloseTo(0.0003, within(1e-9));
            assertThat(grid.scaleX()).isCloseTo(1.2, within(1e-9));
            double fx = 300.0 / 250;
            double fy = 200.0 / 167;
            int x0 = 37;
            int y0 = 21;
            int gw = 101;
            int gh = 146; // to the grid's last row, where the cover is cut by the level's edge
            float[] got = grid.read(x0, y0, gw, gh);
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < gh; j++) {
                    for (int i = 0; i < gw; i++) {
                        double expect = areaAverage(px, w, h, c, (x0 + i) * fx, (x0 + i + 1) * fx, (y0 + j) * fy, (y0 + j + 1) * fy);
                        assertThat((double) got[(c * gh + j) * gw + i]).as("c %d (%d, %d)", c, x0 + i, y0 + j).isCloseTo(expect, within(1e-3));
                    }
                }
            }
            float[] top = grid.read(x0, y0, gw, 50);
            float[] bottom = grid.read(x0, y0 + 50, gw, gh - 50);
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < gh; j++) {
                    float part = j < 50 ? top[(c * 50 + j) * gw] : bottom[(c * (gh - 50) + j - 50) * gw];
                    assertThat(part).isEqualTo(got[(c * gh + j) * gw]);
                }
            }
        }
    }

    private static double areaAverage(float[] px, int w, int h, int c, double x0, double x1, double y0, double y1) {
        x1 = Math.min(x1, w);
        y1 = Math.min(y1, h);
        double sum = 0;
        double area = 0;
        for (int y = (int) Math.floor(y0); y < Math.ceil(y1); y++) {
            for (int x = (int) Math.floor(x0); x < Math.ceil(x1); x++) {
                double a = (Math.min(x + 1, x1) - Math.max(x, x0)) * (Math.min(y + 1, y1) - Math.max(y, y0));
                sum += a * px[(c * h + y) * w + x];
                area += a;
            }
        }
        return sum / area;
    }
}
