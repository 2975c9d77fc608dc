package org.danseg.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.danseg.data.Augmentation;
import org.danseg.data.Batch;
import org.danseg.data.PatchSampler;
import org.danseg.data.TrainingSet;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.NetworkPair;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.SnArchitecture;
import org.danseg.train.Adam;
import org.danseg.train.DanSteps;

/** Tiny networks and a trivially learnable dataset (bright discs on a dark background) for tests. */
public final class TinySetup implements AutoCloseable {
    public final NDManager manager = NDManager.newBaseManager();
    public final SegmentationNet sn;
    public final EvaluationNet en;
    public final Adam snOpt;
    public final Adam enOpt;
    public final DanSteps steps;
    public final PatchSampler sampler;

    public TinySetup(SnArchitecture architecture, Fusion fusion, int patch, double lr) {
        this(architecture, fusion, patch, lr, false);
    }

    public TinySetup(SnArchitecture architecture, Fusion fusion, int patch, double lr, boolean balance) {
        this(architecture, fusion, patch, lr, balance, EvaluationNet.Kind.IMAGE, discs(4, patch, false));
    }

    public TinySetup(SnArchitecture architecture, Fusion fusion, int patch, double lr, boolean balance, EvaluationNet.Kind kind, TrainingSet unannotated) {
        Engine.getInstance().setRandomSeed(3);
        NetworkPair nets = NetworkPair.forTraining(new NetworkPair.Spec(architecture, 8, fusion, kind, 3, 2), manager, patch);
        sn = nets.sn();
        en = nets.en();
        snOpt = new Adam(sn.getParameters().values(), manager, lr);
        enOpt = new Adam(en.getParameters().values(), manager, 1e-3);
        steps = new DanSteps(sn, en, snOpt, enOpt, manager, fusion, new double[] {0.3, 0.3, 0.3}, new double[] {0.3, 0.3, 0.3}, false, 0, balance);
        sampler = new PatchSampler(discs(4, patch, true), unannotated, patch, 11, Augmentation.DEFAULT);
    }

    public Batch batch(int it, int a, int u) {
        return sampler.batch(it, a, u);
    }

    /** A batch with strong views of the unannotated patches, as the consistency recipes need. */
    public Batch strongBatch(int it, int a, int u) {
        return sampler.batch(it, a, u, org.danseg.data.StrongAugmentation.DEFAULT);
    }

    /** Images with one bright disc each; labels 1 inside the disc when annotated. */
    public static TrainingSet discs(int n, int size, boolean annotated) {
        java.util.List<TrainingSet.Item> items = new java.util.ArrayList<>();
        java.util.Random rng = new java.util.Random(annotated ? 1 : 2);
        for (int i = 0; i < n; i++) {
            float[] px = new float[3 * size * size];
            int[] labels = new int[size * size];
            double cx = size * (0.3 + 0.4 * rng.nextDouble());
            double cy = size * (0.3 + 0.4 * rng.nextDouble());
            double r = size * (0.15 + 0.1 * rng.nextDouble());
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean in = Math.hypot(x - cx, y - cy) < r;
                    for (int c = 0; c < 3; c++) {
                        px[c * size * size + y * size + x] = in ? 0.8f : 0.1f;
                    }
                    labels[y * size + x] = in ? 1 : 0;
                }
            }
            items.add(new TrainingSet.Item("d" + i, size, size, px, annotated ? labels : null));
        }
        return new TrainingSet(items, 3, 2);
    }

    @Override
    public void close() {
        manager.close();
    }
}
