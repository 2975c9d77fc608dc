package org.danseg.io.geojson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.CoverageUnion;
import org.locationtech.jts.operation.polygonize.Polygonizer;
import org.locationtech.jts.simplify.DouglasPeuckerSimplifier;

/**
 * The objects of a label mask as polygons on pixel edges: each 8-connected component of one label
 * value (the objects danseg's object metrics count) becomes the union of its pixels' squares, built
 * and simplified by JTS (collinear vertices dropped, never a corner), holes kept; pixels that touch
 * only at a corner make a MultiPolygon, the valid form of that shape. The mask is read row by
 * row in one pass, so a slide-sized mask is never held: only its runs of foreground pixels are, and
 * an object is one object wherever tiles or bands cut it.
 */
public final class MaskObjects {

    /** One object: its label, its pixel count and its outline in pixel coordinates (x right, y down; pixel (x, y) is [x, x+1] x [y, y+1]). */
    public record MaskObject(int label, long pixels, Geometry outline) {
    }

    /** Rows of a mask, top to bottom: labels 0 (background) .. 255. */
    public interface Rows {
        int width();

        int height();

        /** Row {@code y} into {@code out} (length width); only columns {@link #from} .. {@link #to} - 1 are read. */
        void row(int y, int[] out) throws IOException;

        /** The first column of row {@code y} that may hold a non-zero label: a mask that knows where its glass is says so. */
        default int from(int y) {
            return 0;
        }

        /** One past the last column of row {@code y} that may hold a non-zero label. */
        default int to(int y) {
            return width();
        }
    }

    /** Receives objects in scan order of their first pixel. */
    public interface Sink {
        void object(MaskObject o) throws IOException;
    }

    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private MaskObjects() {
    }

    /** Every object of the mask, handed to {@code sink} in scan order of each object's first pixel. */
    public static void trace(Rows rows, Sink sink) throws IOException {
        Runs runs = new Runs();
        int w = rows.width();
        int[] row = new int[w];
        int prevStart = 0;
        int prevEnd = 0;
        for (int y = 0; y < rows.height(); y++) {
            int start = runs.size;
            int p = prevStart;
            int end = Math.min(w, rows.to(y));
            int x = Math.max(0, rows.from(y));
            if (x < end) {
                rows.row(y, row);
            }
            while (x < end) {
                int label = row[x];
                if (label == 0) {
                    x++;
                    continue;
                }
                int x0 = x;
                while (x < end && row[x] == label) {
                    x++;
                }
                int id = runs.add(y, x0, x, label);
                // 8-connected: a run above touches this one if it covers any of columns x0 - 1 .. x.
                while (p < prevEnd && runs.x1[p] < x0) {
                    p++;
                }
                for (int q = p; q < prevEnd && runs.x0[q] <= x; q++) {
                    if (runs.label[q] == label) {
                        runs.union(q, id);
                    }
                }
            }
            prevStart = start;
            prevEnd = runs.size;
        }
        emit(runs, sink);
    }

    private static void emit(Runs runs, Sink sink) throws IOException {
        int n = runs.size;
        int[] root = new int[n];
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            root[i] = runs.find(i);
            count[root[i] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        // Runs grouped by object; the object of root r starts at count[r]. Runs are in scan order, so each group is too.
        int[] order = new int[n];
        int[] next = Arrays.copyOf(count, n);
        for (int i = 0; i < n; i++) {
            order[next[root[i]]++] = i;
        }
        for (int r = 0; r < n; r++) {
            if (root[r] != r) {
                continue;
            }
            int from = count[r];
            int to = count[r + 1];
            List<Geometry> strips = new ArrayList<>(to - from);
            long pixels = 0;
            // The object's runs are in scan order: rows ascend, and within a row x ascends.
            int rowStart = from;
            int prevRowStart = -1;
            int prevRowEnd = -1;
            while (rowStart < to) {
                int y = runs.y[order[rowStart]];
                int rowEnd = rowStart;
                while (rowEnd < to && runs.y[order[rowEnd]] == y) {
                    rowEnd++;
                }
                int nextEnd = rowEnd;
                while (nextEnd < to && runs.y[order[nextEnd]] == y + 1) {
                    nextEnd++;
                }
                boolean above = prevRowStart >= 0 && runs.y[order[prevRowStart]] == y - 1;
                for (int k = rowStart; k < rowEnd; k++) {
                    int i = order[k];
                    strips.add(strip(runs, order, i, above ? prevRowStart : 0, above ? prevRowEnd : 0, rowEnd, nextEnd));
                    pixels += runs.x1[i] - runs.x0[i];
                }
                prevRowStart = rowStart;
                prevRowEnd = rowEnd;
                rowStart = rowEnd;
            }
            // The strips tile the object edge to edge with matching vertices (a coverage): CoverageUnion only drops
            // the shared edges, linear in the outline, where an overlay union of a speckled object took minutes.
            Geometry union = CoverageUnion.union(GEOMETRY.buildGeometry(strips));
            if (!union.isValid()) {
                // Pixels that touch only at a corner leave a ring touching itself there: split into its valid form.
                union = splitWhereRingsTouch(union);
            }
            sink.object(new MaskObject(runs.label[r], pixels, withoutCollinearVertices(union)));
        }
    }

    /**
     * The same point set with its rings cut where they touch themselves or each other (where the
     * object's pixels meet only at a corner, CoverageUnion leaves one ring passing twice through that
     * vertex) and reassembled into shells and holes by JTS's Polygonizer, which keeps the alternate
     * faces: the valid form, a hole touching its shell at a point. GeometryFixer made the same
     * point set by buffering and overlaying the whole object, four fifths of a slide's object time
     * (docs/slides.md).
     */
    private static Geometry splitWhereRingsTouch(Geometry union) {
        List<LineString> rings = new ArrayList<>();
        for (int i = 0; i < union.getNumGeometries(); i++) {
            Polygon p = (Polygon) union.getGeometryN(i);
            rings.add(p.getExteriorRing());
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                rings.add(p.getInteriorRingN(h));
            }
        }
        Map<Coordinate, Integer> visits = new HashMap<>();
        for (LineString r : rings) {
            Coordinate[] c = r.getCoordinates();
            for (int i = 0; i < c.length - 1; i++) {
                visits.merge(c[i], 1, Integer::sum);
            }
        }
        Polygonizer polygonizer = new Polygonizer(true);
        for (LineString r : rings) {
            Coordinate[] c = r.getCoordinates();
            int n = c.length - 1;
            int start = 0;
            while (start < n && visits.get(c[start]) < 2) {
                start++;
            }
            if (start == n) {
                polygonizer.add(r);
                continue;
            }
            // The ring as lines from touching vertex to touching vertex: the Polygonizer wants lines that meet only at their ends.
            List<Coordinate> line = new ArrayList<>();
            line.add(c[start]);
            for (int k = 1; k <= n; k++) {
                Coordinate v = c[(start + k) % n];
                line.add(v);
                if (visits.get(v) > 1) {
                    polygonizer.add(GEOMETRY.createLineString(line.toArray(Coordinate[]::new)));
                    line = new ArrayList<>();
                    line.add(v);
                }
            }
        }
        // In normal form: the Polygonizer's ring order and starting vertices vary from run to run.
        return polygonizer.getGeometry().norm();
    }

