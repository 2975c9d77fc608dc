package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.Random;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.NetworkPair;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.SnArchitecture;
import org.danseg.nn.onnx.SegmentationOnnx;
import org.junit.jupiter.api.Test;

/**
 * Every SN danseg builds exports to ONNX that ONNX Runtime loads and that gives DJL's
 * probabilities within 1e-4: both architectures, grey, RGB and 2.5D inputs, BatchNorm statistics
 * far from their initial values (so folding them is tested), odd image sizes through the sliding
 * window, with and without flips.
 */
class OnnxExportTest {

    /** Random BatchNorm statistics and affine parameters, as training leaves them. */
    private static void randomizeBatchNorms(SegmentationNet sn, Random rng) {
        for (var p : sn.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_VAR && type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.BETA
                    && type != Parameter.Type.GAMMA) {
                continue;
            }
            var array = p.getValue().getArray();
            float[] v = new float[(int) array.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (type) {
                    case RUNNING_VAR -> 0.2f + 2f * rng.nextFloat();
                    case GAMMA -> 0.5f + rng.nextFloat();
                    default -> (float) rng.nextGaussian() * 0.5f;
                };
            }
            array.set(v);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void onnxRuntimeReproducesDjlForBothNetworksAndAnyChannelCount() {
        Engine.getInstance().setRandomSeed(11);
        Random rng = new Random(5);
        try (NDManager m = NDManager.newBaseManager()) {
            for (SnArchitecture a : SnArchitecture.values()) {
                for (int channels : new int[] {1, 3, 5}) { // grey, RGB, a grey volume with 2.5D context 2
                    NetworkPair pair = NetworkPair.forTraining(new NetworkPair.Spec(a, 4, Fusion.STACK, EvaluationNet.Kind.IMAGE, channels, 3), m, 64);
                    SegmentationNet sn = pair.sn();
                    randomizeBatchNorms(sn, rng);
                    double[] mean = new double[channels];
                    double[] std = new double[channels];
                    for (int c = 0; c < channels; c++) {
                        mean[c] = 0.3 + 0.1 * c;
                        std[c] = 0.2 + 0.05 * c;
                    }
                    byte[] onnx = SegmentationOnnx.export(sn, mean, std, "test", "test", Map.of("k", "v"));
                    DjlTileNetwork djl = new DjlTileNetwork(sn, mean, std);
                    try (OnnxTileNetwork ort = new OnnxTileNetwork(onnx, 3, sn.sizeMultiple(), 2, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                        int tile = 64;
                        float[] tiles = new float[2 * channels * tile * tile];
                        for (int i = 0; i < tiles.length; i++) {
                            tiles[i] = rng.nextFloat();
                        }
                        assertThat(maxAbsDiff(djl.probabilities(m, tiles, 1f, 2, channels, tile, false), ort.probabilities(m, tiles, 1f, 2, channels, tile, false)))
                                .as(a + " with " + channels + " channel(s), random tiles").isLessThan(1e-4);
                        // An odd-sized image through the sliding window (edge replication), with flip TTA.
                        int w = 101;
                        int h = 77;
                        float[] image = new float[channels * w * h];
                        for (int i = 0; i < image.length; i++) {
                            int x = i % w;
                            int y = (i / w) % h;
                            image[i] = (float) (0.5 + 0.4 * Math.sin(x / 7.0) * Math.cos(y / 5.0));
                        }
                        SlidingWindow window = new SlidingWindow(64, 0.25, 2);
                        float[] viaDjl = new TiledPredictor(djl, window, true).probabilities(m, image, channels, w, h);
                        float[] viaOrt = new TiledPredictor(ort, window, true).probabilities(m, image, channels, w, h);
                        assertThat(maxAbsDiff(viaDjl, viaOrt)).as(a + " with " + channels + " channel(s), 101 x 77 image, flips").isLessThan(1e-4);
                    }
                }
            }
        }
    }

    @Test
    void flipsAreTheirOwnInverse() {
        float[] a = new float[2 * 9];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        assertThat(OnnxTileNetwork.flip(a, 2, 3, true, false)).startsWith(2f, 1f, 0f, 5f, 4f, 3f);
        assertThat(OnnxTileNetwork.flip(a, 2, 3, false, true)).startsWith(6f, 7f, 8f, 3f, 4f, 5f);
        assertThat(OnnxTileNetwork.flip(OnnxTileNetwork.flip(a, 2, 3, true, true), 2, 3, true, true)).containsExactly(a);
    }
}
