package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.io.ImageFileReader;
import org.danseg.io.LabelMap;
import org.danseg.io.PixelSpacing;
import org.danseg.io.geojson.MaskObjects;
import org.danseg.io.geojson.QuPathGeoJson;
import org.danseg.testing.Cli;
import org.danseg.testing.ExternalTools;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partly annotated slide as training data: a libvips slide of synthetic tissue whose truth is
 * known, two annotated regions in QuPath's GeoJSON form (one rectangle, one L-shaped) with the
 * truth's glands as classified polygons; the dataset's labels equal the truth inside each region
 * and are the ignore label outside it, the unannotated tiles show tissue and touch no region, and
 * the dataset trains.
 */
class SlideDatasetTest {
    @TempDir
    static Path dir;
    static Path slide;
    static Path annotations;
    static int[] truth;
    static final int W = 1000;
    static final int H = 700;
    static final int X0 = 300;
    static final int Y0 = 200;

    @BeforeAll
    static void build() throws Exception {
        ExternalTools.require(ExternalTools.works("vips", "--version"), "slide tests need libvips-tools (apt-get install; .ci/run does)");
        Path data = dir.resolve("data");
        TinyTraining.synthesize(data);
        // Tissue: the 4 unannotated 64-pixel tiles, 4 across, twice (256 x 128) at (300, 200) on white glass.
        List<String> tiles = new ArrayList<>();
        List<Path> truthFiles = new ArrayList<>();
        try (var files = Files.list(data.resolve("unannotated/images"))) {
            files.sorted().forEach(p -> tiles.add(p.toString()));
        }
        try (var files = Files.list(data.resolve("unannotated/truth"))) {
            files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(truthFiles::add);
        }
        List<String> mosaic = new ArrayList<>(tiles);
        mosaic.addAll(tiles);
        vips("arrayjoin", String.join(" ", mosaic), dir.resolve("t.v").toString(), "--across", "4");
        vips("embed", dir.resolve("t.v").toString(), dir.resolve("e.v").toString(), "" + X0, "" + Y0, "" + W, "" + H, "--extend", "white");
        slide = dir.resolve("slide.tif");
        vips("tiffsave", dir.resolve("e.v").toString(), slide.toString(), "--tile", "--tile-width", "128", "--tile-height", "128", "--pyramid",
                "--compression", "jpeg", "--Q", "90", "--bigtiff", "--xres", "2000", "--yres", "2000");
        truth = new int[W * H];
        for (int copy = 0; copy < 2; copy++) {
            for (int t = 0; t < 4; t++) {
                LabelMap m = ImageFileReader.readLabels(truthFiles.get(t));
                for (int y = 0; y < 64; y++) {
                    for (int x = 0; x < 64; x++) {
                        truth[(Y0 + copy * 64 + y) * W + X0 + t * 64 + x] = m.labels()[y * 64 + x] != 0 ? 1 : 0;
                    }
                }
            }
        }
        // The glands as QuPath annotations classified "Gland", the two regions unclassified.
        ByteArrayOutputStream glands = new ByteArrayOutputStream();
        try (QuPathGeoJson json = new QuPathGeoJson(glands, List.of("Background", "Gland"), PixelSpacing.UNIT)) {
            MaskObjects.trace(new MaskObjects.Rows() {
                @Override
                public int width() {
                    return W;
                }

                @Override
                public int height() {
                    return H;
                }

                @Override
                public void row(int y, int[] out) {
                    System.arraycopy(truth, y * W, out, 0, W);
                }
            }, o -> json.write(o, java.util.Map.of()));
        }
        String features = glands.toString(StandardCharsets.UTF_8).replace("\"detection\"", "\"annotation\"");
        features = features.substring(features.indexOf('[') + 1, features.lastIndexOf(']'));
        String rectangle = region("[[300,200],[364,200],[364,264],[300,264],[300,200]]");
        String ell = region("[[400,200],[490,200],[490,230],[430,230],[430,300],[400,300],[400,200]]");
        annotations = dir.resolve("regions.geojson");
        Files.writeString(annotations, "{\"type\": \"FeatureCollection\", \"features\": [" + rectangle + ", " + ell + ", " + features + "]}");
    }

    private static String region(String ring) {
        return "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [" + ring + "]}, "
                + "\"properties\": {\"objectType\": \"annotation\"}}";
    }

