package org.danseg.io.slide;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.PixelSpacing;
import org.danseg.testing.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OME-TIFF pyramid whose reduced levels are SubIFDs of the first page (as QuPath, bfconvert and
 * tifffile write it; here tifffile, in BigTIFF and classic TIFF): read as a slide with every level,
 * each level's pixels exactly those tifffile wrote, the pixel size from the OME-XML.
 */
class SlideSubIfdTest {
    @TempDir
    static Path dir;
    static final int W = 900;
    static final int H = 600;

    @BeforeAll
    static void build() throws Exception {
        ExternalTools.require(ExternalTools.works(ExternalTools.PYTHON, "-c", "import tifffile, numpy, PIL"),
                "slide tests need python3-tifffile, python3-numpy and python3-pil (apt-get install; .ci/run does)");
        Random rng = new Random(5);
        float[] pixels = new float[3 * W * H];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i / 7 + rng.nextInt(40)) % 256;
        }
        ImageFileWriter.writeImage8(new Image2D(W, H, 3, pixels, 255, PixelSpacing.UNIT), dir.resolve("src.png"));
        String script = String.join("\n",
                "import sys, numpy as np, tifffile",
                "from PIL import Image",
                "img = np.asarray(Image.open(sys.argv[1]))",
                "levels = [img, img[::2, ::2], img[::4, ::4]]",
                "for big, name in [(True, 'big.ome.tif'), (False, 'classic.ome.tif')]:",
                "    with tifffile.TiffWriter(sys.argv[2] + '/' + name, bigtiff=big, ome=True) as tif:",
                "        o = dict(tile=(128, 128), compression='zlib', photometric='rgb')",
                "        tif.write(levels[0], subifds=2, metadata={'PhysicalSizeX': 0.25, 'PhysicalSizeY': 0.25}, **o)",
                "        for l in levels[1:]:",
                "            tif.write(l, subfiletype=1, **o)",
                "for k, l in enumerate(levels):",
                "    Image.fromarray(np.ascontiguousarray(l)).save(sys.argv[2] + '/level%d.png' % k)");
        ExternalTools.run(List.of(ExternalTools.PYTHON, "-c", script, dir.resolve("src.png").toString(), dir.toString()));
    }

    @Test
    void subIfdLevelsAreThePyramidPixelForPixel() throws Exception {
        for (String name : new String[] {"big.ome.tif", "classic.ome.tif"}) {
            Path file = dir.resolve(name);
            assertThat(Slide.isSlide(file)).as(name).isTrue();
            try (Slide slide = Slide.open(file)) {
                assertThat(slide.levels()).as(name).hasSize(3);
                assertThat(slide.spacing().x()).isCloseTo(0.00025, org.assertj.core.api.Assertions.within(1e-9));
                for (int k = 0; k < 3; k++) {
                    SlideLevel level = slide.levels().get(k);
                    assertThat(level.downsample()).isEqualTo(1 << k);
                    Image2D want = org.danseg.io.ImageFileReader.read(dir.resolve("level" + k + ".png"));
                    assertThat(level.width()).isEqualTo(want.width());
                    assertThat(level.height()).isEqualTo(want.height());
                    // A whole level and an unaligned region narrower than it.
                    assertRegion(slide, level, want, 0, 0, level.width(), level.height());
                    assertRegion(slide, level, want, 37, 11, level.width() / 2, level.height() / 3);
                }
            }
        }
    }

    private static void assertRegion(Slide slide, SlideLevel level, Image2D want, int x, int y, int w, int h) throws Exception {
        float[] got = slide.read(level, x, y, w, h);
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    float v = want.data()[(c * want.height() + y + j) * want.width() + x + i];
                    if (got[(c * h + j) * w + i] != v) {
                        throw new AssertionError("level " + level.downsample() + " region " + x + "," + y + " differs at " + c + "," + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void subIfdsPastTheEndOfATruncatedFileAreNoLevels() throws Exception {
        // Cut where the first SubIFD starts: level 0 is whole, its reduced levels are gone.
        Path whole = dir.resolve("big.ome.tif");
        List<Long> offsets = SubIfds.of(whole);
        assertThat(offsets).hasSize(2);
        Path cut = dir.resolve("cut.ome.tif");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(whole), (int) (long) java.util.Collections.min(offsets)));
        assertThat(SubIfds.of(cut)).isEmpty();
        assertThat(Slide.isSlide(cut)).as("one level is an image, not a slide").isFalse();
        assertThat(SubIfds.of(dir.resolve("src.png"))).isEmpty();
    }
}
