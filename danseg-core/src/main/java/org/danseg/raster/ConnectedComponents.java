package org.danseg.raster;

/**
 * 8-connected component labelling of a binary grid, as MATLAB's {@code bwlabel(BW, 8)} (which the
 * GlaS evaluation used): labels 1..count in raster order of each component's first pixel.
 */
public final class ConnectedComponents {

    /** Per-pixel label (0 = background) and the number of components. */
    public record Labels(int[] labels, int count) {
    }

    private ConnectedComponents() {
    }

    public static Labels label8(boolean[] foreground, int width, int height) {
        if (foreground.length != width * height) {
            throw new IllegalArgumentException("grid is " + foreground.length + " pixels, expected " + width + "x" + height);
        }
        int n = foreground.length;
        int[] parent = new int[n];
        // First pass: union with the already-visited neighbours (W, NW, N, NE).
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (!foreground[i]) {
                    parent[i] = -1;
                    continue;
                }
                parent[i] = i;
                if (x > 0 && foreground[i - 1]) {
                    union(parent, i, i - 1);
                }
                if (y > 0) {
                    int up = i - width;
                    if (x > 0 && foreground[up - 1]) {
                        union(parent, i, up - 1);
                    }
                    if (foreground[up]) {
                        union(parent, i, up);
                    }
                    if (x + 1 < width && foreground[up + 1]) {
                        union(parent, i, up + 1);
                    }
                }
            }
        }
        // Second pass: number roots in raster order of their first pixel.
        int[] labels = new int[n];
        int[] rootLabel = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (parent[i] < 0) {
                continue;
            }
            int root = find(parent, i);
            if (rootLabel[root] == 0) {
                rootLabel[root] = ++count;
            }
            labels[i] = rootLabel[root];
        }
        return new Labels(labels, count);
    }

    /** 26-connected components of a 3D grid (x fastest), numbered in scan order as in 2D. */
    public static Labels label26(boolean[] foreground, int nx, int ny, int nz) {
        int n = foreground.length;
        if (n != nx * ny * nz) {
            throw new IllegalArgumentException("grid is " + n + " voxels, expected " + nx + "x" + ny + "x" + nz);
        }
        int[] parent = new int[n];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int v = (k * ny + j) * nx + i;
                    if (!foreground[v]) {
                        parent[v] = -1;
                        continue;
                    }
                    parent[v] = v;
                    // The 13 neighbours already visited in scan order.
                    for (int dk = -1; dk <= 0; dk++) {
                        for (int dj = -1; dj <= 1; dj++) {
                            for (int di = -1; di <= 1; di++) {
                                boolean earlier = dk < 0 || (dj < 0) || (dj == 0 && di < 0);
                                if (!earlier) {
                                    continue;
                                }
                                int a = i + di;
                                int b = j + dj;
                                int c = k + dk;
                                if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny) {
                                    continue;
                                }
                                int w = (c * ny + b) * nx + a;
                                if (foreground[w]) {
                                    union(parent, v, w);
                                }
                            }
                        }
                    }
                }
            }
        }
        int[] labels = new int[n];
        int[] rootLabel = new int[n];
        int count = 0;
        for (int v = 0; v < n; v++) {
            if (parent[v] < 0) {
                continue;
            }
            int root = find(parent, v);
            if (rootLabel[root] == 0) {
                rootLabel[root] = ++count;
            }
            labels[v] = rootLabel[root];
        }
        return new Labels(labels, count);
    }

    private static int find(int[] parent, int i) {
        int root = i;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[i] != root) {
            int next = parent[i];
            parent[i] = root;
            i = next;
        }
        return root;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            // Keep the smaller index as root so the first pixel of a component is its root.
            if (ra < rb) {
                parent[rb] = ra;
            } else {
                parent[ra] = rb;
            }
        }
    }
}
