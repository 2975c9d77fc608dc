package org.danseg.nn.onnx;

import java.util.List;
import java.util.Map;
import org.danseg.nn.SegmentationNet;

/**
 * SN as one self-contained ONNX model: input {@value #INPUT} (batch, C, height, width), the image
 * scaled to [0, 1] per sample type (8-bit / 255, 16-bit / 65535) exactly as danseg scales it;
 * output {@value #OUTPUT} (batch, K, height, width), softmax class probabilities. The per-channel
 * z-score danseg trained with is the graph's first two nodes, so a caller cannot forget it or
 * apply other statistics. Batch, height and width are dynamic; height and width must be multiples
 * of the network's {@link SegmentationNet#sizeMultiple()} (32 for dan-fcn, 16 for unet): larger
 * images are tiled, as danseg's sliding window does.
 */
public final class SegmentationOnnx {
    public static final String INPUT = "image";
    public static final String OUTPUT = "probabilities";

    private SegmentationOnnx() {
    }

    public static byte[] export(SegmentationNet sn, double[] mean, double[] std, String producerVersion, String doc, Map<String, String> metadata) {
        int c = sn.inChannels();
        if (mean.length != c || std.length != c) {
            throw new IllegalArgumentException("normalization for " + mean.length + " channels, network takes " + c);
        }
        OnnxGraph g = new OnnxGraph();
        g.input(INPUT, "batch", c, "height", "width");
        float[] m = new float[c];
        float[] s = new float[c];
        for (int i = 0; i < c; i++) {
            m[i] = (float) mean[i];
            s[i] = (float) std[i];
        }
        String x = g.node("Sub", List.of(INPUT, g.constant("mean", m, 1, c, 1, 1)));
        x = g.node("Div", List.of(x, g.constant("std", s, 1, c, 1, 1)));
        String logits = sn.toOnnx(g, x);
        g.nodeTo(OUTPUT, "Softmax", List.of(logits), "axis", 1L);
        g.output(OUTPUT, "batch", sn.classes(), "height", "width");
        return g.model("danseg_sn", producerVersion, doc, metadata);
    }
}
