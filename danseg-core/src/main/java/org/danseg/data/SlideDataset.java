package org.danseg.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.danseg.io.AtomicFiles;
import org.danseg.io.BadInputException;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.LabelMap;
import org.danseg.io.geojson.QuPathAnnotations;
import org.danseg.io.slide.Slide;
import org.danseg.io.slide.TissueMask;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * A partly annotated slide as training data, the seed's scenario in 2D: each annotated region
 * (QuPath's export, {@link QuPathAnnotations}) becomes one annotated case of an nnU-Net v2 raw
 * dataset (its bounding box's pixels; labels rasterised from the class polygons inside it, pixel
 * centres deciding as QuPath's own labelled-image export does; pixels of the box outside the region
 * get the dataset's ignore label and never enter a loss), and tiles of tissue that touch no region
 * become the unannotated images. No label is ever read or made outside the annotated regions: the
 * unannotated tiles are pixels only.
 */
public final class SlideDataset {
    /** A region larger than this on a side is refused (its pixels are read at once). */
    static final int MAX_REGION = 8192;

    /** What was written: the dataset folder, the unannotated folder, cases and tiles. */
    public record Written(Path dataset, Path unannotated, int cases, int tiles, List<String> classes) {
    }

    private SlideDataset() {
    }

    /**
     * Writes {@code out/Dataset900_Slides} (dataset.json, imagesTr, labelsTr) and
     * {@code out/unannotated/images}: {@code tilesPerSlide} tissue tiles of {@code tile} pixels per
     * slide, drawn with {@code seed}. Slides and annotation files pair by position.
     */
    public static Written write(List<Path> slides, List<Path> annotations, Path out, int tilesPerSlide, int tile, long seed) throws IOException {
        if (slides.isEmpty() || slides.size() != annotations.size()) {
            throw new BadInputException("give one --annotations file per --slide (" + slides.size() + " slides, " + annotations.size() + " annotation files)");
        }
        List<QuPathAnnotations> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path a : annotations) {
            QuPathAnnotations qa = QuPathAnnotations.read(a);
            all.add(qa);
            for (String n : qa.classNames()) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        if (names.isEmpty()) {
            throw new BadInputException(annotations.get(0) + ": no classified polygon inside the regions: nothing to learn (classify the objects you drew)");
        }
        Collections.sort(names);
        int ignore = names.size() + 1;
        Path dataset = out.resolve("Dataset900_Slides");
        Path imagesTr = dataset.resolve("imagesTr");
        Path labelsTr = dataset.resolve("labelsTr");
        Path unannotated = out.resolve("unannotated/images");
        Files.createDirectories(imagesTr);
        Files.createDirectories(labelsTr);
        Files.createDirectories(unannotated);
        int cases = 0;
        int tiles = 0;
        for (int s = 0; s < slides.size(); s++) {
            QuPathAnnotations qa = all.get(s);
            try (Slide slide = Slide.open(slides.get(s))) {
                String base = Slide.baseName(slides.get(s));
                for (int r = 0; r < qa.regions().size(); r++) {
                    Box box = Box.of(qa.regions().get(r), slide, annotations.get(s), r);
                    float[] px = slide.read(slide.levels().get(0), box.x, box.y, box.w, box.h);
                    String id = String.format(Locale.ROOT, "%s_r%03d", base, r);
                    ImageFileWriter.writeImage8(new Image2D(box.w, box.h, slide.channels(), px, 255, slide.spacing()),
                            imagesTr.resolve(id + "_0000.png"));
                    int[] labels = rasterise(qa, qa.regions().get(r), box, names, ignore);
                    ImageFileWriter.writeLabels(new LabelMap(box.w, box.h, labels, slide.spacing()), labelsTr.resolve(id + ".png"));
                    cases++;
                }
                for (int[] t : tissueTiles(slide, qa.regions(), tilesPerSlide, tile, seed + s)) {
                    float[] px = slide.read(slide.levels().get(0), t[0], t[1], tile, tile);
                    ImageFileWriter.writeImage8(new Image2D(tile, tile, slide.channels(), px, 255, slide.spacing()),
                            unannotated.resolve(String.format(Locale.ROOT, "%s_x%06d_y%06d.png", base, t[0], t[1])));
                    tiles++;
                }
            }
        }
        AtomicFiles.writeString(dataset.resolve("dataset.json"), datasetJson(names, ignore, cases));
        return new Written(dataset, unannotated.getParent(), cases, tiles, List.copyOf(names));
    }

    private static String datasetJson(List<String> names, int ignore, int cases) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        labels.put("background", 0);
        for (int k = 0; k < names.size(); k++) {
            labels.put(names.get(k), k + 1);
        }
        labels.put("ignore", ignore);
        StringBuilder l = new StringBuilder("{");
        labels.forEach((k, v) -> l.append(l.length() > 1 ? ", " : "").append('"').append(k.replace("\"", "\\\"")).append("\": ").append(v));
        l.append('}');
        return "{\"name\": \"Slides\", \"description\": \"annotated regions of whole-slide images (danseg slide-dataset)\", "
                + "\"channel_names\": {\"0\": \"R\", \"1\": \"G\", \"2\": \"B\"}, \"labels\": " + l + ", \"numTraining\": " + cases
                + ", \"file_ending\": \".png\"}\n";
    }

    /** A region's bounding box in level-0 pixels, inside the slide. */
    private record Box(int x, int y, int w, int h) {
        static Box of(Geometry region, Slide slide, Path file, int index) {
            Envelope e = region.getEnvelopeInternal();
            int x0 = (int) Math.max(0, Math.floor(e.getMinX()));
            int y0 = (int) Math.max(0, Math.floor(e.getMinY()));
            int x1 = (int) Math.min(slide.width(), Math.ceil(e.getMaxX()));
            int y1 = (int) Math.min(slide.height(), Math.ceil(e.getMaxY()));
            if (x1 <= x0 || y1 <= y0) {
                throw new BadInputException(file + ": region " + index + " lies outside the slide (" + slide.width() + "x" + slide.height() + ")");
            }
            if (x1 - x0 > MAX_REGION || y1 - y0 > MAX_REGION) {
                throw new BadInputException(file + ": region " + index + " is " + (x1 - x0) + "x" + (y1 - y0) + " pixels; split regions larger than "
                        + MAX_REGION + " on a side");
            }
            return new Box(x0, y0, x1 - x0, y1 - y0);
        }
    }

    /** Labels of a region's box: class polygons filled in file order (a later one wins), outside the region the ignore label. */
    static int[] rasterise(QuPathAnnotations qa, Geometry region, Box box, List<String> names, int ignore) {
        byte[] classes = fill(box, qa.polygons().stream().map(p -> new Object[] {p.geometry(), names.indexOf(p.className()) + 1}).toList());
        List<Object[]> regionOnly = new ArrayList<>();
        regionOnly.add(new Object[] {region, 1});
        byte[] inside = fill(box, regionOnly);
        int[] labels = new int[box.w * box.h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = inside[i] == 0 ? ignore : classes[i] & 0xff;
        }
        return labels;
    }

    /** Fills each (geometry, value) pair into a w x h byte raster at the box's offset; a pixel is filled when its centre is inside. */
    private static byte[] fill(Box box, List<Object[]> shapes) {
        BufferedImage raster = new BufferedImage(box.w, box.h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = raster.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.translate(-box.x, -box.y);
        for (Object[] s : shapes) {
            Geometry geometry = (Geometry) s[0];
            if (!geometry.getEnvelopeInternal().intersects(new Envelope(box.x, box.x + box.w, box.y, box.y + box.h))) {
                continue;
            }
            int v = (Integer) s[1];
            g.setColor(new java.awt.Color(v, v, v));
            g.fill(path(geometry));
        }
        g.dispose();
        return ((DataBufferByte) raster.getRaster().getDataBuffer()).getData();
    }

    private static Path2D path(Geometry geometry) {
        Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            Polygon poly = (Polygon) geometry.getGeometryN(i);
            ring(p, poly.getExteriorRing());
            for (int h = 0; h < poly.getNumInteriorRing(); h++) {
                ring(p, poly.getInteriorRingN(h));
            }
        }
        return p;
    }

    private static void ring(Path2D.Double p, LineString ring) {
        Coordinate[] c = ring.getCoordinates();
        p.moveTo(c[0].x, c[0].y);
        for (int i = 1; i < c.length; i++) {
            p.lineTo(c[i].x, c[i].y);
        }
        p.closePath();
    }

    /** Up to {@code count} tile origins on a grid of {@code tile} pixels whose tiles show tissue and touch no region; seeded, sorted. */
    static List<int[]> tissueTiles(Slide slide, List<Geometry> regions, int count, int tile, long seed) throws IOException {
        TissueMask tissue = TissueMask.of(slide);
        List<Envelope> boxes = regions.stream().map(Geometry::getEnvelopeInternal).toList();
        List<int[]> candidates = new ArrayList<>();
        for (int y = 0; y + tile <= slide.height(); y += tile) {
            for (int x = 0; x + tile <= slide.width(); x += tile) {
                Envelope t = new Envelope(x, x + tile, y, y + tile);
                boolean touches = boxes.stream().anyMatch(b -> b.intersects(t) && b.intersection(t).getArea() > 0);
                if (!touches && (tissue == null || !tissue.background(x, y, tile))) {
                    candidates.add(new int[] {x, y});
                }
            }
        }
        Collections.shuffle(candidates, new Random(seed));
        List<int[]> chosen = new ArrayList<>(candidates.subList(0, Math.min(count, candidates.size())));
        chosen.sort((a, b) -> a[1] != b[1] ? Integer.compare(a[1], b[1]) : Integer.compare(a[0], b[0]));
        return chosen;
    }
}
