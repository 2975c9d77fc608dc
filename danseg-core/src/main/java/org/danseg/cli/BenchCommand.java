package org.danseg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.danseg.bench.Bench;
import org.danseg.bench.BenchConfig;
import org.danseg.bench.DataPipelineBench;
import org.danseg.bench.OpProfile;
import org.danseg.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time danseg's training and inference code on random images, with the flags and JSON fields of",
                "../shared/reference/torch_dan_bench.py: seconds per iteration, GFLOP per iteration, GFLOP/s, parameter counts,",
                "peak memory. dan: EN step + SN step on A + U images; supervised: SN on the A images; infer: SN on A + U images;",
                "data: the data pipeline alone (read a dataset folder, draw batches of A + U augmented patches), no network."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--mode", defaultValue = "dan", paramLabel = "dan|supervised|infer|data", description = "What one iteration is (default: ${DEFAULT-VALUE}).")
    String mode;
    @Option(names = "--sn", defaultValue = "dan-fcn", paramLabel = "dan-fcn|unet", description = "Segmentation network (default: ${DEFAULT-VALUE}).")
    String sn;
    @Option(names = "--width", defaultValue = "16", paramLabel = "W", description = "Base width; the paper is 64 (default: ${DEFAULT-VALUE}).")
    int width;
    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Square image size, a multiple of 32 (default: ${DEFAULT-VALUE}).")
    int size;
    @Option(names = "--annotated", defaultValue = "4", paramLabel = "A", description = "Annotated images per iteration (default: ${DEFAULT-VALUE}).")
    int annotated;
    @Option(names = "--unannotated", defaultValue = "4", paramLabel = "U", description = "Unannotated images per iteration (default: ${DEFAULT-VALUE}).")
    int unannotated;
    @Option(names = "--channels", defaultValue = "3", paramLabel = "C", description = "Image channels (default: ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--classes", defaultValue = "2", paramLabel = "K", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;
    @Option(names = "--fusion", defaultValue = "stack", paramLabel = "stack|product|mask", description = "EN's input (default: ${DEFAULT-VALUE}).")
    String fusion;
    @Option(names = "--threads", paramLabel = "T", description = "PyTorch threads (default: the available cores).")
    Integer threads;
    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--iters", defaultValue = "10", paramLabel = "N", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--lam", defaultValue = "0.1", paramLabel = "L", description = "Fixed adversarial weight (default: ${DEFAULT-VALUE}).")
    double lambda;
    @Option(names = "--adversarial-balance", defaultValue = "gradient", paramLabel = "gradient|none",
            description = "As in train; none is the reference script's plain sum (default: ${DEFAULT-VALUE}).")
    String balance;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result to FILE (refused if it exists, unless --force).")
    Path json;
    @Option(names = "--tile", defaultValue = "0", paramLabel = "PX", description = "Infer: sliding-window tile side, 0 = the whole image as one tile (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Infer: tiles per forward pass, as predict --batch (default: ${DEFAULT-VALUE}).")
    int tileBatch;

    @Option(names = "--data", paramLabel = "DIR", description = "Data mode: a dataset folder with annotated/ and unannotated/ (as danseg synth writes); --size is the patch side.")
    Path data;

    @Option(names = "--profile", paramLabel = "TRACE.json", description = {"Also record the timed iterations with PyTorch's profiler into TRACE.json",
            "(Chrome trace) and print where the time goes, per operator; profiling slows the iterations a little."})
    Path profile;

    @Option(names = "--engine", defaultValue = "djl", paramLabel = "djl|onnxruntime", description = "Infer: what runs SN, as predict --engine (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--ort-optimization", defaultValue = "all", paramLabel = "all|extended|basic|none",
            description = "Infer with onnxruntime: ONNX Runtime's graph optimisation level (default: ${DEFAULT-VALUE}).")
    String ortOptimization;

    @Option(names = "--force", description = "Overwrite an existing --json file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        if (!balance.equals("gradient") && !balance.equals("none")) {
            throw new UserInputException("--adversarial-balance must be gradient or none, not " + balance);
        }
        if (json != null && Files.exists(json) && !force) {
            throw new UserInputException(json + ": already exists (use --force to overwrite)");
        }
        if (profile != null && Files.exists(profile) && !force) {
            throw new UserInputException(profile + ": already exists (use --force to overwrite)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Bench.Progress progress = (i, warm, s) -> {
            out.printf(Locale.ROOT, "%s %d: %.4f s%n", warm ? "warmup" : "iter", i, s);
            out.flush();
        };
        if (mode.equals("data")) {
            if (data == null || !Files.isDirectory(data.resolve("annotated")) || !Files.isDirectory(data.resolve("unannotated"))) {
                throw new UserInputException("--mode data needs --data DIR holding annotated/ and unannotated/ (as danseg synth writes)");
            }
            return print(out, DataPipelineBench.run(data, size, annotated, unannotated, warmup, iters, seed, progress));
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        BenchConfig config;
        try {
            config = new BenchConfig(mode, sn, width, size, annotated, unannotated, channels, classes, fusion, t, warmup, iters,
                    lambda, balance.equals("gradient"), seed, tile, tileBatch, engine, ortOptimization);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        Map<String, Object> result = Bench.run(config, profile, progress);
        if (profile != null) {
            @SuppressWarnings("unchecked")
            List<Double> seconds = (List<Double>) result.get("iteration_seconds");
            result.put("profile", OpProfile.read(profile).perIteration(iters, seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0), 15));
        }
        return print(out, result);
    }

    private int print(PrintWriter out, Map<String, Object> result) throws IOException {
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        out.println(text);
        if (json != null) {
            AtomicFiles.writeString(json, text + "\n");
        }
        out.flush();
        return ExitCodes.OK;
    }

}
