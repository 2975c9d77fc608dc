package org.danseg.io.geojson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.danseg.io.FileReads;
import org.danseg.io.ImageFormatException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * A lab's annotations of a slide as QuPath exports them (<i>File > Export objects as GeoJSON</i>:
 * a FeatureCollection, or a bare array of Features): the annotated <b>regions</b> (annotations
 * classified "Region", or not classified at all) and, inside them, the <b>class polygons</b>
 * (every other classified annotation; its class name is its label). Only Polygon and
 * MultiPolygon geometries count; detections and other object types are left out, as are
 * points and lines. A malformed file is refused naming the file and the feature.
 */
public record QuPathAnnotations(List<Geometry> regions, List<Labelled> polygons) {

    /** A class polygon: its geometry (level-0 pixels) and its class name. */
    public record Labelled(Geometry geometry, String className) {
    }

    public static final String REGION = "Region";
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    public static QuPathAnnotations read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, "no such file");
        }
        FileReads.opened(file);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ImageFormatException(file, "is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        JsonNode features = root == null ? null : root.isArray() ? root : root.get("features");
        if (features == null || !features.isArray()) {
            throw new ImageFormatException(file, "is not a GeoJSON FeatureCollection (no \"features\" array)");
        }
        List<Geometry> regions = new ArrayList<>();
        List<Labelled> polygons = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            JsonNode f = features.get(i);
            JsonNode props = f.path("properties");
            String type = props.path("objectType").asText("annotation");
            if (!type.equals("annotation")) {
                continue;
            }
            JsonNode geometry = f.get("geometry");
            if (geometry == null || !geometry.has("type")) {
                throw new ImageFormatException(file, "feature " + i + " has no geometry");
            }
            String kind = geometry.get("type").asText();
            if (!kind.equals("Polygon") && !kind.equals("MultiPolygon")) {
                continue;
            }
            Geometry g;
            try {
                g = kind.equals("Polygon") ? polygon(geometry.get("coordinates")) : multiPolygon(geometry.get("coordinates"));
            } catch (RuntimeException e) {
                throw new ImageFormatException(file, "feature " + i + " has malformed " + kind + " coordinates (" + e.getMessage() + ")");
            }
            if (!g.isValid()) {
                g = g.buffer(0); // a self-touching outline as QuPath can draw it; its area stays
            }
            JsonNode name = props.path("classification").path("name");
            String className = name.isTextual() ? name.asText() : null;
            if (className == null || className.toLowerCase(Locale.ROOT).equals(REGION.toLowerCase(Locale.ROOT))) {
                regions.add(g);
            } else {
                polygons.add(new Labelled(g, className));
            }
        }
        if (regions.isEmpty()) {
            throw new ImageFormatException(file, "holds no annotated region (an annotation classified \"Region\" or unclassified)");
        }
        return new QuPathAnnotations(List.copyOf(regions), List.copyOf(polygons));
    }

    /** The class names in sorted order: class k + 1 is the k-th name (0 is background). */
    public List<String> classNames() {
        return polygons.stream().map(Labelled::className).distinct().sorted().toList();
    }

    private static Polygon polygon(JsonNode rings) {
        if (rings == null || !rings.isArray() || rings.isEmpty()) {
            throw new IllegalArgumentException("no rings");
        }
        LinearRing shell = ring(rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i));
        }
        return GEOMETRY.createPolygon(shell, holes);
    }

    private static Geometry multiPolygon(JsonNode polygons) {
        if (polygons == null || !polygons.isArray()) {
            throw new IllegalArgumentException("no polygons");
        }
        Polygon[] parts = new Polygon[polygons.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = polygon(polygons.get(i));
        }
        return GEOMETRY.createMultiPolygon(parts);
    }

    private static LinearRing ring(JsonNode points) {
        if (points == null || !points.isArray() || points.size() < 4) {
            throw new IllegalArgumentException("a ring needs at least 4 points");
        }
        Coordinate[] c = new Coordinate[points.size()];
        for (int i = 0; i < c.length; i++) {
            JsonNode p = points.get(i);
            if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw new IllegalArgumentException("point " + i + " is not [x, y]");
            }
            c[i] = new Coordinate(p.get(0).asDouble(), p.get(1).asDouble());
            if (!Double.isFinite(c[i].x) || !Double.isFinite(c[i].y)) {
                throw new IllegalArgumentException("point " + i + " is not finite");
            }
        }
        return GEOMETRY.createLinearRing(c);
    }
}
