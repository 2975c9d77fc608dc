package org.danseg.io.slide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelRasterTest {

    @Test
    void rowsGivenByTheirLabelledColumnsReadBackAsTheWholeImageAtEveryStep(@TempDir Path dir) throws Exception {
        int w = 203;
        int h = 97;
        int[] truth = new int[w * h];
        Random random = new Random(7);
        try (LabelRaster raster = new LabelRaster(dir, w, h)) {
            for (int y0 = 0; y0 < h; ) {
                int rows = Math.min(h - y0, 1 + random.nextInt(9));
                // A band labelled in a random span of columns (sometimes none), background elsewhere.
                int x0 = random.nextInt(w);
                int columns = random.nextInt(4) == 0 ? 0 : random.nextInt(w - x0 + 1);
                int[] labels = new int[rows * columns];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < columns; i++) {
                        int l = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : 0;
                        labels[r * columns + i] = l;
                        truth[(y0 + r) * w + x0 + i] = l;
                    }
                }
                raster.append(y0, rows, x0, columns, labels);
                y0 += rows;
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (x < raster.from(y) || x >= raster.to(y)) {
                        assertThat(truth[y * w + x]).isZero();
                    }
                }
            }
            for (int step : new int[] {1, 2, 3, 8}) {
                int lw = (w + step - 1) / step;
                int lh = (h + step - 1) / step;
                for (int t = 0; t < 40; t++) {
                    int x = random.nextInt(lw);
                    int y = random.nextInt(lh);
                    int rw = 1 + random.nextInt(lw - x);
                    int rh = 1 + random.nextInt(lh - y);
                    byte[] got = raster.read(x, y, rw, rh, step);
                    for (int j = 0; j < rh; j++) {
                        for (int i = 0; i < rw; i++) {
                            assertThat(got[j * rw + i] & 0xff).as("step %d, (%d, %d)", step, x + i, y + j)
                                    .isEqualTo(truth[(y + j) * step * w + (x + i) * step]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void partsPredictedApartJoinIntoTheSameRasterAndABadPartIsRefusedByName(@TempDir Path dir) throws Exception {
        int w = 64;
        int h = 50;
        Random random = new Random(3);
        int[] truth = new int[w * h];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (i / w) % 7 == 0 ? 0 : random.nextInt(5) == 0 ? 2 : 0;
        }
        int[] cuts = {0, 13, 14, 40, 50};
        List<byte[]> parts = new ArrayList<>();
        for (int p = 0; p + 1 < cuts.length; p++) {
            // Each part in its own raster that starts at the part's first row.
            try (LabelRaster part = new LabelRaster(dir, w, h)) {
                part.startAt(cuts[p]);
                for (int y = cuts[p]; y < cuts[p + 1]; y++) {
                    part.append(y, 1, java.util.Arrays.copyOfRange(truth, y * w, (y + 1) * w));
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                part.writeRows(cuts[p], cuts[p + 1], out);
                parts.add(out.toByteArray());
            }
        }
        try (LabelRaster joined = new LabelRaster(dir, w, h)) {
            for (int p = 0; p < parts.size(); p++) {
                joined.appendRows(new java.io.ByteArrayInputStream(parts.get(p)), "part " + p);
            }
            byte[] all = joined.read(0, 0, w, h, 1);
            assertThat(joined.foreground()).isEqualTo(java.util.Arrays.stream(truth).filter(v -> v != 0).count());
            for (int i = 0; i < truth.length; i++) {
                assertThat(all[i] & 0xff).isEqualTo(truth[i]);
            }
        }
        try (LabelRaster joined = new LabelRaster(dir, w, h)) {
            // Out of order, truncated, and not a part at all: each refused naming the part.
            assertThatThrownBy(() -> joined.appendRows(new java.io.ByteArrayInputStream(parts.get(1)), "band-1"))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("band-1").hasMessageContaining("rows 13..14");
            byte[] cut = java.util.Arrays.copyOf(parts.get(0), parts.get(0).length - 3);
            assertThatThrownBy(() -> joined.appendRows(new java.io.ByteArrayInputStream(cut), "band-0"))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("band-0: ends early");
        }
        try (LabelRaster joined = new LabelRaster(dir, w, h)) {
            assertThatThrownBy(() -> joined.appendRows(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), "x.png"))
                    .isInstanceOf(java.io.IOException.class).hasMessage("x.png: not a danseg label part");
        }
    }
}
