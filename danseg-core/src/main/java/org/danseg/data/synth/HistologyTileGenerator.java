package org.danseg.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.danseg.io.Image2D;
import org.danseg.io.LabelMap;
import org.danseg.io.PixelSpacing;

/**
 * One synthetic H&E colon-tissue tile with instance-labelled glands. A gland is a lumen (pale,
 * sometimes with secretion) inside a ring of epithelium whose nuclei line the basal side; the
 * stroma around it is fibrous eosin with scattered nuclei. Malignant tiles have distorted, crowded,
 * sometimes merged or lumen-less glands with stratified, larger nuclei. Vessels, fat spaces and
 * lymphocyte clusters are lookalikes that are not glands. Features scale with the tile size (256
 * pixels is the reference field of view).
 */
public final class HistologyTileGenerator {

    /** A rendered tile: RGB image, instance labels (0 = stroma, 1..glands), and its grade. */
    public record Tile(Image2D image, LabelMap instances, boolean malignant, int glands) {
    }

    private HistologyTileGenerator() {
    }

    public static Tile generate(long seed, int size, boolean malignant) {
        SplittableRandom rng = new SplittableRandom(seed);
        double scale = size / 256.0;
        StainCanvas canvas = new StainCanvas(size);
        paintStroma(canvas, rng, scale);
        List<GlandShape> glands = placeGlands(rng, size, scale, malignant);
        GlandRaster raster = GlandRaster.of(glands, size);
        paintGlands(canvas, rng, glands, raster, scale, malignant);
        paintStromaCells(canvas, rng, raster, scale);
        paintLookalikes(canvas, rng, raster, scale);
        Image2D image = StainRenderer.render(canvas, rng);
        return new Tile(image, new LabelMap(size, size, raster.instances, PixelSpacing.UNIT), malignant, raster.instanceCount);
    }

    private static void paintStroma(StainCanvas c, SplittableRandom rng, double scale) {
        float[] texture = ValueNoise.octaves(rng, c.size, 28 * scale, 3, 1.0, 0);
        float[] fibres = ValueNoise.octaves(rng, c.size, 6 * scale, 2, 5.0, rng.nextDouble() * Math.PI);
        float[] loose = ValueNoise.octaves(rng, c.size, 40 * scale, 2, 1.0, 0);
        double density = 0.35 + 0.2 * rng.nextDouble();
        for (int i = 0; i < c.eosin.length; i++) {
            double e = density + 0.15 * texture[i] + 0.18 * fibres[i];
            if (loose[i] > 0.35) {
                // Loose, oedematous stroma: pale, as between real glands.
                e *= 0.35;
            }
            c.eosin[i] = (float) Math.max(0.03, e);
            c.haematoxylin[i] = (float) Math.max(0, 0.05 + 0.03 * texture[i]);
        }
    }

    private static List<GlandShape> placeGlands(SplittableRandom rng, int size, double scale, boolean malignant) {
        int target = (int) Math.round((malignant ? 4 + rng.nextInt(5) : 3 + rng.nextInt(5)) * scale * scale);
        target = Math.max(1, target);
        List<GlandShape> glands = new ArrayList<>();
        for (int attempt = 0; attempt < 400 && glands.size() < target; attempt++) {
            double r = (malignant ? 14 + 30 * rng.nextDouble() : 16 + 22 * rng.nextDouble()) * scale;
            double cx = -0.3 * r + rng.nextDouble() * (size + 0.6 * r);
            double cy = -0.3 * r + rng.nextDouble() * (size + 0.6 * r);
            GlandShape g = GlandShape.random(rng, cx, cy, r, malignant);
            boolean fits = true;
            for (GlandShape o : glands) {
                double d = Math.hypot(g.cx() - o.cx(), g.cy() - o.cy());
                // Benign glands keep apart (they may nearly touch); malignant ones may collide and merge.
                double minimum = malignant ? 0.55 * (g.radius() + o.radius()) : 1.05 * (g.extent() + o.extent()) * 0.8;
                if (d < minimum) {
                    fits = false;
                    break;
                }
            }
            if (fits) {
                glands.add(g);
            }
        }
        return glands;
    }

    /**
     * Which gland owns each pixel (the one it lies deepest in), its normalized radius there, and
     * the instance labels, with overlapping glands merged into one instance.
     */
    private static final class GlandRaster {
        final int[] owner;
        final float[] rho;
        final int[] instances;
        int instanceCount;

        private GlandRaster(int n) {
            owner = new int[n];
            rho = new float[n];
            instances = new int[n];
            Arrays.fill(owner, -1);
            Arrays.fill(rho, Float.POSITIVE_INFINITY);
        }

