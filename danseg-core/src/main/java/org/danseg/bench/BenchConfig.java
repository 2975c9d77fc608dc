package org.danseg.bench;

import java.util.List;

/**
 * What {@code danseg bench} times; the flags and defaults of the PyTorch reference script docs/performance.md compares against (torch_dan_bench.py)
 * (images are random, made once outside the timed region; lambda is fixed). {@code tile} and
 * {@code tileBatch} shape inference only: danseg's sliding window (tile 0 = one tile per image) and
 * tiles per forward pass, as {@code danseg predict --tile --batch}.
 */
public record BenchConfig(String mode, String sn, int width, int size, int annotated, int unannotated,
                          int channels, int classes, String fusion, int threads, int warmup, int iters,
                          double lambda, boolean balance, long seed, int tile, int tileBatch, String engine, String ortOptimization) {

    /** The same on DJL (the engine of training). */
    public BenchConfig(String mode, String sn, int width, int size, int annotated, int unannotated, int channels, int classes, String fusion,
                       int threads, int warmup, int iters, double lambda, boolean balance, long seed, int tile, int tileBatch) {
        this(mode, sn, width, size, annotated, unannotated, channels, classes, fusion, threads, warmup, iters, lambda, balance, seed, tile,
                tileBatch, "djl", "all");
    }

    public BenchConfig {
        require(mode.equals("dan") || mode.equals("supervised") || mode.equals("infer"), "--mode must be dan, supervised or infer");
        require(sn.equals("dan-fcn") || sn.equals("unet"), "--sn must be dan-fcn or unet");
        require(size > 0 && size % 32 == 0, "--size must be a positive multiple of 32");
        require(width >= 1 && channels >= 1 && classes >= 2 && threads >= 1 && iters >= 1 && warmup >= 0,
                "need --width, --channels, --threads, --iters >= 1, --classes >= 2, --warmup >= 0");
        int needA = mode.equals("infer") ? 0 : 1;
        int needU = mode.equals("dan") ? 1 : 0;
        require(annotated >= needA && unannotated >= needU && annotated + unannotated >= 1,
                "--mode " + mode + " needs --annotated >= " + needA + " and --unannotated >= " + needU);
        require(tile == 0 || (tile > 0 && tile % 32 == 0), "--tile must be 0 (= --size) or a positive multiple of 32");
        require(tileBatch >= 1, "--batch must be >= 1");
        require(fusion.equals("stack") || fusion.equals("product") || fusion.equals("mask"), "--fusion must be stack, product or mask");
        require(lambda >= 0 && Double.isFinite(lambda), "--lam must be a finite number >= 0, not " + lambda);
        require(engine.equals("djl") || engine.equals("onnxruntime"), "--engine must be djl or onnxruntime, not " + engine);
        require(engine.equals("djl") || mode.equals("infer"), "--engine onnxruntime runs inference only: use it with --mode infer");
        require(List.of("all", "extended", "basic", "none").contains(ortOptimization),
                "--ort-optimization must be all, extended, basic or none, not " + ortOptimization);
        require(width <= 256 && channels <= 64 && classes <= 256, "--width must be <= 256, --channels <= 64, --classes <= 256");
    }

    /** ONNX Runtime's graph optimisation level for {@code ortOptimization}. */
    public ai.onnxruntime.OrtSession.SessionOptions.OptLevel ortLevel() {
        return switch (ortOptimization) {
            case "none" -> ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT;
            case "basic" -> ai.onnxruntime.OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case "extended" -> ai.onnxruntime.OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            default -> ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT;
        };
    }

    /** The inference tile side: {@code tile}, or the whole image when 0. */
    public int inferenceTile() {
        return tile == 0 ? size : tile;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new org.danseg.io.BadInputException(message);
        }
    }
}
