package org.danseg.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.Networks;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.SnArchitecture;
import org.junit.jupiter.api.Test;

/** bench's FLOP count against a count written out layer by layer (width 2, 1 channel, 2 classes, 32 x 32). */
class MacCountTest {

    /** MACs of a k x k convolution producing an h x w x cout map from cin channels. */
    private static long conv(int h, int w, int cin, int cout, int k) {
        return (long) h * w * cout * cin * k * k;
    }

    /** MACs of a transposed convolution with kernel = stride = s on an h x w x cin input. */
    private static long transposed(int h, int w, int cin, int cout, int s) {
        return (long) h * w * cin * cout * s * s;
    }

    @Test
    void danFcnAndEnMatchALayerByLayerCount() {
        long sn = conv(32, 32, 1, 2, 3) + conv(32, 32, 2, 2, 3)      // c64 c64 at width 2: 2 channels
                + conv(16, 16, 2, 4, 3)                                // P c128
                + conv(8, 8, 4, 8, 3) + conv(8, 8, 8, 8, 3)            // P c256 c256
                + conv(4, 4, 8, 16, 3) + conv(4, 4, 16, 16, 3)         // P c512 c512
                + conv(2, 2, 16, 16, 3) + conv(2, 2, 16, 16, 3)        // P c512 c512
                + conv(1, 1, 16, 32, 3) + conv(1, 1, 32, 32, 3)        // P c1024 c1024
                + transposed(4, 4, 16, 4, 8) + transposed(2, 2, 16, 4, 16) + transposed(1, 1, 32, 4, 32)
                + conv(32, 32, 12, 4, 3) + conv(32, 32, 4, 2, 1);      // head: 3 x 2*width -> 2*width -> K
        long en = conv(32, 32, 3, 2, 3) + conv(32, 32, 2, 2, 3)       // stack: 1 image + 2 class channels
                + conv(16, 16, 2, 4, 3)
                + conv(8, 8, 4, 8, 3) + conv(8, 8, 8, 8, 3)
                + conv(4, 4, 8, 16, 3) + conv(4, 4, 16, 16, 3)
                + conv(2, 2, 16, 16, 3) + conv(2, 2, 16, 16, 3)
                + 3 * 16 * 16 + 16;                                    // GAP, 3 FC of 8*width = 16 units, FC -> 1
        assertThat(sn).isEqualTo(929_280L); // the same sum done by hand once
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet s = Networks.segmentation(SnArchitecture.DAN_FCN, 1, 2, 2);
            EvaluationNet e = Networks.evaluation(1, 2, 2, Fusion.STACK);
            s.initialize(m, 32);
            e.initialize(m, 32);
            assertThat(MacCount.macs(s)).isEqualTo((double) sn);
            assertThat(MacCount.macs(e)).isEqualTo((double) en);
            assertThat(MacCount.forwardGflopPerImage(s)).isCloseTo(2.0 * sn / 1e9, within(1e-15));
        }
    }

    @Test
    void passesPerIterationFollowTheReference() {
        BenchConfig dan = new BenchConfig("dan", "dan-fcn", 16, 256, 4, 4, 3, 2, "stack", 2, 0, 1, 0.1, true, 0, 0, 1);
        // 8 images x (SN: forward + 2 x backward = 3; EN: 2 forwards + 2 x full backward + input-only backward = 5)
        assertThat(Bench.Passes.of(dan).gflop(1.0, 10.0)).isCloseTo(8 * (3 * 1.0 + 5 * 10.0), within(1e-12));
        BenchConfig sup = new BenchConfig("supervised", "dan-fcn", 16, 256, 4, 4, 3, 2, "stack", 2, 0, 1, 0.1, true, 0, 0, 1);
        assertThat(Bench.Passes.of(sup).gflop(1.0, 10.0)).isCloseTo(4 * 3.0, within(1e-12));
        BenchConfig infer = new BenchConfig("infer", "dan-fcn", 16, 256, 4, 4, 3, 2, "stack", 2, 0, 1, 0.1, true, 0, 0, 1);
        assertThat(Bench.Passes.of(infer).gflop(1.0, 10.0)).isCloseTo(8.0, within(1e-12));
    }

    @Test
    void tiledInferenceCountsTheOverlappingTilesItRuns() throws Exception {
        java.nio.file.Path json = java.nio.file.Files.createTempFile("bench", ".json");
        org.danseg.testing.Cli r = org.danseg.testing.Cli.run("bench", "--mode", "infer", "--width", "1", "--size", "128", "--tile", "64",
                "--annotated", "1", "--unannotated", "0", "--iters", "1", "--warmup", "0", "--json", json.toString(), "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        // 128 px in tiles of 64 overlapping by a quarter: starts 0, 32, 64 on each axis (docs/inference.md), 9 tiles.
        assertThat(b.get("tiles_per_image").asInt()).isEqualTo(9);
        assertThat(b.get("gflop_per_iteration").asDouble())
                .isCloseTo(b.get("sn_forward_gflop_per_image").asDouble() * 9 * 64 * 64 / (128.0 * 128), within(0.01));
        java.nio.file.Files.deleteIfExists(json);
    }
}
