package org.danseg.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * The numerics self-check: forward and backward of every op kind danseg's networks and losses use,
 * in fp32 on the engine, against a float64 reference computed here in Java on fixed small inputs,
 * and the same input twice for determinism. Milliseconds. The shapes are ones that reach oneDNN's
 * blocked kernels (batch 2, channel counts with and without a tail of the 8- and 16-channel blocks):
 * on a CPU whose cache sizes oneDNN 3.5 misreads, these kernels read memory nobody wrote
 * (docs/reliability.md). Inputs come from Java's random numbers, never PyTorch's, so a check leaves
 * the engine's random state as it found it.
 */
public final class NumericsCheck {
    /** Relative error (max |fp32 - float64| / max |float64|) above which an op is wrong; healthy kernels give ~1e-6. */
    public static final double TOLERANCE = 1e-4;

    /** The op kinds checked. */
    public enum Op {
        CONV3X3("3x3 convolution"), CONV1X1("1x1 convolution"), LINEAR("fully connected layer"), MAX_POOL("max pooling"),
        AVG_POOL("global average pooling"), BATCH_NORM("BatchNorm"), RELU("ReLU"), LEAKY_RELU("LeakyReLU"), DEPTH_TO_SPACE("depth-to-space upsampling"), SOFTMAX_CROSS_ENTROPY("softmax cross-entropy"),
        BCE_WITH_LOGITS("binary cross-entropy"), DETERMINISM("same input twice");

        private final String label;

