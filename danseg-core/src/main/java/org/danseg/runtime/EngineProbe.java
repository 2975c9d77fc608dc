package org.danseg.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Loads the PyTorch engine (offline) and runs one small matrix product to prove it computes. */
final class EngineProbe {

    record Result(Map<String, String> facts, List<String> problems) {
    }

    private EngineProbe() {
    }

    static Result run() {
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try {
            Engine engine = Engine.getEngine("PyTorch");
            facts.put("engine", engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")");
            facts.put("native library", ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
            facts.put("torch threads", ai.djl.pytorch.jni.JniUtils.getNumThreads() + " intra-op, "
                    + ai.djl.pytorch.jni.JniUtils.getNumInteropThreads() + " inter-op");
            facts.put("gpus", String.valueOf(engine.getGpuCount()));
            facts.put("device (auto)", ComputeDevice.describe(ComputeDevice.AUTO.select()));
            facts.put("matmul 512x512 fp32", matmulRate());
        } catch (Throwable e) {
            // Any failure to load native code must become a verdict, not a stack trace.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add("the PyTorch engine did not load (" + why.lines().findFirst().orElse(why)
                    + "); rebuild with ./danseg (mvn package) and check that danseg-core/target/lib holds pytorch-native-cpu");
        }
        return new Result(facts, problems);
    }

    private static String matmulRate() {
        try (NDManager manager = NDManager.newBaseManager(ComputeDevice.current())) {
            NDArray a = manager.randomUniform(0f, 1f, new Shape(512, 512));
            NDArray b = manager.randomUniform(0f, 1f, new Shape(512, 512));
            a.matMul(b).toFloatArray();
            int reps = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDArray c = a.matMul(b)) {
                    c.toFloatArray();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double gflops = reps * 2.0 * 512 * 512 * 512 / seconds / 1e9;
            return String.format(Locale.ROOT, "%.0f GFLOP/s", gflops);
        }
    }
}
