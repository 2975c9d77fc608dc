package org.danseg.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.danseg.io.Mask;
import org.danseg.io.PixelSpacing;

/** Computes every metric for pairs of (prediction, truth) masks, per image and pooled over the set. */
public final class Evaluator {

    /** One image to evaluate; distances use the truth's pixel spacing. */
    public record Case(String name, Mask prediction, Mask truth) {
        public Case {
            if (prediction.width() != truth.width() || prediction.height() != truth.height()) {
                throw new org.danseg.io.BadInputException(name + ": prediction is " + prediction.width() + "x" + prediction.height()
                        + " but truth is " + truth.width() + "x" + truth.height());
            }
        }
    }

    /** An image's result with the sums that the set pools. */
    private record Scored(ImageEvaluation evaluation, PixelCounts foreground, ObjectScores objects, PixelCounts[] classes) {
    }

    private Evaluator() {
    }

    private static Scored score(Case c, int numClasses) {
        Mask pred = c.prediction();
        Mask truth = c.truth();
        PixelSpacing spacing = truth.spacing();
        int w = truth.width();
        int h = truth.height();
        boolean[] predFg = pred.foreground();
        boolean[] truthFg = truth.foreground();
        PixelCounts counts = PixelCounts.of(predFg, truthFg);
        SurfaceDistances.Result distances = SurfaceDistances.compute(predFg, truthFg, w, h, spacing);
        ObjectScores objects = GlasObjectMetrics.score(pred.objects(), pred.objectCount(), truth.objects(), truth.objectCount(), w, h, spacing);
        List<ClassEvaluation> perClass = new ArrayList<>();
        PixelCounts[] classCounts = new PixelCounts[numClasses];
        for (int k = 1; k < numClasses; k++) {
            boolean[] p = pred.classMask(k);
            boolean[] t = truth.classMask(k);
            PixelCounts kc = PixelCounts.of(p, t);
            classCounts[k] = kc;
            SurfaceDistances.Result kd = SurfaceDistances.compute(p, t, w, h, spacing);
            perClass.add(new ClassEvaluation(k, kc.dice(), kc.iou(), kc.precision(), kc.recall(), kd.hd95(), kd.assd(),
                    kc.dice(), kc.truthPixels(), kc.predPixels(), 1));
        }
        ImageEvaluation e = new ImageEvaluation(c.name(), counts.dice(), counts.iou(), counts.precision(), counts.recall(),
                distances.hd95(), distances.assd(), objects.f1(), objects.objectDice(), objects.objectHausdorff(),
                counts.truthPixels(), counts.predPixels(), objects.truthObjects(), objects.predObjects(), perClass);
        return new Scored(e, counts, objects, classCounts);
    }

    /**
     * Evaluates every case. {@code numClasses} counts the background; 2 for binary and instance masks.
     * {@code onImage} is called after each image (progress reporting); may be null.
     */
    public static SetEvaluation evaluate(List<Case> cases, int numClasses, Runnable onImage) {
        if (cases.isEmpty()) {
            throw new org.danseg.io.BadInputException("nothing to evaluate: no image pairs");
        }
        PixelCounts pooled = PixelCounts.ZERO;
        ObjectScores pooledObjects = ObjectScores.NONE;
        PixelCounts[] classCounts = new PixelCounts[numClasses];
        Arrays.fill(classCounts, PixelCounts.ZERO);
        double[] classHd95 = new double[numClasses];
        double[] classAssd = new double[numClasses];
        double[] classDice = new double[numClasses];
        double hd95 = 0;
        double assd = 0;
        double meanDice = 0;
        String unit = null;
        List<ImageEvaluation> perImage = new ArrayList<>();
        for (Case c : cases) {
            Scored s = score(c, numClasses);
            ImageEvaluation e = s.evaluation();
            perImage.add(e);
            pooled = pooled.plus(s.foreground());
            pooledObjects = pooledObjects.plus(s.objects());
            for (ClassEvaluation ce : e.perClass()) {
                int k = ce.classLabel();
                classCounts[k] = classCounts[k].plus(s.classes()[k]);
                classHd95[k] += ce.hd95();
                classAssd[k] += ce.assd();
                classDice[k] += ce.dice();
            }
            hd95 += e.hd95();
            assd += e.assd();
            meanDice += e.dice();
            String u = c.truth().spacing().unit();
            unit = unit == null || unit.equals(u) ? u : "mixed";
            if (onImage != null) {
                onImage.run();
            }
        }
        int n = cases.size();
        List<ClassEvaluation> perClass = new ArrayList<>();
        for (int k = 1; k < numClasses; k++) {
            PixelCounts kc = classCounts[k];
            perClass.add(new ClassEvaluation(k, kc.dice(), kc.iou(), kc.precision(), kc.recall(), classHd95[k] / n, classAssd[k] / n,
                    classDice[k] / n, kc.truthPixels(), kc.predPixels(), n));
        }
        return new SetEvaluation(n, unit, pooled.dice(), pooled.iou(), pooled.precision(), pooled.recall(), hd95 / n, assd / n,
                pooledObjects.f1(), pooledObjects.objectDice(), pooledObjects.objectHausdorff(), meanDice / n,
                pooled.truthPixels(), pooled.predPixels(), pooledObjects.truthObjects(), pooledObjects.predObjects(),
                pooledObjects.truePositives(), pooledObjects.falsePositives(), pooledObjects.falseNegatives(), perClass, perImage, null, null);
    }
}