        Op(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What makes a {@link Perturbation} go away. */
    public enum Cure {
        /** Nothing: a wrong op no setting cures. */
        NONE,
        /** Aligned channel counts ({@link Convolutions}): a wrong kernel for partial channel blocks. */
        CHANNEL_ALIGNMENT,
        /** oneDNN off: any wrong oneDNN kernel. */
        ONEDNN_OFF
    }

    /** A test hook: one op's fp32 result is made wrong by 1% of its scale until {@code cure} is in effect. */
    public record Perturbation(Op op, Cure cure) {
    }

    /** What a check found: one line per wrong result, the worst relative error, how long it took. */
    public record Result(List<String> failures, double worstError, long micros) {
        public boolean ok() {
            return failures.isEmpty();
        }

        public String summary() {
            return ok() ? String.format(Locale.ROOT, "%d op kinds vs float64 within %.0e (worst %.1e), deterministic, %d ms",
                    Op.values().length - 1, TOLERANCE, worstError, Math.max(1, micros / 1000)) : String.join("; ", failures);
        }
    }

    private final NDManager manager;
    private final Perturbation perturbation;
    private final List<String> failures = new ArrayList<>();
    private double worst;

    private NumericsCheck(NDManager manager, Perturbation perturbation) {
        this.manager = manager;
        this.perturbation = perturbation;
    }

    /** Runs every check on the CPU engine; {@code perturbation} is null outside tests. */
    public static Result run(Perturbation perturbation) {
        long t0 = System.nanoTime();
        Engine.getEngine("PyTorch");
        boolean gradMode = JniUtils.isGradMode();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NumericsCheck c = new NumericsCheck(m, perturbation);
            c.all();
            return new Result(List.copyOf(c.failures), c.worst, (System.nanoTime() - t0) / 1000);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void all() {
        // (batch, in, out, size): no tail, and tails of 8- and 16-channel blocks on either side.
        int[][] conv3 = {{2, 1, 4, 16}, {2, 3, 8, 16}, {2, 10, 3, 16}, {2, 24, 8, 16}, {2, 32, 16, 8}};
        for (int[] s : conv3) {
            convolution(Op.CONV3X3, s[0], s[1], s[2], s[3], 3, 1, 100 + s[1]);
        }
        convolution(Op.CONV3X3, 2, 5, 8, 16, 3, 2, 9); // EN's strided convolutions
        convolution(Op.CONV1X1, 2, 24, 3, 16, 1, 1, 7);
        convolution(Op.CONV1X1, 2, 8, 32, 4, 1, 1, 8);
        linear(4, 64, 64, 20);
        linear(4, 64, 1, 21);
        maxPool();
        averagePool();
        batchNorm(true);
        batchNorm(false);
        batchNorm1d();
        activation(Op.RELU, 15, Activation::relu, v -> Math.max(0, v), v -> v > 0 ? 1 : 0);
        activation(Op.LEAKY_RELU, 23, a -> Activation.leakyRelu(a, 0.2f), v -> v > 0 ? v : 0.2 * v, v -> v > 0 ? 1 : 0.2);
        depthToSpace();
        softmaxCrossEntropy();
        binaryCrossEntropy();
        determinism();
    }

    // ---- the checks ----

    private void convolution(Op op, int b, int ci, int co, int size, int k, int stride, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int outSize = size / stride;
        float[] x = uniform(rng, b * ci * size * size, 0, 1);
        float[] w = uniform(rng, co * ci * k * k, -1, 1);
        float[] g = uniform(rng, b * co * outSize * outSize, -1, 1);
        float[][] got = convolutionOnEngine(x, w, g, b, ci, co, size, k, stride);
        double[][] ref = Reference.convolution(x, w, g, b, ci, co, size, k, stride);
        String what = op.label() + " " + ci + "->" + co + " channels" + (stride > 1 ? ", stride " + stride : "") + ", " + b + "x" + size + "x" + size;
        compare(op, what + " forward", got[0], ref[0]);
        compare(op, what + " input gradient", got[1], ref[1]);
        compare(op, what + " weight gradient", got[2], ref[2]);
    }

    /** Through {@link Convolutions}, as the networks run it. */
    private float[][] convolutionOnEngine(float[] x, float[] w, float[] g, int b, int ci, int co, int size, int k, int stride) {
        NDArray xs = owned(x, new Shape(b, ci, size, size));
        NDArray ws = owned(w, new Shape(co, ci, k, k));
        NDArray gs = owned(g, new Shape(b, co, size / stride, size / stride));
        return forwardAndGradients(List.of(xs, ws), gs, in -> Convolutions.conv2d(in.get(0), in.get(1), null, new Shape(stride, stride),
                new Shape(k / 2, k / 2), new Shape(1, 1)));
    }

    /** x (b, in) times w (out, in) transposed, as DJL's Linear without bias (EN's head). */
    private void linear(int b, int in, int out, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = uniform(rng, b * in, -1, 1);
        float[] w = uniform(rng, out * in, -1, 1);
        float[] g = uniform(rng, b * out, -1, 1);
        float[][] got = forwardAndGradients(List.of(owned(x, new Shape(b, in)), owned(w, new Shape(out, in))), owned(g, new Shape(b, out)),
                t -> ai.djl.nn.core.Linear.linear(t.get(0), t.get(1)).singletonOrThrow());
        double[] y = new double[b * out];
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        for (int n = 0; n < b; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    y[n * out + o] += (double) x[n * in + i] * w[o * in + i];
                    dx[n * in + i] += (double) g[n * out + o] * w[o * in + i];
                    dw[o * in + i] += (double) g[n * out + o] * x[n * in + i];
                }
            }
        }
        String what = in + "->" + out;
        compare(Op.LINEAR, what + " forward", got[0], y);
        compare(Op.LINEAR, what + " input gradient", got[1], dx);
        compare(Op.LINEAR, what + " weight gradient", got[2], dw);
    }

    /** BatchNorm of (batch, features), as after EN's fully connected layers. */
    private void batchNorm1d() {
        SplittableRandom rng = new SplittableRandom(22);
        int b = 4;
        int c = 16;
        float[] x = uniform(rng, b * c, -2, 2);
        float[] g = uniform(rng, x.length, -1, 1);
        float[] gamma = uniform(rng, c, 0.5f, 1.5f);
        float[] beta = uniform(rng, c, -0.5f, 0.5f);
        NDArray gammas = owned(gamma, new Shape(c));
        NDArray betas = owned(beta, new Shape(c));
        NDArray runningMean = manager.zeros(new Shape(c));
        NDArray runningVar = manager.ones(new Shape(c));
        float[][] got = forwardAndGradients(List.of(owned(x, new Shape(b, c))), owned(g, new Shape(b, c)),
                in -> BatchNorm.batchNorm(in.get(0), runningMean, runningVar, gammas, betas, 1, 0.1f, 1e-5f, true).singletonOrThrow());
        double[][] ref = Reference.batchNorm(x, g, gamma, beta, new float[c], new float[c], b, c, 1, true);
        compare(Op.BATCH_NORM, "BatchNorm of features forward", got[0], ref[0]);
        compare(Op.BATCH_NORM, "BatchNorm of features gradient", got[1], ref[1]);
    }

