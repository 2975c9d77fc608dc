package org.danseg.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.danseg.data.DatasetException;
import org.danseg.data.MaskCollection;
import org.danseg.infer.FolderSegmenter;
import org.danseg.infer.PredictionPlan;
import org.danseg.infer.SavedModel;
import org.danseg.io.ImageFiles;
import org.danseg.io.MaskType;
import org.danseg.metrics.Evaluator;
import org.danseg.metrics.MaskPairs;
import org.danseg.metrics.SetEvaluation;

/** Segments a held-out dataset (DIR/images + DIR/masks) with a trained model and scores it against the masks. */
public final class TestSetEvaluation {

    private TestSetEvaluation() {
    }

    /**
     * Writes one label PNG per test image into {@code outDir}; for models with EN also returns
     * EN's quality score per image (by base name), else an empty map.
     */
    public static Map<String, Double> segment(Path model, Path test, Path outDir) throws IOException {
        try (SavedModel m = SavedModel.load(model)) {
            List<Path> images = ImageFiles.list(test.resolve("images"));
            List<Path> targets = PredictionPlan.of(images, PredictionPlan.Kind.IMAGE, outDir, "png").masks();
            return FolderSegmenter.segment(m, images, targets, outDir, FolderSegmenter.Settings.defaults(m.hasEvaluationNet()), null).scores();
        }
    }

    /** Scores the label PNGs in {@code predictions} against the test set's masks (its dataset.json mask type). */
    public static SetEvaluation score(Path predictions, Path test) throws IOException, DatasetException {
        MaskCollection truth = MaskCollection.load(test, null, "--mask-type");
        MaskCollection pred = MaskCollection.load(predictions, MaskType.CLASSES, "--pred-mask-type");
        return Evaluator.evaluate(MaskPairs.pair(pred, truth), Math.max(2, truth.numClasses()), null)
                .withSources(predictions.toAbsolutePath().toString(), test.toAbsolutePath().toString());
    }

    /**
     * Spearman correlation between EN's per-image scores and the true per-image Dice: does EN rank
     * images by the quality of their segmentation? NaN when undefined (constant scores or Dice).
     */
    public static double spearman(Map<String, Double> scores, org.danseg.metrics.SetEvaluation e) {
        double[] s = new double[e.perImage().size()];
        double[] d = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            org.danseg.metrics.ImageEvaluation ie = e.perImage().get(i);
            s[i] = scores.get(ie.image());
            d[i] = ie.dice();
        }
        return org.danseg.metrics.RankCorrelation.spearman(s, d);
    }
}
