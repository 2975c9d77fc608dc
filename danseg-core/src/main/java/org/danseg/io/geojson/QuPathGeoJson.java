package org.danseg.io.geojson;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import org.danseg.io.PixelSpacing;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * Objects as the GeoJSON QuPath imports by drag and drop (QuPath 0.4 and later: the fields its
 * {@code PathObjectTypeAdapters} reads, in the shape its own export writes; {@code isLocked} is
 * left out as QuPath leaves it out for unlocked objects): a FeatureCollection whose every
 * Feature has a random UUID {@code id}, a Polygon or MultiPolygon {@code geometry} in level-0 pixel
 * coordinates (x right, y down, pixel (x, y) spans [x, x+1] x [y, y+1]) with closed rings, the
 * outer one first and holes after it, and {@code properties}: {@code objectType} "detection",
 * {@code classification} with the class {@code name} and an RGB {@code color}, and
 * {@code measurements} {"Area µm^2": ...} (or "Area px^2" for a mask without a pixel
 * size), plus any extra measurements given.
 */
public final class QuPathGeoJson implements AutoCloseable {
    private static final int[][] COLOURS = {{200, 0, 0}, {0, 150, 0}, {0, 0, 200}, {200, 150, 0}, {150, 0, 150}, {0, 150, 150}};
    private final JsonGenerator json;
    private final List<String> classNames;
    private final PixelSpacing spacing;
    private final double scaleX;
    private final double scaleY;
    private long written;

    /** {@code classNames.get(k)} names label k (k >= 1); the mask is level 0 and {@code spacing} its pixel. */
    public QuPathGeoJson(OutputStream out, List<String> classNames, PixelSpacing spacing) throws IOException {
        this(out, classNames, spacing, 1, 1);
    }

    /**
     * For a mask on a coarser (or finer) grid than level 0: its pixel (x, y) is level-0's
     * (x scaleX, y scaleY), and {@code spacing} is the mask's own pixel, which areas count.
     */
    public QuPathGeoJson(OutputStream out, List<String> classNames, PixelSpacing spacing, double scaleX, double scaleY) throws IOException {
        if (!(scaleX > 0) || !(scaleY > 0)) {
            throw new IllegalArgumentException("coordinate scale must be positive: " + scaleX + " x " + scaleY);
        }
        this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        this.classNames = classNames;
        this.spacing = spacing;
        this.scaleX = scaleX;
        this.scaleY = scaleY;
        json.writeStartObject();
        json.writeStringField("type", "FeatureCollection");
        json.writeArrayFieldStart("features");
    }

    /** The class names QuPath shows for a model of {@code classes} classes (label 0 is background and never an object). */
    public static List<String> defaultClassNames(int classes) {
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(k == 0 ? "Background" : classes == 2 ? "Foreground" : "Class " + k);
        }
        return names;
    }

    public void write(MaskObjects.MaskObject o, java.util.Map<String, Double> extra) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "Feature");
        json.writeStringField("id", UUID.randomUUID().toString());
        json.writeObjectFieldStart("geometry");
        Geometry g = o.outline();
        if (g instanceof Polygon p) {
            json.writeStringField("type", "Polygon");
            json.writeFieldName("coordinates");
            polygon(p);
        } else {
            json.writeStringField("type", "MultiPolygon");
            json.writeArrayFieldStart("coordinates");
            for (int i = 0; i < g.getNumGeometries(); i++) {
                polygon((Polygon) g.getGeometryN(i));
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeObjectFieldStart("properties");
        json.writeStringField("objectType", "detection");
        json.writeObjectFieldStart("classification");
        json.writeStringField("name", o.label() < classNames.size() ? classNames.get(o.label()) : "Class " + o.label());
        int[] c = COLOURS[(o.label() - 1 + COLOURS.length) % COLOURS.length];
        json.writeArrayFieldStart("color");
        for (int v : c) {
            json.writeNumber(v);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeObjectFieldStart("measurements");
        if (spacing.unit().equals("mm")) {
            json.writeNumberField("Area µm^2", o.pixels() * spacing.x() * spacing.y() * 1e6);
        } else {
            json.writeNumberField("Area px^2", (double) o.pixels());
        }
        for (var e : extra.entrySet()) {
            json.writeNumberField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        written++;
    }

    public long written() {
        return written;
    }

    private void polygon(Polygon p) throws IOException {
        json.writeStartArray();
        ring(p.getExteriorRing());
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            ring(p.getInteriorRingN(i));
        }
        json.writeEndArray();
    }

    private void ring(LineString ring) throws IOException {
        json.writeStartArray();
        for (Coordinate c : ring.getCoordinates()) {
            json.writeStartArray();
            writeCoordinate(c.x * scaleX);
            writeCoordinate(c.y * scaleY);
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private void writeCoordinate(double v) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            json.writeNumber((long) v);
        } else {
            json.writeNumber(v);
        }
    }

    @Override
    public void close() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.close();
    }
}