    private void maxPool() {
        SplittableRandom rng = new SplittableRandom(11);
        int b = 2;
        int c = 4;
        int size = 16;
        float[] x = uniform(rng, b * c * size * size, -1, 1);
        float[] g = uniform(rng, b * c * size * size / 4, -1, 1);
        float[][] got = forwardAndGradients(List.of(owned(x, new Shape(b, c, size, size))), owned(g, new Shape(b, c, size / 2, size / 2)),
                in -> Pool.maxPool2d(in.get(0), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false));
        double[][] ref = Reference.maxPool(x, g, b * c, size);
        compare(Op.MAX_POOL, "max pooling forward", got[0], ref[0]);
        compare(Op.MAX_POOL, "max pooling gradient", got[1], ref[1]);
    }

    private void averagePool() {
        SplittableRandom rng = new SplittableRandom(12);
        int planes = 2 * 8;
        int size = 4;
        float[] x = uniform(rng, planes * size * size, -1, 1);
        float[] g = uniform(rng, planes, -1, 1);
        float[][] got = forwardAndGradients(List.of(owned(x, new Shape(2, 8, size, size))), owned(g, new Shape(2, 8)),
                in -> Pool.globalAvgPool2d(in.get(0)));
        double[] y = new double[planes];
        double[] dx = new double[x.length];
        int n = size * size;
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < n; i++) {
                y[p] += x[p * n + i] / (double) n;
                dx[p * n + i] = g[p] / (double) n;
            }
        }
        compare(Op.AVG_POOL, "global average pooling forward", got[0], y);
        compare(Op.AVG_POOL, "global average pooling gradient", got[1], dx);
    }

    private void batchNorm(boolean training) {
        SplittableRandom rng = new SplittableRandom(training ? 13 : 14);
        int b = 2;
        int c = 8;
        int size = 8;
        float[] x = uniform(rng, b * c * size * size, -2, 2);
        float[] g = uniform(rng, x.length, -1, 1);
        float[] gamma = uniform(rng, c, 0.5f, 1.5f);
        float[] beta = uniform(rng, c, -0.5f, 0.5f);
        float[] mean = uniform(rng, c, -0.5f, 0.5f);
        float[] var = uniform(rng, c, 0.2f, 2f);
        NDArray runningMean = owned(mean, new Shape(c));
        NDArray runningVar = owned(var, new Shape(c));
        NDArray gammas = owned(gamma, new Shape(c));
        NDArray betas = owned(beta, new Shape(c));
        float[][] got = forwardAndGradients(List.of(owned(x, new Shape(b, c, size, size))), owned(g, new Shape(b, c, size, size)),
                in -> BatchNorm.batchNorm(in.get(0), runningMean, runningVar, gammas, betas, 1, 0.1f, 1e-5f, training).singletonOrThrow());
        double[][] ref = Reference.batchNorm(x, g, gamma, beta, mean, var, b, c, size * size, training);
        String mode = training ? "BatchNorm (batch statistics)" : "BatchNorm (running statistics)";
        compare(Op.BATCH_NORM, mode + " forward", got[0], ref[0]);
        compare(Op.BATCH_NORM, mode + " gradient", got[1], ref[1]);
        if (training) {
            // The running statistics inference will use: DJL's momentum 0.1 is PyTorch's 0.9, the variance unbiased.
            double[][] running = Reference.runningStatistics(x, mean, var, b, c, size * size, 0.9);
            compare(Op.BATCH_NORM, "BatchNorm running mean update", runningMean.toFloatArray(), running[0]);
            compare(Op.BATCH_NORM, "BatchNorm running variance update", runningVar.toFloatArray(), running[1]);
        }
    }

    /** An elementwise activation: {@code value} and {@code slope} are its definition and derivative. */
    private void activation(Op op, long seed, Function<NDArray, NDArray> f, DoubleUnaryOperator value, DoubleUnaryOperator slope) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = uniform(rng, 2 * 4 * 8 * 8, -1, 1);
        float[] g = uniform(rng, x.length, -1, 1);
        Shape shape = new Shape(2, 4, 8, 8);
        float[][] got = forwardAndGradients(List.of(owned(x, shape)), owned(g, shape), in -> f.apply(in.get(0)));
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = value.applyAsDouble(x[i]);
            dx[i] = g[i] * slope.applyAsDouble(x[i]);
        }
        compare(op, op.label() + " forward", got[0], y);
        compare(op, op.label() + " gradient", got[1], dx);
    }

    /** UpConv's rearrangement (B, O*s*s, H, W) -> (B, O, H*s, W*s), forward and back. */
    private void depthToSpace() {
        SplittableRandom rng = new SplittableRandom(16);
        int b = 2;
        int o = 3;
        int s = 4;
        int h = 2;
        float[] x = uniform(rng, b * o * s * s * h * h, -1, 1);
        float[] g = uniform(rng, x.length, -1, 1);
        float[][] got = forwardAndGradients(List.of(owned(x, new Shape(b, o * s * s, h, h))), owned(g, new Shape(b, o, h * s, h * s)),
                in -> in.get(0).reshape(b, o, s, s, h, h).transpose(0, 1, 4, 2, 5, 3).reshape(b, o, h * s, h * s));
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        for (int n = 0; n < b; n++) {
            for (int c = 0; c < o; c++) {
                for (int dy = 0; dy < s; dy++) {
                    for (int dxs = 0; dxs < s; dxs++) {
                        for (int i = 0; i < h; i++) {
                            for (int j = 0; j < h; j++) {
                                int from = ((((n * o + c) * s + dy) * s + dxs) * h + i) * h + j;
                                int to = ((n * o + c) * h * s + i * s + dy) * h * s + j * s + dxs;
                                y[to] = x[from];
                                dx[from] = g[to];
                            }
                        }
                    }
                }
            }
        }
        compare(Op.DEPTH_TO_SPACE, "depth-to-space upsampling forward", got[0], y);
        compare(Op.DEPTH_TO_SPACE, "depth-to-space upsampling gradient", got[1], dx);
    }

    /** -sum(one-hot * log softmax) / pixels, as Losses.crossEntropy; and softmax itself (pseudo-labels). */
    private void softmaxCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(17);
        int b = 2;
        int k = 3;
        int n = 8 * 8;
        float[] z = uniform(rng, b * k * n, -3, 3);
        float[] oneHot = new float[z.length];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < n; p++) {
                oneHot[(i * k + rng.nextInt(k)) * n + p] = 1;
            }
        }
        Shape shape = new Shape(b, k, 8, 8);
        NDArray labels = owned(oneHot, shape);
        float pixels = b * n;
        NDArray divisor = owned(new float[] {pixels}, new Shape()); // PyTorch-owned: it enters the graph
        float[][] got = forwardAndGradients(List.of(owned(z, shape)), null,
                in -> in.get(0).logSoftmax(1).mul(labels).sum().neg().div(divisor));
        float[] softmax = owned(z, shape).softmax(1).toFloatArray();
        double[] loss = {0};
        double[] dz = new double[z.length];
        double[] prob = new double[z.length];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < n; p++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, z[(i * k + c) * n + p]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(z[(i * k + c) * n + p] - max);
                }
                for (int c = 0; c < k; c++) {
                    int at = (i * k + c) * n + p;
                    prob[at] = Math.exp(z[at] - max) / sum;
                    loss[0] -= oneHot[at] * (z[at] - max - Math.log(sum)) / pixels;
                    dz[at] = (prob[at] - oneHot[at]) / pixels;
                }
            }
        }
        compare(Op.SOFTMAX_CROSS_ENTROPY, "softmax forward", softmax, prob);
        compare(Op.SOFTMAX_CROSS_ENTROPY, "softmax cross-entropy forward", got[0], loss);
        compare(Op.SOFTMAX_CROSS_ENTROPY, "softmax cross-entropy gradient", got[1], dz);
    }

    /** mean(relu(z) - z*t + log(1 + exp(-|z|))), as Losses.bceWithLogits. */
    private void binaryCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(18);
        float[] z = uniform(rng, 2 * 16, -4, 4);
        float[] t = new float[z.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextBoolean() ? 1 : 0;
        }
        Shape shape = new Shape(2, 1, 4, 4);
        NDArray targets = owned(t, shape);
        float[][] got = forwardAndGradients(List.of(owned(z, shape)), null,
                in -> Activation.relu(in.get(0)).sub(in.get(0).mul(targets)).add(in.get(0).abs().neg().exp().add(1f).log()).mean());
        double[] loss = {0};
        double[] dz = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            loss[0] += (Math.max(0, z[i]) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])))) / z.length;
            dz[i] = (1 / (1 + Math.exp(-z[i])) - t[i]) / z.length;
        }
        compare(Op.BCE_WITH_LOGITS, "binary cross-entropy forward", got[0], loss);
        compare(Op.BCE_WITH_LOGITS, "binary cross-entropy gradient", got[1], dz);
    }

    private void determinism() {
        SplittableRandom rng = new SplittableRandom(19);
        int b = 2;
        int ci = 24;
        int co = 8;
        int size = 16;
        float[] x = uniform(rng, b * ci * size * size, 0, 1);
        float[] w = uniform(rng, co * ci * 9, -1, 1);
        float[] g = uniform(rng, b * co * size * size, -1, 1);
        float[][] first = convolutionOnEngine(x, w, g, b, ci, co, size, 3, 1);
        float[][] second = convolutionOnEngine(x, w, g, b, ci, co, size, 3, 1);
        if (perturbation != null && perturbation.op() == Op.DETERMINISM && applies()) {
            second[0][0] = Math.nextUp(second[0][0]);
        }
        String[] parts = {"forward", "input gradient", "weight gradient"};
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(first[i], second[i])) {
                failures.add("3x3 convolution " + parts[i] + " differs between two runs on the same input");
            }
        }
    }

    // ---- the machinery ----

    /**
     * fp32 on the engine: {@code f}'s output, then the gradient of sum(output * g) (of the output
     * itself when g is null: a loss) with respect to each input.
     */
    private float[][] forwardAndGradients(List<NDArray> inputs, NDArray g, Function<List<NDArray>, NDArray> f) {
        for (NDArray in : inputs) {
            in.setRequiresGradient(true);
        }
        float[][] out = new float[inputs.size() + 1][];
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray y = f.apply(inputs);
            out[0] = y.toFloatArray();
            gc.backward(g == null ? y : y.mul(g).sum());
        }
        for (int i = 0; i < inputs.size(); i++) {
            out[i + 1] = inputs.get(i).getGradient().toFloatArray();
        }
        return out;
    }

    private void compare(Op op, String what, float[] got, double[] reference) {
        double scale = 1e-30;
        for (double r : reference) {
            scale = Math.max(scale, Math.abs(r));
        }
        if (perturbation != null && perturbation.op() == op && applies()) {
            got = got.clone();
            got[0] += (float) (0.01 * scale);
        }
        double max = got.length == reference.length ? 0 : Double.POSITIVE_INFINITY;
        for (int i = 0; i < Math.min(got.length, reference.length); i++) {
            double d = Math.abs(got[i] - reference[i]);
            max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
        }
        double relative = max / scale;
        worst = Math.max(worst, relative);
        if (!(relative <= TOLERANCE)) {
            String name = what.startsWith(op.label()) ? what : op.label() + ": " + what; // every failure names its op kind
            failures.add(String.format(Locale.ROOT, "%s off by %.2g (relative)", name, relative));
        }
    }

    private boolean applies() {
        return switch (perturbation.cure()) {
            case NONE -> true;
            case CHANNEL_ALIGNMENT -> !Convolutions.aligningChannels() && OneDnn.enabled();
            case ONEDNN_OFF -> OneDnn.enabled();
        };
    }

    /** A PyTorch-owned copy: arrays made from Java buffers must not enter autograd graphs (docs/training.md). */
    private NDArray owned(float[] data, Shape shape) {
        try (NDArray java = manager.create(data, shape)) {
            return java.duplicate();
        }
    }

    private static float[] uniform(SplittableRandom rng, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return v;
    }

    /** The float64 references, straight from the definitions. */
    static final class Reference {
        private Reference() {
        }

        /** Convolution with padding k/2: output, input gradient and weight gradient for upstream gradient g. */
        static double[][] convolution(float[] x, float[] w, float[] g, int b, int ci, int co, int size, int k, int stride) {
            int pad = k / 2;
            int outSize = size / stride;
            double[] y = new double[b * co * outSize * outSize];
            double[] dx = new double[x.length];
            double[] dw = new double[w.length];
            for (int n = 0; n < b; n++) {
                for (int o = 0; o < co; o++) {
                    for (int i = 0; i < outSize; i++) {
                        for (int j = 0; j < outSize; j++) {
                            int out = ((n * co + o) * outSize + i) * outSize + j;
                            double sum = 0;
                            for (int c = 0; c < ci; c++) {
                                for (int u = 0; u < k; u++) {
                                    int yy = i * stride + u - pad;
                                    if (yy < 0 || yy >= size) {
                                        continue;
                                    }
                                    for (int v = 0; v < k; v++) {
                                        int xx = j * stride + v - pad;
                                        if (xx < 0 || xx >= size) {
                                            continue;
                                        }
                                        int in = ((n * ci + c) * size + yy) * size + xx;
                                        int wi = ((o * ci + c) * k + u) * k + v;
                                        sum += (double) x[in] * w[wi];
                                        dx[in] += (double) g[out] * w[wi];
                                        dw[wi] += (double) g[out] * x[in];
                                    }
                                }
                            }
                            y[out] = sum;
                        }
                    }
                }
            }
            return new double[][] {y, dx, dw};
        }

        /** 2x2 max pooling with stride 2 over {@code planes} square planes of side {@code size}. */
        static double[][] maxPool(float[] x, float[] g, int planes, int size) {
            int half = size / 2;
            double[] y = new double[planes * half * half];
            double[] dx = new double[x.length];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < half; i++) {
                    for (int j = 0; j < half; j++) {
                        int best = -1;
                        for (int u = 0; u < 2; u++) {
                            for (int v = 0; v < 2; v++) {
                                int at = (p * size + 2 * i + u) * size + 2 * j + v;
                                if (best < 0 || x[at] > x[best]) {
                                    best = at;
                                }
                            }
                        }
                        int out = (p * half + i) * half + j;
                        y[out] = x[best];
                        dx[best] += g[out];
                    }
                }
            }
            return new double[][] {y, dx};
        }

        /** (1 - m) * running + m * batch statistic per channel, the variance unbiased, as PyTorch updates them. */
        static double[][] runningStatistics(float[] x, float[] mean, float[] var, int b, int c, int n, double m) {
            double[] newMean = new double[c];
            double[] newVar = new double[c];
            double count = (double) b * n;
            for (int ch = 0; ch < c; ch++) {
                double mu = 0;
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < n; p++) {
                        mu += x[(i * c + ch) * n + p] / count;
                    }
                }
                double ss = 0;
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < n; p++) {
                        double d = x[(i * c + ch) * n + p] - mu;
                        ss += d * d;
                    }
                }
                newMean[ch] = (1 - m) * mean[ch] + m * mu;
                newVar[ch] = (1 - m) * var[ch] + m * ss / (count - 1);
            }
            return new double[][] {newMean, newVar};
        }

        /** BatchNorm over axis 1 (eps 1e-5): batch statistics (biased variance) when training, else the running ones. */
        static double[][] batchNorm(float[] x, float[] g, float[] gamma, float[] beta, float[] mean, float[] var, int b, int c, int n, boolean training) {
            double[] y = new double[x.length];
            double[] dx = new double[x.length];
            double count = (double) b * n;
            for (int ch = 0; ch < c; ch++) {
                double mu = mean[ch];
                double variance = var[ch];
                if (training) {
                    mu = 0;
                    for (int i = 0; i < b; i++) {
                        for (int p = 0; p < n; p++) {
                            mu += x[(i * c + ch) * n + p] / count;
                        }
                    }
                    variance = 0;
                    for (int i = 0; i < b; i++) {
                        for (int p = 0; p < n; p++) {
                            double d = x[(i * c + ch) * n + p] - mu;
                            variance += d * d / count;
                        }
                    }
                }
                double inv = 1 / Math.sqrt(variance + 1e-5);
                double meanG = 0;
                double meanGx = 0;
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < n; p++) {
                        int at = (i * c + ch) * n + p;
                        double xHat = (x[at] - mu) * inv;
                        y[at] = gamma[ch] * xHat + beta[ch];
                        meanG += g[at] / count;
                        meanGx += g[at] * xHat / count;
                    }
                }
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < n; p++) {
                        int at = (i * c + ch) * n + p;
                        double xHat = (x[at] - mu) * inv;
                        dx[at] = training ? gamma[ch] * inv * (g[at] - meanG - xHat * meanGx) : gamma[ch] * inv * g[at];
                    }
                }
            }
            return new double[][] {y, dx};
        }
    }
}