    /**
     * Run {@code i} as a one-pixel-high rectangle whose top edge carries a vertex at every end of a
     * run above ({@code order[aboveFrom..aboveTo)}) and whose bottom edge one at every end of a run
     * below ({@code order[belowFrom..belowTo)}) that falls inside it, so neighbouring strips share
     * their edges vertex for vertex.
     */
    private static Polygon strip(Runs runs, int[] order, int i, int aboveFrom, int aboveTo, int belowFrom, int belowTo) {
        int x0 = runs.x0[i];
        int x1 = runs.x1[i];
        int y = runs.y[i];
        List<Coordinate> ring = new ArrayList<>();
        // Top edge left to right at y, then down the right side, bottom edge right to left at y + 1, up the left side.
        ring.add(new Coordinate(x0, y));
        for (int k = aboveFrom; k < aboveTo; k++) {
            addInside(ring, runs.x0[order[k]], x0, x1, y);
            addInside(ring, runs.x1[order[k]], x0, x1, y);
        }
        ring.add(new Coordinate(x1, y));
        ring.add(new Coordinate(x1, y + 1));
        for (int k = belowTo - 1; k >= belowFrom; k--) {
            addInside(ring, runs.x1[order[k]], x0, x1, y + 1);
            addInside(ring, runs.x0[order[k]], x0, x1, y + 1);
        }
        ring.add(new Coordinate(x0, y + 1));
        ring.add(new Coordinate(x0, y));
        return GEOMETRY.createPolygon(ring.toArray(Coordinate[]::new));
    }

    private static void addInside(List<Coordinate> ring, int x, int x0, int x1, int y) {
        if (x > x0 && x < x1 && ring.get(ring.size() - 1).x != x) {
            ring.add(new Coordinate(x, y));
        }
    }

    /**
     * The outline without its collinear vertices (Douglas-Peucker at tolerance 0 drops exactly those,
     * so the point set, and its validity, are unchanged; JTS's topology-preserving simplifier was
     * quadratic on a speckled object's thousands of holes).
     */
    private static Geometry withoutCollinearVertices(Geometry g) {
        DouglasPeuckerSimplifier s = new DouglasPeuckerSimplifier(g);
        s.setDistanceTolerance(0.0);
        s.setEnsureValid(false);
        return s.getResultGeometry();
    }

    /** Runs of one label along a row, with a union-find over them (an object is a set of runs). */
    private static final class Runs {
        int size;
        int[] y = new int[1024];
        int[] x0 = new int[1024];
        int[] x1 = new int[1024];
        int[] label = new int[1024];
        int[] parent = new int[1024];

        int add(int row, int from, int to, int value) {
            if (size == y.length) {
                int c = size * 2;
                y = Arrays.copyOf(y, c);
                x0 = Arrays.copyOf(x0, c);
                x1 = Arrays.copyOf(x1, c);
                label = Arrays.copyOf(label, c);
                parent = Arrays.copyOf(parent, c);
            }
            y[size] = row;
            x0[size] = from;
            x1[size] = to;
            label[size] = value;
            parent[size] = size;
            return size++;
        }

        int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        /** The smaller index stays the root, so an object's root is its first run in scan order. */
        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }
}
