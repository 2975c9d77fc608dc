package org.danseg.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;

/** A tiny synthetic dataset and the flags of a tiny, fast training run on it, for tests of whole runs and of what follows them. */
public final class TinyTraining {

    private TinyTraining() {
    }

    /** 2 annotated and 4 unannotated 64-pixel H&E tiles (with the unannotated ones' truth apart), seed 3. */
    public static void synthesize(Path data) throws Exception {
        SynthDatasetWriter.write(new SynthConfig(2, 4, 0, 64, 3, 0.4), data, true, null);
    }

    /** {@code danseg train} on that data: width 8, 64-pixel patches (whole images), 8 pre-training iterations, checkpoints every 5, 2 threads, seed 7. */
    public static String[] args(Path data, Path out, String mode, int iterations, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--annotated", data.resolve("annotated").toString(),
                "--unannotated", data.resolve("unannotated").toString(), "--out", out.toString(), "--mode", mode,
                "--width", "8", "--patch", "64", "--iterations", Integer.toString(iterations), "--pretrain-iterations", "8",
                "--lambda-ramp", "8", "--checkpoint-every", "5", "--threads", "2", "--seed", "7"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }
}