    @Test
    void regionsBecomeAnnotatedCasesWithIgnoreOutsideAndTissueTilesTheUnannotated() throws Exception {
        Path out = dir.resolve("ds");
        Cli made = Cli.run("slide-dataset", "--slide", slide.toString(), "--annotations", annotations.toString(), "--out", out.toString(),
                "--unannotated", "6", "--tile", "64");
        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out()).contains("2 annotated regions").contains("[Gland]").contains("6 unannotated tiles");
        Path ds = out.resolve("Dataset900_Slides");
        assertThat(Files.readString(ds.resolve("dataset.json"))).contains("\"Gland\": 1").contains("\"ignore\": 2");

        LabelMap rect = ImageFileReader.readLabels(ds.resolve("labelsTr/slide_r000.png"));
        assertThat(rect.width()).isEqualTo(64);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertThat(rect.labels()[y * 64 + x]).isEqualTo(truth[(200 + y) * W + 300 + x]);
            }
        }
        LabelMap l = ImageFileReader.readLabels(ds.resolve("labelsTr/slide_r001.png"));
        assertThat(l.width()).isEqualTo(90);
        assertThat(l.height()).isEqualTo(100);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 90; x++) {
                boolean inside = y < 30 || x < 30;
                int expected = inside ? truth[(200 + y) * W + 400 + x] : 2;
                assertThat(l.labels()[y * 90 + x]).as("pixel %d,%d", x, y).isEqualTo(expected);
            }
        }
        // Unannotated tiles: tissue only, never a region's pixels.
        List<Path> unannotated;
        try (var files = Files.list(out.resolve("unannotated/images"))) {
            unannotated = files.sorted().toList();
        }
        assertThat(unannotated).hasSize(6);
        for (Path t : unannotated) {
            String n = t.getFileName().toString();
            int x = Integer.parseInt(n.replaceAll(".*_x([0-9]+)_y.*", "$1"));
            int y = Integer.parseInt(n.replaceAll(".*_y([0-9]+)\\.png", "$1"));
            boolean touchesRect = x < 364 && x + 64 > 300 && y < 264 && y + 64 > 200;
            boolean touchesEll = x < 490 && x + 64 > 400 && y < 300 && y + 64 > 200;
            assertThat(touchesRect || touchesEll).as(n).isFalse();
            assertThat(x >= X0 - 64 && x < X0 + 256 && y >= Y0 - 64 && y < Y0 + 128).as(n + " shows tissue").isTrue();
        }
        // It trains as any nnU-Net dataset with unannotated images.
        Cli train = Cli.run("train", "--dataset", ds.toString(), "--unannotated", out.resolve("unannotated").toString(), "--out",
                dir.resolve("model").toString(), "--mode", "fixmatch", "--width", "8", "--patch", "64", "--iterations", "4",
                "--pretrain-iterations", "2", "--threads", "2", "--seed", "3");
        assertThat(train.exitCode()).as(train.err()).isZero();
        // The regions keep the slide's 0.5 um (PNG pHYs) and the model records it, so slides are predicted at it.
        assertThat(ImageFileReader.read(ds.resolve("imagesTr/slide_r000_0000.png")).spacing().x()).isCloseTo(0.0005, within(1e-9));
        assertThat(ImageFileReader.readLabels(ds.resolve("labelsTr/slide_r000.png")).spacing().x()).isCloseTo(0.0005, within(1e-9));
        var info = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("model/model.json").toFile());
        assertThat(info.path("pixelSize").path("x").asDouble()).isCloseTo(0.0005, within(1e-9));
        assertThat(info.path("pixelSize").path("unit").asText()).isEqualTo("mm");
    }

    @Test
    void annotationsWithoutRegionsOrClassesAreRefusedNamingTheFileAndNothingIsWritten() throws Exception {
        Path none = dir.resolve("bad/none.geojson");
        Files.createDirectories(none.getParent());
        Files.writeString(none, "{\"type\": \"FeatureCollection\", \"features\": []}");
        Cli refused = Cli.run("slide-dataset", "--slide", slide.toString(), "--annotations", none.toString(), "--out", dir.resolve("bad/out").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains(none.toString()).contains("no annotated region");
        assertThat(dir.resolve("bad/out/Dataset900_Slides")).doesNotExist();
        Path broken = dir.resolve("bad/broken.geojson");
        Files.writeString(broken, "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"geometry\": "
                + "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1]]]}, \"properties\": {}}]}");
        Cli bad = Cli.run("slide-dataset", "--slide", slide.toString(), "--annotations", broken.toString(), "--out", dir.resolve("bad/out2").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(broken.toString()).contains("feature 0").doesNotContain("\tat ");
    }

    private static void vips(String... args) throws Exception {
        ExternalTools.vips(args);
    }
}
