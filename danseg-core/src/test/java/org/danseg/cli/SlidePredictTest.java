package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.io.ImageFileReader;
import org.danseg.io.LabelMap;
import org.danseg.io.slide.Slide;
import org.danseg.testing.Cli;
import org.danseg.testing.ExternalTools;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-slide prediction end to end, checked with tools danseg did not write: libvips builds a
 * JPEG-compressed pyramidal BigTIFF slide (tissue from synthetic tiles on white glass, a stated
 * pixel size); danseg predicts it band by band and writes a pyramidal mask; tifffile and OpenSlide
 * read the mask; the slide's labels equal those of predicting the same pixels as one image.
 */
class SlidePredictTest {
    private static final String PYTHON = ExternalTools.PYTHON;
    @TempDir
    static Path dir;
    static Path model;
    static Path slide;
    static Path flat;

    @BeforeAll
    static void build() throws Exception {
        requireTools();
        Path data = dir.resolve("data");
        TinyTraining.synthesize(data);
        model = dir.resolve("model");
        assertThat(Cli.run(TinyTraining.args(data, model, "supervised", 40)).exitCode()).isZero();
        List<String> tiles = new ArrayList<>();
        try (var files = Files.list(data.resolve("unannotated/images"))) {
            files.sorted().forEach(p -> tiles.add(p.toString()));
        }
        List<String> mosaic = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mosaic.addAll(tiles);
        }
        Path tissue = dir.resolve("tissue.v");
        vips("arrayjoin", String.join(" ", mosaic), tissue.toString(), "--across", "5");
        Path embedded = dir.resolve("embedded.v");
        // 5 x 4 tiles of 64 pixels (320 x 256) of tissue at (300, 200) on a 1000 x 700 white slide.
        vips("embed", tissue.toString(), embedded.toString(), "300", "200", "1000", "700", "--extend", "white");
        slide = dir.resolve("slide.tif");
        vips("tiffsave", embedded.toString(), slide.toString(), "--tile", "--tile-width", "128", "--tile-height", "128", "--pyramid",
                "--compression", "jpeg", "--Q", "90", "--bigtiff", "--xres", "2000", "--yres", "2000");
        // The same pixels as one image, decoded by libvips.
        flat = dir.resolve("flat/slide.png");
        Files.createDirectories(flat.getParent());
        vips("crop", slide.toString(), flat.toString(), "0", "0", "1000", "700");
    }

    @Test
    void aSlidePredictsBandByBandAsTheSamePixelsDoAsOneImage() throws Exception {
        try (Slide s = Slide.open(slide)) {
            assertThat(s.levels()).hasSizeGreaterThan(2);
            assertThat(s.width()).isEqualTo(1000);
            assertThat(s.spacing().x()).isCloseTo(0.0005, org.assertj.core.api.Assertions.within(1e-9));
        }
        Cli asImage = Cli.run("predict", "--model", model.toString(), "--input", flat.toString(), "--out", dir.resolve("flat-pred").toString());
        assertThat(asImage.exitCode()).as(asImage.err()).isZero();
        Path flatMask = dir.resolve("flat-pred/slide.png");
        LabelMap one = ImageFileReader.readLabels(flatMask);
        long foreground = java.util.Arrays.stream(one.labels()).filter(l -> l != 0).count();
        assertThat(foreground).as("the tiny model must segment something for the comparison to mean anything").isGreaterThan(1000);

        // Every tile run: the slide's labels are the one image's.
        Cli all = Cli.run("predict", "--model", model.toString(), "--input", slide.toString(), "--out", dir.resolve("all").toString(), "--keep-glass");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).contains(" 0 glass skipped");
        String report = compare(dir.resolve("all/slide.mask.tif"), flatMask, "0:700, 0:1000");
        assertThat(report).contains("tiled True").contains("um 0.5000").contains("reduced True");
        assertThat(agreement(report)).isGreaterThanOrEqualTo(0.999);
        assertThat(run(List.of("openslide-show-properties", dir.resolve("all/slide.mask.tif").toString()))).contains("openslide.level-count");

        // The objects: shapely finds every polygon valid and their areas equal the mask's pixel counts; object for object
        // (by area) they are those traced from the one-image prediction.
        String shapes = python("import json, sys, tifffile, numpy as np\n"
                + "from shapely.geometry import shape\n"
                + "fc = json.load(open(sys.argv[1]))\n"
                + "assert fc['type'] == 'FeatureCollection'\n"
                + "m = tifffile.imread(sys.argv[2], key=0)\n"
                + "areas = []\n"
                + "for f in fc['features']:\n"
                + "    g = shape(f['geometry'])\n"
                + "    assert g.is_valid, f['id']\n"
                + "    assert f['properties']['objectType'] == 'detection'\n"
                + "    um2 = f['properties']['measurements']['Area \u00b5m^2']\n"
                + "    assert abs(um2 - g.area * 0.25) < 1e-6 * max(1, um2), (um2, g.area)\n"
                + "    areas.append(int(round(g.area)))\n"
                + "print('objects', len(areas), 'area', sum(areas), 'mask', int((m > 0).sum()))\n"
                + "print('sizes', sorted(areas))\n", dir.resolve("all/slide.geojson").toString(), dir.resolve("all/slide.mask.tif").toString());
        String[] counts = shapes.replaceAll("(?s).*objects ([0-9]+) area ([0-9]+) mask ([0-9]+).*", "$1 $2 $3").split(" ");
        assertThat(counts[1]).isEqualTo(counts[2]);
        List<Long> fromImage = new ArrayList<>();
        org.danseg.io.geojson.MaskObjects.trace(new org.danseg.io.geojson.MaskObjects.Rows() {
            @Override
            public int width() {
                return one.width();
            }

            @Override
            public int height() {
                return one.height();
            }

            @Override
            public void row(int y, int[] out) {
                System.arraycopy(one.labels(), y * one.width(), out, 0, one.width());
            }
        }, o -> fromImage.add(o.pixels()));
        assertThat(Integer.parseInt(counts[0])).isEqualTo(fromImage.size()).isPositive();
        assertThat(shapes).contains("sizes " + fromImage.stream().sorted().toList().toString());

        // The default skips glass: the same labels on the tissue (the tiny model also marks some glass, which is now background).
        Cli skipping = Cli.run("predict", "--model", model.toString(), "--input", slide.toString(), "--out", dir.resolve("pred").toString());
        assertThat(skipping.exitCode()).as(skipping.err()).isZero();
        int skipped = Integer.parseInt(skipping.out().replaceAll("(?s).*tiles run, ([0-9]+) glass skipped.*", "$1"));
        assertThat(skipped).isPositive();
        assertThat(agreement(compare(dir.resolve("pred/slide.mask.tif"), flatMask, "200:456, 300:620"))).isGreaterThanOrEqualTo(0.999);
    }

    /**
     * A model that records its pixel size is run on the level that matches it: 1 um is the slide's level 1
     * (0.5 um at level 0), read as it is and equal to predicting vips' decoding of that level as one image;
     * 0.6 um is level 0 resampled. Either way the objects are in level-0 coordinates: their areas
     * (level-0 pixels of 0.25 um^2) are the stated um^2, and they lie on the tissue.
     */
    @Test
    void aModelWithAPixelSizeIsRunOnTheMatchingLevelAndItsObjectsAreInLevel0Coordinates() throws Exception {
        Path at1 = withPixelSize(model, dir.resolve("model-1um"), 0.001);
        Cli matched = Cli.run("predict", "--model", at1.toString(), "--input", slide.toString(), "--out", dir.resolve("at1").toString(), "--keep-glass");
        assertThat(matched.exitCode()).as(matched.err()).isZero();
        assertThat(matched.out()).contains("slide.tif: level 1 of ").contains("500 x 350 (1 um per pixel) for the model's 1 um")
                .doesNotContain("resampled");
        Path level1 = dir.resolve("flat1/slide.png");
        Files.createDirectories(level1.getParent());
        vips("crop", slide + "[page=1]", level1.toString(), "0", "0", "500", "350");
        Cli asImage = Cli.run("predict", "--model", at1.toString(), "--input", level1.toString(), "--out", dir.resolve("flat1-pred").toString());
        assertThat(asImage.exitCode()).as(asImage.err()).isZero();
        String report = compare(dir.resolve("at1/slide.mask.tif"), dir.resolve("flat1-pred/slide.png"), "0:350, 0:500");
        assertThat(report).contains("um 1.0000");
        assertThat(agreement(report)).isGreaterThanOrEqualTo(0.999);
        assertThat(objectsInLevel0(dir.resolve("at1/slide.geojson"))).contains("inside True");

        Path at06 = withPixelSize(model, dir.resolve("model-06um"), 0.0006);
        Cli resampled = Cli.run("predict", "--model", at06.toString(), "--input", slide.toString(), "--out", dir.resolve("at06").toString());
        assertThat(resampled.exitCode()).as(resampled.err()).isZero();
        assertThat(resampled.out()).contains("slide.tif: level 0 of ").contains("833 x 583").contains("resampled by 1.2");
        assertThat(compare(dir.resolve("at06/slide.mask.tif"), dir.resolve("at06/slide.mask.tif"), "0:1, 0:1")).contains("um 0.600");
        assertThat(objectsInLevel0(dir.resolve("at06/slide.geojson"))).contains("inside True");

        // A slide without a stated size: --pixel-size gives level 0's.
        Cli told = Cli.run("predict", "--model", at1.toString(), "--input", slide.toString(), "--out", dir.resolve("told").toString(),
                "--pixel-size", "0.25");
        assertThat(told.exitCode()).as(told.err()).isZero();
        assertThat(told.out()).contains("level 2 of ").contains("for the model's 1 um");
    }

    /** A copy of a model folder whose model.json says it was trained at {@code mm} per pixel. */
    private static Path withPixelSize(Path from, Path to, double mm) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var info = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(to.resolve("model.json").toFile());
        info.putObject("pixelSize").put("x", mm).put("y", mm).put("unit", "mm");
        Files.writeString(to.resolve("model.json"), json.writeValueAsString(info));
        return to;
    }

    /**
     * shapely: every object valid, its area in level-0 pixels (0.25 um^2 each) its stated um^2, all inside
     * the slide's level-0 extent and reaching past x = 520 (the tissue spans 300..620 at level 0; coordinates
     * left on a 500-pixel-wide grid would not).
     */
    private static String objectsInLevel0(Path geojson) throws Exception {
        return python("import json, sys\n"
                + "from shapely.geometry import shape, box\n"
                + "fc = json.load(open(sys.argv[1]))\n"
                + "assert len(fc['features']) > 0\n"
                + "inside = True\n"
                + "right = 0\n"
                + "for f in fc['features']:\n"
                + "    g = shape(f['geometry'])\n"
                + "    assert g.is_valid, f['id']\n"
                + "    um2 = f['properties']['measurements']['Area \u00b5m^2']\n"
                + "    assert abs(um2 - g.area * 0.25) < 1e-6 * max(1, um2), (um2, g.area)\n"
                + "    inside = inside and box(0, 0, 1000, 700).contains(g)\n"
                + "    right = max(right, g.bounds[2])\n"
                + "print('inside', inside and right > 520, 'right', right, 'objects', len(fc['features']))\n", geojson.toString());
    }

    /** tifffile's reading of a mask against a one-image prediction, on a region (numpy slice text). */
    private static String compare(Path mask, Path image, String region) throws Exception {
        return python("import tifffile, numpy as np, sys\n"
                + "from PIL import Image\n"
                + "t = tifffile.TiffFile(sys.argv[1])\n"
                + "a = t.pages[0].asarray()\n"
                + "b = np.asarray(Image.open(sys.argv[2]))\n"
                + "b = (b > 0).astype(np.uint8) if b.max() > 1 else b\n"
                + "print('levels', len(t.pages), 'tiled', all(p.is_tiled for p in t.pages))\n"
                + "print('agree %.6f' % (a[" + region + "] == b[" + region + "]).mean())\n"
                + "x = t.pages[0].tags['XResolution'].value\n"
                + "print('um %.4f' % (1e4 * x[1] / x[0]))\n"
                + "print('reduced', all(p.subfiletype == 1 for p in t.pages[1:]))\n", mask.toString(), image.toString());
    }

    private static double agreement(String report) {
        return Double.parseDouble(report.replaceAll("(?s).*agree ([0-9.]+).*", "$1"));
    }

    @Test
    void aTruncatedSlideIsRefusedNamingTheFile() throws Exception {
        byte[] all = Files.readAllBytes(slide);
        Path cut = dir.resolve("cut/cut.tif");
        Files.createDirectories(cut.getParent());
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 3));
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", cut.toString(), "--out", dir.resolve("cut-pred").toString());
        assertThat(predict.exitCode()).isEqualTo(2);
        assertThat(predict.err()).contains(cut.toString()).doesNotContain("\tat ");
        assertThat(dir.resolve("cut-pred/cut.mask.tif")).doesNotExist();
    }

    private static void requireTools() {
        ExternalTools.require(ExternalTools.works("vips", "--version") && ExternalTools.works("openslide-show-properties", "--version")
                        && ExternalTools.works(PYTHON, "-c", "import tifffile, PIL, shapely"),
                "slide tests need libvips-tools, openslide-tools, python3-tifffile and python3-shapely (apt-get install; .ci/run does)");
    }

    private static void vips(String... args) throws Exception {
        ExternalTools.vips(args);
    }

    private static String python(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws Exception {
        return ExternalTools.run(cmd);
    }
}
