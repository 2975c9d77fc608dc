package org.danseg.io.geojson;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.danseg.io.PixelSpacing;
import org.danseg.raster.ConnectedComponents;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

class MaskObjectsTest {

    private static MaskObjects.Rows rows(int[] labels, int w, int h) {
        return new MaskObjects.Rows() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public void row(int y, int[] out) {
                System.arraycopy(labels, y * w, out, 0, w);
            }
        };
    }

    private static List<MaskObjects.MaskObject> trace(int[] labels, int w, int h) throws IOException {
        List<MaskObjects.MaskObject> objects = new ArrayList<>();
        MaskObjects.trace(rows(labels, w, h), objects::add);
        return objects;
    }

    @Test
    void objectsAreTheEightConnectedComponentsOfEachLabelWithExactValidOutlines() throws IOException {
        Random rng = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            int w = 20 + rng.nextInt(40);
            int h = 20 + rng.nextInt(40);
            int[] labels = new int[w * h];
            // Blobs of two labels: squares, some overlapping, some touching at corners.
            for (int b = 0; b < 12; b++) {
                int label = 1 + rng.nextInt(2);
                int bx = rng.nextInt(w);
                int by = rng.nextInt(h);
                int s = 1 + rng.nextInt(8);
                for (int y = by; y < Math.min(h, by + s); y++) {
                    for (int x = bx; x < Math.min(w, bx + s); x++) {
                        labels[y * w + x] = rng.nextInt(10) == 0 ? 0 : label;
                    }
                }
            }
            List<MaskObjects.MaskObject> objects = trace(labels, w, h);
            for (int label = 1; label <= 2; label++) {
                boolean[] fg = new boolean[w * h];
                long pixels = 0;
                for (int i = 0; i < fg.length; i++) {
                    fg[i] = labels[i] == label;
                    pixels += fg[i] ? 1 : 0;
                }
                int expected = ConnectedComponents.label8(fg, w, h).count();
                int finalLabel = label;
                List<MaskObjects.MaskObject> mine = objects.stream().filter(o -> o.label() == finalLabel).toList();
                assertThat(mine).hasSize(expected);
                assertThat(mine.stream().mapToLong(MaskObjects.MaskObject::pixels).sum()).isEqualTo(pixels);
                for (MaskObjects.MaskObject o : mine) {
                    assertThat(o.outline().isValid()).isTrue();
                    assertThat(o.outline().getArea()).isEqualTo((double) o.pixels());
                }
            }
        }
    }

    @Test
    void aMaskThatKnowsItsLabelledColumnsIsTracedFromThemAloneToTheSameObjects() throws IOException {
        Random rng = new Random(11);
        int w = 90;
        int h = 60;
        int[] labels = new int[w * h];
        int[] from = new int[h];
        int[] to = new int[h];
        for (int y = 0; y < h; y++) {
            // Rows 20..29 are all glass; the others hold speckle in a drifting span of columns.
            if (y >= 20 && y < 30) {
                continue;
            }
            from[y] = 10 + y % 17;
            to[y] = from[y] + 25 + y % 30;
            for (int x = from[y]; x < to[y]; x++) {
                labels[y * w + x] = rng.nextInt(3) == 0 ? 0 : 1 + rng.nextInt(2);
            }
        }
        MaskObjects.Rows full = rows(labels, w, h);
        MaskObjects.Rows hinted = new MaskObjects.Rows() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public void row(int y, int[] out) {
                assertThat(from[y]).as("an empty row %d is not read", y).isLessThan(to[y]);
                // Only the labelled columns are filled; whatever the buffer held elsewhere stays.
                java.util.Arrays.fill(out, 7);
                System.arraycopy(labels, y * w + from[y], out, from[y], to[y] - from[y]);
            }

            @Override
            public int from(int y) {
                return from[y];
            }

            @Override
            public int to(int y) {
                return to[y];
            }
        };
        List<MaskObjects.MaskObject> expected = new ArrayList<>();
        MaskObjects.trace(full, expected::add);
        List<MaskObjects.MaskObject> got = new ArrayList<>();
        MaskObjects.trace(hinted, got::add);
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).label()).isEqualTo(expected.get(i).label());
            assertThat(got.get(i).pixels()).isEqualTo(expected.get(i).pixels());
            assertThat(got.get(i).outline().equalsExact(expected.get(i).outline())).as("object %d: %s vs %s", i, got.get(i).outline(), expected.get(i).outline()).isTrue();
        }
    }

    @Test
    void aSpeckledMaskOfOneHugeObjectWithThousandsOfHolesIsExact() throws IOException {
        // What a badly trained model predicts: with an overlay union this took minutes; the coverage union is linear.
        int w = 300;
        int h = 300;
        int[] labels = new int[w * h];
        Random rng = new Random(9);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10) < 7 ? 1 : 0;
        }
        List<MaskObjects.MaskObject> objects = trace(labels, w, h);
        boolean[] fg = new boolean[w * h];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = labels[i] == 1;
        }
        assertThat(objects).hasSize(ConnectedComponents.label8(fg, w, h).count());
        for (MaskObjects.MaskObject o : objects) {
            assertThat(o.outline().isValid()).isTrue();
            assertThat(o.outline().getArea()).isEqualTo((double) o.pixels());
        }
    }

    @Test
    void holesAreKeptAndCornerTouchingPixelsAreOneObjectOfTwoPolygons() throws IOException {
        int w = 7;
        int h = 7;
        int[] donut = new int[w * h];
        for (int y = 1; y <= 5; y++) {
            for (int x = 1; x <= 5; x++) {
                donut[y * w + x] = (x == 3 && y == 3) ? 0 : 1;
            }
        }
        List<MaskObjects.MaskObject> one = trace(donut, w, h);
        assertThat(one).hasSize(1);
        Polygon p = (Polygon) one.get(0).outline();
        assertThat(p.getNumInteriorRing()).isEqualTo(1);
        // Simplified: the outer square has 4 corners (5 points closed), the hole too.
        assertThat(p.getExteriorRing().getNumPoints()).isEqualTo(5);
        assertThat(p.getInteriorRingN(0).getNumPoints()).isEqualTo(5);
        assertThat(p.getArea()).isEqualTo(24.0);

        int[] diagonal = new int[4 * 4];
        diagonal[1 * 4 + 1] = 1;
        diagonal[2 * 4 + 2] = 1;
        List<MaskObjects.MaskObject> corner = trace(diagonal, 4, 4);
        assertThat(corner).hasSize(1);
        assertThat(corner.get(0).outline()).isInstanceOf(MultiPolygon.class);
        assertThat(corner.get(0).outline().isValid()).isTrue();
    }

    @Test
    void geoJsonIsAFeatureCollectionOfClassifiedDetectionsWithAreasInSquareMicrometres() throws IOException {
        int[] labels = new int[6 * 4];
        labels[0] = 1;
        labels[1] = 1;
        labels[5 + 6 * 2] = 2;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (QuPathGeoJson json = new QuPathGeoJson(bytes, QuPathGeoJson.defaultClassNames(3), PixelSpacing.millimetres(0.0005, 0.0005))) {
            MaskObjects.trace(rows(labels, 6, 4), o -> json.write(o, java.util.Map.of()));
        }
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes.toByteArray());
        assertThat(tree.get("type").asText()).isEqualTo("FeatureCollection");
        assertThat(tree.get("features")).hasSize(2);
        var first = tree.get("features").get(0);
        assertThat(first.get("type").asText()).isEqualTo("Feature");
        assertThat(first.get("geometry").get("type").asText()).isEqualTo("Polygon");
        assertThat(first.get("geometry").get("coordinates").get(0).toString()).isIn(
                "[[0,0],[0,1],[2,1],[2,0],[0,0]]", "[[0,0],[2,0],[2,1],[0,1],[0,0]]", "[[0,1],[2,1],[2,0],[0,0],[0,1]]");
        assertThat(first.get("properties").get("objectType").asText()).isEqualTo("detection");
        assertThat(first.get("properties").get("classification").get("name").asText()).isEqualTo("Class 1");
        assertThat(first.get("properties").get("measurements").get("Area µm^2").asDouble())
                .isCloseTo(2 * 0.25, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(tree.get("features").get(1).get("properties").get("classification").get("name").asText()).isEqualTo("Class 2");
    }
}
