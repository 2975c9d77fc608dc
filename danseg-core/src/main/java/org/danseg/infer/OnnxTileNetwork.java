package org.danseg.infer;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.danseg.nn.onnx.SegmentationOnnx;

/**
 * SN's ONNX export ({@link SegmentationOnnx}) run by ONNX Runtime on the CPU. The session is built
 * once from the exported bytes and is safe for concurrent callers (ONNX Runtime's sessions are).
 */
public final class OnnxTileNetwork implements TileNetwork, AutoCloseable {
    private final OrtSession session;
    private final int classes;
    private final int sizeMultiple;

    /** {@code threads} 0: ONNX Runtime's default (one per core); {@code level}: its graph optimisation level. */
    public OnnxTileNetwork(byte[] onnx, int classes, int sizeMultiple, int threads, OrtSession.SessionOptions.OptLevel level) {
        this.classes = classes;
        this.sizeMultiple = sizeMultiple;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            // Idle worker threads sleep instead of spinning: on a shared 2-core machine spinning
            // threads starve everything else (and each other across sessions).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            this.session = OrtEnvironment.getEnvironment().createSession(onnx, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load danseg's export: " + e.getMessage(), e);
        }
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int sizeMultiple() {
        return sizeMultiple;
    }

    @Override
    public float[] probabilities(NDManager manager, float[] tiles, float scale, int count, int channels, int tile, boolean flips) {
        float[] tiles01 = tiles;
        if (scale != 1f) {
            tiles01 = new float[tiles.length];
            for (int i = 0; i < tiles.length; i++) {
                tiles01[i] = tiles[i] * scale;
            }
        }
        float[] prob = run(tiles01, count, channels, tile);
        if (flips) {
            // The same order as DJL's: identity, then flipped along x, along y, along both.
            float[][] views = {flip(tiles01, count * channels, tile, true, false), flip(tiles01, count * channels, tile, false, true),
                    flip(tiles01, count * channels, tile, true, true)};
            boolean[][] axes = {{true, false}, {false, true}, {true, true}};
            for (int v = 0; v < views.length; v++) {
                float[] back = flip(run(views[v], count, channels, tile), count * classes, tile, axes[v][0], axes[v][1]);
                for (int i = 0; i < prob.length; i++) {
                    prob[i] += back[i];
                }
            }
            for (int i = 0; i < prob.length; i++) {
                prob[i] /= 4f;
            }
        }
        return prob;
    }

    private float[] run(float[] tiles01, int count, int channels, int tile) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(tiles01), new long[] {count, channels, tile, tile});
             OrtSession.Result result = session.run(Map.of(SegmentationOnnx.INPUT, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] prob = new float[out.remaining()];
            out.get(prob);
            return prob;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + count + " tiles: " + e.getMessage(), e);
        }
    }

    /** Flips each of {@code planes} square planes along x and/or y. */
    static float[] flip(float[] a, int planes, int side, boolean x, boolean y) {
        float[] b = new float[a.length];
        int plane = side * side;
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < side; r++) {
                int sr = y ? side - 1 - r : r;
                for (int c = 0; c < side; c++) {
                    b[p * plane + r * side + c] = a[p * plane + sr * side + (x ? side - 1 - c : c)];
                }
            }
        }
        return b;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