        static GlandRaster of(List<GlandShape> glands, int size) {
            GlandRaster r = new GlandRaster(size * size);
            int[] parent = new int[glands.size()];
            for (int g = 0; g < parent.length; g++) {
                parent[g] = g;
            }
            for (int g = 0; g < glands.size(); g++) {
                GlandShape s = glands.get(g);
                double ext = s.extent();
                int x0 = Math.max(0, (int) Math.floor(s.cx() - ext));
                int x1 = Math.min(size - 1, (int) Math.ceil(s.cx() + ext));
                int y0 = Math.max(0, (int) Math.floor(s.cy() - ext));
                int y1 = Math.min(size - 1, (int) Math.ceil(s.cy() + ext));
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        int i = y * size + x;
                        double p = s.rho(x, y);
                        if (p < 1 && r.owner[i] >= 0 && r.rho[i] < 1) {
                            union(parent, g, r.owner[i]);
                        }
                        if (p < r.rho[i]) {
                            r.rho[i] = (float) p;
                            r.owner[i] = g;
                        }
                    }
                }
            }
            int[] idOfRoot = new int[glands.size()];
            for (int i = 0; i < r.instances.length; i++) {
                if (r.owner[i] >= 0 && r.rho[i] < 1) {
                    int root = find(parent, r.owner[i]);
                    if (idOfRoot[root] == 0) {
                        idOfRoot[root] = ++r.instanceCount;
                    }
                    r.instances[i] = idOfRoot[root];
                }
            }
            return r;
        }

        boolean inGland(int i, double margin) {
            return rho[i] < 1 + margin;
        }

        private static int find(int[] p, int i) {
            while (p[i] != i) {
                i = p[i];
            }
            return i;
        }

        private static void union(int[] p, int a, int b) {
            int ra = find(p, a);
            int rb = find(p, b);
            if (ra != rb) {
                p[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }

    private static void paintGlands(StainCanvas c, SplittableRandom rng, List<GlandShape> glands, GlandRaster raster,
                                    double scale, boolean malignant) {
        int size = c.size;
        float[] secretion = ValueNoise.octaves(rng, size, 7 * scale, 2, 1.0, 0);
        double[] lumenEdge = new double[glands.size()];
        boolean[] secretes = new boolean[glands.size()];
        for (int g = 0; g < glands.size(); g++) {
            GlandShape s = glands.get(g);
            boolean solid = malignant && rng.nextDouble() < 0.25;
            lumenEdge[g] = solid ? 0.12 * rng.nextDouble() : 1.0 - s.epithelium();
            secretes[g] = rng.nextDouble() < 0.4;
        }
        double cytoplasmE = 0.5 + 0.2 * rng.nextDouble();
        for (int i = 0; i < size * size; i++) {
            int g = raster.owner[i];
            if (g < 0 || raster.rho[i] >= 1) {
                continue;
            }
            if (raster.rho[i] < lumenEdge[g]) {
                c.eosin[i] = secretes[g] ? (float) Math.max(0.02, 0.12 + 0.12 * secretion[i]) : 0.02f;
                c.haematoxylin[i] = 0.0f;
            } else {
                c.eosin[i] = (float) (cytoplasmE + 0.08 * secretion[i]);
                c.haematoxylin[i] = 0.16f;
            }
        }
        for (int g = 0; g < glands.size(); g++) {
            GlandShape s = glands.get(g);
            paintEpithelialNuclei(c, rng, s, scale, malignant);
            if (malignant && lumenEdge[g] > 0.3 && rng.nextDouble() < 0.35) {
                // Cribriform pattern: extra small lumens punched into the epithelium.
                int holes = 2 + rng.nextInt(3);
                for (int h = 0; h < holes; h++) {
                    double[] p = s.point(rng.nextDouble() * 2 * Math.PI, lumenEdge[g] + 0.5 * s.epithelium());
                    double r = (2 + 3 * rng.nextDouble()) * scale;
                    c.ellipse(p[0], p[1], r, r * (0.6 + 0.4 * rng.nextDouble()), rng.nextDouble() * Math.PI, -1, -1);
                }
            }
        }
    }

    private static void paintEpithelialNuclei(StainCanvas c, SplittableRandom rng, GlandShape s, double scale, boolean malignant) {
        double nucleusLength = (malignant ? 3.6 + 1.6 * rng.nextDouble() : 3.0 + 0.8 * rng.nextDouble()) * Math.sqrt(scale) + 0.6;
        double nucleusWidth = nucleusLength * (malignant ? 0.65 : 0.45);
        double circumference = 2 * Math.PI * s.radius() * Math.sqrt((s.aspect() + 1 / s.aspect()) / 2);
        int count = (int) (circumference / (nucleusWidth * (malignant ? 1.5 : 1.9)));
        for (int k = 0; k < count; k++) {
            if (!malignant && rng.nextDouble() < 0.12) {
                // Goblet cell: a pale mucin vacuole instead of a nucleus.
                double theta = 2 * Math.PI * (k + rng.nextDouble()) / count;
                double[] p = s.point(theta, 1 - s.epithelium() * 0.55);
                c.ellipse(p[0], p[1], nucleusLength, nucleusLength * 0.8, theta, -0.1, -0.4);
                continue;
            }
            double theta = 2 * Math.PI * (k + 0.3 * rng.nextDouble()) / count;
            double depth = malignant ? 0.1 + 0.85 * rng.nextDouble() : 0.12 + 0.3 * rng.nextDouble();
            double[] p = s.point(theta, 1 - s.epithelium() * depth);
            double radial = StrictMath.atan2(p[1] - s.cy(), p[0] - s.cx());
            double len = nucleusLength * (0.8 + 0.4 * rng.nextDouble()) * (malignant ? 0.8 + 0.6 * rng.nextDouble() : 1);
            double stain = malignant ? 1.0 + 0.7 * rng.nextDouble() : 0.9 + 0.4 * rng.nextDouble();
            c.ellipse(p[0], p[1], len, nucleusWidth, radial + 0.3 * (rng.nextDouble() - 0.5), stain, -0.15);
        }
    }

    private static void paintStromaCells(StainCanvas c, SplittableRandom rng, GlandRaster raster, double scale) {
        int size = c.size;
        int fibroblasts = (int) ((40 + rng.nextInt(60)) * scale * scale);
        for (int k = 0; k < fibroblasts; k++) {
            double x = rng.nextDouble() * size;
            double y = rng.nextDouble() * size;
            if (raster.inGland(index(x, y, size), 0.08)) {
                continue;
            }
            double len = (2.5 + 2.5 * rng.nextDouble()) * Math.sqrt(scale) + 0.5;
            c.ellipse(x, y, len, len * 0.35, rng.nextDouble() * Math.PI, 0.8 + 0.5 * rng.nextDouble(), -0.1);
        }
        if (rng.nextDouble() < 0.5) {
            // Lymphocyte cluster: dense small round nuclei, a classic false-positive bait.
            double cx = rng.nextDouble() * size;
            double cy = rng.nextDouble() * size;
            double spread = (10 + 14 * rng.nextDouble()) * scale;
            int cells = (int) ((25 + rng.nextInt(45)) * scale);
            for (int k = 0; k < cells; k++) {
                double x = cx + spread * StainRenderer.gaussian(rng);
                double y = cy + spread * StainRenderer.gaussian(rng);
                if (x < 0 || y < 0 || x >= size || y >= size || raster.inGland(index(x, y, size), 0.05)) {
                    continue;
                }
                double r = (1.6 + 0.6 * rng.nextDouble()) * Math.sqrt(scale) + 0.3;
                c.ellipse(x, y, r, r, 0, 1.3 + 0.4 * rng.nextDouble(), -0.2);
            }
        }
    }

    private static void paintLookalikes(StainCanvas c, SplittableRandom rng, GlandRaster raster, double scale) {
        int size = c.size;
        int count = rng.nextInt(4);
        for (int k = 0; k < count; k++) {
            double r = (6 + 14 * rng.nextDouble()) * scale;
            double cx = rng.nextDouble() * size;
            double cy = rng.nextDouble() * size;
            if (raster.inGland(index(cx, cy, size), 0.6)) {
                continue;
            }
            double aspect = 1 + rng.nextDouble();
            double angle = rng.nextDouble() * Math.PI;
            boolean vessel = rng.nextBoolean();
            // A pale space in the stroma: a vessel (thin wall, red cells) or a fat cell / tear (empty).
            c.ellipse(cx, cy, r * aspect, r, angle, -1, -1);
            if (vessel) {
                c.ellipse(cx, cy, r * aspect + 1.2, r + 1.2, angle, 0.05, 0.35);
                c.ellipse(cx, cy, r * aspect, r, angle, -1, -1);
                int walls = 2 + rng.nextInt(3);
                for (int w = 0; w < walls; w++) {
                    double t = rng.nextDouble() * 2 * Math.PI;
                    double x = cx + (r * aspect) * StrictMath.cos(t) * StrictMath.cos(angle) - r * StrictMath.sin(t) * StrictMath.sin(angle);
                    double y = cy + (r * aspect) * StrictMath.cos(t) * StrictMath.sin(angle) + r * StrictMath.sin(t) * StrictMath.cos(angle);
                    c.ellipse(x, y, 3 * Math.sqrt(scale), 1.0, t + Math.PI / 2, 1.0, 0);
                }
                int cells = rng.nextInt((int) (8 * scale) + 2);
                for (int b = 0; b < cells; b++) {
                    double x = cx + 0.6 * r * StainRenderer.gaussian(rng);
                    double y = cy + 0.6 * r * StainRenderer.gaussian(rng);
                    c.ellipse(x, y, 1.8 * Math.sqrt(scale), 1.8 * Math.sqrt(scale), 0, 0, 0.9);
                }
            }
        }
    }

    private static int index(double x, double y, int size) {
        int xi = Math.max(0, Math.min(size - 1, (int) x));
        int yi = Math.max(0, Math.min(size - 1, (int) y));
        return yi * size + xi;
    }
}
