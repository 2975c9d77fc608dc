package org.danseg.io.slide;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.PixelSpacing;
import org.danseg.testing.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regions of lossless tiled slides as libvips writes them (uncompressed, LZW, Deflate) read back the
 * exact pixels, also regions narrower than the page and not on tile borders: TwelveMonkeys 3.14.0
 * fails on those (its issue #746) and {@link Slide} reads such pages as whole rows. Seen failing
 * ("Coordinate out of bounds!") with the whole-row reading switched off.
 */
class SlideRegionTest {
    @TempDir
    static Path dir;
    static final int W = 700;
    static final int H = 450;
    static float[] pixels;

    @BeforeAll
    static void build() throws Exception {
        ExternalTools.require(ExternalTools.works("vips", "--version"), "slide tests need libvips-tools (apt-get install; .ci/run does)");
        Random rng = new Random(7);
        pixels = new float[3 * W * H];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextInt(256);
        }
        ImageFileWriter.writeImage8(new Image2D(W, H, 3, pixels, 255, PixelSpacing.UNIT), dir.resolve("src.png"));
        for (String c : new String[] {"none", "lzw", "deflate"}) {
            ExternalTools.vips("tiffsave", dir.resolve("src.png").toString(), dir.resolve(c + ".tif").toString(), "--tile",
                    "--tile-width", "128", "--tile-height", "128", "--pyramid", "--compression", c, "--bigtiff");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "lzw", "deflate"})
    void unalignedRegionsNarrowerThanThePageReadTheExactPixels(String compression) throws Exception {
        try (Slide slide = Slide.open(dir.resolve(compression + ".tif"))) {
            assertThat(slide.levels()).hasSizeGreaterThan(1);
            SlideLevel zero = slide.levels().get(0);
            int[][] regions = {{0, 0, 128, 128}, {300, 130, 201, 77}, {5, 200, 650, 250}, {W - 3, H - 300, 3, 300}};
            for (int[] r : regions) {
                float[] got = slide.read(zero, r[0], r[1], r[2], r[3]);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < r[3]; y++) {
                        for (int x = 0; x < r[2]; x++) {
                            float want = pixels[(c * H + r[1] + y) * W + r[0] + x];
                            if (got[(c * r[3] + y) * r[2] + x] != want) {
                                throw new AssertionError(compression + " region " + java.util.Arrays.toString(r) + " differs at "
                                        + c + "," + x + "," + y + ": " + got[(c * r[3] + y) * r[2] + x] + " != " + want);
                            }
                        }
                    }
                }
            }
            // A reduced level: the region equals the same columns of its whole rows.
            SlideLevel one = slide.levels().get(1);
            float[] rows = slide.read(one, 0, 20, one.width(), 60);
            float[] region = slide.read(one, 17, 20, 100, 60);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 60; y++) {
                    for (int x = 0; x < 100; x++) {
                        assertThat(region[(c * 60 + y) * 100 + x]).isEqualTo(rows[(c * 60 + y) * one.width() + 17 + x]);
                    }
                }
            }
        }
    }
}
