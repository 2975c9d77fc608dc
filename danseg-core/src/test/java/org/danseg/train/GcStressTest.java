package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.danseg.config.CutMixSource;
import org.danseg.config.UnannotatedPass;
import org.danseg.data.TrainingSet;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.Networks;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.SnArchitecture;
import org.danseg.testing.TinySetup;
import org.junit.jupiter.api.Test;

/**
 * Training does not depend on when the JVM collects garbage. A tensor made from Java data lives
 * in a Java direct buffer that PyTorch does not own; if autograd saved it and it was closed and
 * collected before backward, backward read freed memory: NaN now and then, or runs that silently
 * differed (DJL_NOTES.md; once blamed on PyTorch's convolution). Here every recipe's steps run
 * twice, once quietly and once while another thread frees and reuses direct memory (filled with
 * NaN bit patterns) and forces collections; SN and EN must end bit for bit the same, with no step
 * skipped for non-finite gradients.
 */
class GcStressTest {
    private static final int PATCH = 32;
    private static final int ITERATIONS = 8;

    private enum Recipe { SUPERVISED, PAPER, JUDGED, MEAN_TEACHER }

    @Test
    void everyRecipeTrainsTheSameUnderGarbageCollectionPressure() throws Exception {
        for (Recipe recipe : Recipe.values()) {
            Map<String, float[]> quiet = train(recipe, false);
            Map<String, float[]> stressed = train(recipe, true);
            assertThat(stressed.keySet()).isEqualTo(quiet.keySet());
            for (String k : quiet.keySet()) {
                assertThat(stressed.get(k)).as(recipe + ": " + k + " under GC pressure vs quiet").isEqualTo(quiet.get(k));
            }
        }
    }

    private static Map<String, float[]> train(Recipe recipe, boolean stress) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            List<ByteBuffer> held = new ArrayList<>();
            while (!stop.get()) {
                ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF); // 0xFFFFFFFF is a NaN as a float
                }
                held.add(b);
                if (held.size() > 32) {
                    held.clear();
                    System.gc();
                }
            }
        });
        churn.setDaemon(true);
        if (stress) {
            churn.start();
        }
        try (TinySetup t = new TinySetup(SnArchitecture.UNET, Fusion.STACK, PATCH, 1e-3, false,
                recipe == Recipe.JUDGED ? EvaluationNet.Kind.PIXEL : EvaluationNet.Kind.IMAGE, TinySetup.discs(4, PATCH, false))) {
            SegmentationNet teacher = null;
            TrainingSteps steps = switch (recipe) {
                case SUPERVISED, PAPER -> t.steps;
                case JUDGED -> new JudgedSelfTrainingSteps(t.steps.snSide(), t.steps.enSide(), 0.5, 0.0, 0.01, UnannotatedPass.SEPARATE, CutMixSource.UNANNOTATED, false);
                case MEAN_TEACHER -> {
                    teacher = Networks.segmentation(SnArchitecture.UNET, 3, 2, 8);
                    teacher.initialize(t.manager, PATCH);
                    yield new MeanTeacherSteps(t.steps.snSide(), teacher, 0.9);
                }
            };
            for (int i = 0; i < ITERATIONS; i++) {
                try (NDManager it = t.manager.newSubManager()) {
                    if (recipe == Recipe.SUPERVISED) {
                        steps.supervised(t.batch(i, 2, 0), it);
                    } else {
                        steps.semiSupervised(t.strongBatch(i, 2, 2), it, 1.0);
                    }
                }
                if (stress) {
                    System.gc();
                }
            }
            assertThat(t.snOpt.skippedSteps() + t.enOpt.skippedSteps()).as(recipe + ": steps skipped for non-finite gradients").isZero();
            Map<String, float[]> values = new LinkedHashMap<>();
            put(values, "sn.", t.sn);
            put(values, "en.", t.en);
            if (teacher != null) {
                put(values, "teacher.", teacher);
            }
            return values;
        } finally {
            stop.set(true);
            if (stress) {
                churn.join();
            }
        }
    }

    private static void put(Map<String, float[]> into, String prefix, Block block) {
        for (var p : block.getParameters()) {
            into.put(prefix + p.getKey(), p.getValue().getArray().toFloatArray());
        }
    }
}
