package org.danseg.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.danseg.infer.SavedModel;

/**
 * The models of this executor JVM: each loaded once (copied to local disk first when it lives on
 * HDFS or S3) and shared by every task, which SavedModel allows (inference changes no shared state).
 */
final class ExecutorModels {
    private static final Map<String, SavedModel> MODELS = new ConcurrentHashMap<>();
    private static volatile boolean threadsSet;

    private ExecutorModels() {
    }

    static SavedModel get(String model, int threads, Configuration conf) {
        setThreads(threads);
        return MODELS.computeIfAbsent(model, m -> {
            try {
                return SavedModel.load(LocalFiles.local(m, conf, true));
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    /** PyTorch's intra-op threads are per process: set once, to the cores one task may use. */
    private static synchronized void setThreads(int threads) {
        if (!threadsSet) {
            System.setProperty("ai.djl.offline", "true");
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(Math.max(1, threads));
            threadsSet = true;
        }
    }
}
