package org.danseg.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.danseg.data.SliceList;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.raster.DistanceTransform;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void sliceListsParseIndicesAndRanges() {
        assertThat(SliceList.parse("90")).containsExactly(90);
        assertThat(SliceList.parse("85-89,91-95")).containsExactly(85, 86, 87, 88, 89, 91, 92, 93, 94, 95);
        assertThat(SliceList.parse(" 3, 1,1-2 ")).containsExactly(1, 2, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SliceList.parse("5-3")).hasMessageContaining("backwards");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SliceList.parse("a")).hasMessageContaining("'a'");
    }

    @Test
    void threeDimensionalDistanceTransformMatchesBruteForce() {
        Random rng = new Random(4);
        int nx = 7;
        int ny = 5;
        int nz = 6;
        boolean[] f = new boolean[nx * ny * nz];
        for (int i = 0; i < f.length; i++) {
            f[i] = rng.nextDouble() < 0.05;
        }
        double[] d = DistanceTransform.distanceTo(f, nx, ny, nz, 0.7, 1.3, 2.1);
        for (int i = 0; i < f.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < f.length; j++) {
                if (f[j]) {
                    double dx = (i % nx - j % nx) * 0.7;
                    double dy = ((i / nx) % ny - (j / nx) % ny) * 1.3;
                    double dz = (i / (nx * ny) - j / (nx * ny)) * 2.1;
                    best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
                }
            }
            assertThat(d[i]).isCloseTo(best, within(1e-9));
        }
    }

    private static float[] ellipsoid(int nx, int ny, int nz, double cx, double cy, double cz, double r) {
        float[] v = new float[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double a = (i - cx) / r;
                    double b = (j - cy) / (0.8 * r);
                    double c = (k - cz) / (1.3 * r);
                    v[(k * ny + j) * nx + i] = a * a + b * b + c * c <= 1 ? 1 : 0;
                }
            }
        }
        return v;
    }

    @Test
    void cliVolumeEvaluationAgreesWithScipy() throws Exception {
        boolean available = new ProcessBuilder("/usr/bin/python3", "-c", "import scipy, nibabel").start().waitFor() == 0;
        if (!available) {
            String msg = "the independent 3D reference needs python3-scipy and python3-nibabel (.ci/run installs them)";
            if ("1".equals(System.getenv("DANSEG_REQUIRE_REFERENCE"))) {
                fail(msg);
            }
            Assumptions.abort("SKIPPED: " + msg);
        }
        int nx = 30;
        int ny = 26;
        int nz = 22;
        NiftiVolume template = NiftiVolume.blank(nx, ny, nz, 0.9, 1.1, 2.5, NiftiDataType.UINT8);
        Path truth = dir.resolve("truth.nii.gz");
        Path pred = dir.resolve("pred.nii");
        NiftiWriter.write(template.withValues(ellipsoid(nx, ny, nz, 14, 12, 10, 8), NiftiDataType.UINT8), NiftiDataType.UINT8, truth);
        float[] p = ellipsoid(nx, ny, nz, 16, 11, 11, 7);
        Random rng = new Random(9);
        for (int i = 0; i < p.length; i++) {
            if (rng.nextDouble() < 0.01) {
                p[i] = 1 - p[i];
            }
        }
        NiftiWriter.write(template.withValues(p, NiftiDataType.UINT8), NiftiDataType.UINT8, pred);
        for (String slices : new String[] {null, "8-12,14"}) {
            Path json = dir.resolve("e" + (slices == null ? "all" : "some") + ".json");
            Cli r = slices == null
                    ? Cli.run("evaluate", "--pred", pred.toString(), "--truth", truth.toString(), "--json", json.toString())
                    : Cli.run("evaluate", "--pred", pred.toString(), "--truth", truth.toString(), "--axis", "z", "--slices", slices, "--json", json.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode ours = new ObjectMapper().readTree(json.toFile());
            Process proc = new ProcessBuilder("/usr/bin/python3", Path.of("src/test/python/reference_volume.py").toAbsolutePath().toString(),
                    pred.toString(), truth.toString(), "2", slices == null ? "all" : String.join(",", SliceList.parse(slices).stream().map(String::valueOf).toList()))
                    .start();
            String out = new String(proc.getInputStream().readAllBytes());
            String err = new String(proc.getErrorStream().readAllBytes());
            assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(proc.exitValue()).as(err).isZero();
            JsonNode ref = new ObjectMapper().readTree(out);
            for (String key : new String[] {"dice", "iou"}) {
                assertThat(ours.get(key).asDouble()).as(key).isCloseTo(ref.get(key).asDouble(), within(1e-6));
            }
            for (String key : new String[] {"objectF1", "objectDice", "truthObjects", "predObjects"}) {
                assertThat(ours.get(key).asDouble()).as(key).isCloseTo(ref.get(key).asDouble(), within(1e-6));
            }
            assertThat(ours.get("perClass").get(0).get("dice").asDouble()).isCloseTo(ref.get("dice").asDouble(), within(1e-6));
            for (String key : new String[] {"hd95", "assd", "objectHausdorff"}) {
                assertThat(ours.get(key).asDouble()).as(key).isCloseTo(ref.get(key).asDouble(), within(1e-3));
            }
            List<JsonNode> per = new java.util.ArrayList<>();
            ours.get("perSlice").forEach(per::add);
            assertThat(per).hasSize(ref.get("perSlice").size());
            for (int i = 0; i < per.size(); i++) {
                assertThat(per.get(i).get("slice").asInt()).isEqualTo(ref.get("perSlice").get(i).get(0).asInt());
                assertThat(per.get(i).get("dice").asDouble()).isCloseTo(ref.get("perSlice").get(i).get(1).asDouble(), within(1e-6));
            }
        }
        Cli bad = Cli.run("evaluate", "--pred", pred.toString(), "--truth", truth.toString(), "--slices", "40");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("slice 40");
        assertThat(Files.exists(dir.resolve("none.json"))).isFalse();
    }
}
