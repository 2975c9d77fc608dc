package org.danseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.danseg.cli.Main;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slides on Spark in local[2]: a libvips slide cut into parts of one tile row, predicted by separate
 * tasks and joined, gives danseg predict's mask byte for byte and the same objects; a truncated
 * slide is an error row naming it; a rerun skips the finished slide; no parts are left behind.
 */
class SlideJobTest {

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("danseg-slide-test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static void danseg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("danseg %s: %s", String.join(" ", args), err).isZero();
    }

    private static void vips(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("vips"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("vips %s: %s", String.join(" ", args), out).isTrue();
    }

    private static boolean haveVips() {
        try {
            Process p = new ProcessBuilder("vips", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The GeoJSON without the random ids QuPath objects carry. */
    private static JsonNode withoutIds(Path geojson) throws Exception {
        JsonNode root = new ObjectMapper().readTree(geojson.toFile());
        for (JsonNode f : root.get("features")) {
            ((ObjectNode) f).remove("id");
        }
        return root;
    }

    @Test
    void aSlidesPartsPredictedByManyTasksJoinIntoDansegPredictsMaskAndObjects() throws Exception {
        if (!haveVips()) {
            if ("1".equals(System.getenv("DANSEG_REQUIRE_REFERENCE"))) {
                throw new AssertionError("slide tests need libvips-tools (apt-get install; .ci/run does)");
            }
            Assumptions.abort("SKIPPED: slide tests need libvips-tools");
        }
        Path data = dir.resolve("data");
        SynthDatasetWriter.write(new SynthConfig(2, 8, 0, 64, 3, 0.4), data, true, null);
        Path model = dir.resolve("model");
        danseg("train", "--annotated", data.resolve("annotated").toString(), "--out", model.toString(), "--mode", "supervised",
                "--width", "8", "--patch", "64", "--iterations", "3", "--pretrain-iterations", "0", "--threads", "2");
        List<String> tiles;
        try (Stream<Path> s = Files.list(data.resolve("unannotated/images"))) {
            tiles = s.map(Path::toString).sorted().toList();
        }
        Path slides = dir.resolve("slides");
        Files.createDirectories(slides);
        // Tissue (4 x 2 tiles of 64 px) on white glass: 700 x 600, three rows of 256-pixel tiles at overlap 0.25.
        vips("arrayjoin", String.join(" ", tiles), dir.resolve("t.v").toString(), "--across", "4");
        vips("embed", dir.resolve("t.v").toString(), dir.resolve("e.v").toString(), "100", "330", "700", "600", "--extend", "white");
        Path slide = slides.resolve("slide.tif");
        vips("tiffsave", dir.resolve("e.v").toString(), slide.toString(), "--tile", "--tile-width", "128", "--tile-height", "128", "--pyramid",
                "--compression", "jpeg", "--Q", "90", "--bigtiff", "--xres", "2000", "--yres", "2000");
        byte[] whole = Files.readAllBytes(slide);
        Files.write(slides.resolve("cut.tif"), java.util.Arrays.copyOf(whole, whole.length / 3));
        Path predicted = dir.resolve("predicted");
        danseg("predict", "--model", model.toString(), "--input", slide.toString(), "--out", predicted.toString());

        Path out = dir.resolve("out");
        SparkJobSettings settings = new SparkJobSettings(model.toString(), slides.toString(), out.toString(), "png", 0, 0.25, false, false, false,
                3, 1, true, false, 1);
        Map<String, SegmentationResult> first = byName(DansegSparkJob.run(spark, settings).collectAsList());
        assertThat(first).hasSize(2);
        SegmentationResult ok = first.get("slide.tif");
        assertThat(ok.getStatus()).as(ok.getMessage()).isEqualTo(SegmentationResult.OK);
        assertThat(ok.getWidth()).isEqualTo(700);
        assertThat(ok.getHeight()).isEqualTo(600);
        java.awt.image.Raster mask = javax.imageio.ImageIO.read(predicted.resolve("slide.mask.tif").toFile()).getRaster();
        long foreground = 0;
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 700; x++) {
                foreground += mask.getSample(x, y, 0) != 0 ? 1 : 0;
            }
        }
        assertThat(foreground).isPositive();
        assertThat(ok.getForegroundFraction()).isEqualTo(foreground / (700.0 * 600.0));
        assertThat(first.get("cut.tif").getStatus()).isEqualTo(SegmentationResult.ERROR);
        assertThat(first.get("cut.tif").getMessage()).contains("cut.tif");
        assertThat(Files.readAllBytes(out.resolve("slide.mask.tif"))).as("the joined mask is danseg predict's")
                .isEqualTo(Files.readAllBytes(predicted.resolve("slide.mask.tif")));
        assertThat(withoutIds(out.resolve("slide.geojson"))).isEqualTo(withoutIds(predicted.resolve("slide.geojson")));
        assertThat(withoutIds(out.resolve("slide.geojson")).get("features").size()).isPositive();
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.filter(p -> p.toString().endsWith(".labels")).toList()).as("parts deleted once joined").isEmpty();
        }
        assertThat(spark.read().parquet(out.resolve(DansegSparkJob.RESULTS).toString()).count()).isEqualTo(2);

        Map<String, SegmentationResult> rerun = byName(DansegSparkJob.run(spark, settings).collectAsList());
        assertThat(rerun.get("slide.tif").getStatus()).isEqualTo(SegmentationResult.SKIPPED);
        assertThat(rerun.get("cut.tif").getStatus()).isEqualTo(SegmentationResult.ERROR);
    }

    private static Map<String, SegmentationResult> byName(List<SegmentationResult> results) {
        return results.stream().collect(Collectors.toMap(r -> Path.of(java.net.URI.create(r.getInput())).getFileName().toString(), r -> r));
    }
}
