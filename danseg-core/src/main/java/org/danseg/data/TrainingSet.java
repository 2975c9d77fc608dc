package org.danseg.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.io.Mask;
import org.danseg.io.MaskInterpreter;

/**
 * Images (scaled to [0, 1], channel-major) and, for annotated ones, per-pixel class labels, held
 * in memory for patch sampling. Unannotated images have no labels: there is nothing to leak.
 */
public record TrainingSet(List<Item> items, int channels, int classes) {

    /** One image; {@code labels} is null for an unannotated image. */
    public record Item(String name, int width, int height, float[] pixels, int[] labels) {
    }

    public static TrainingSet annotated(AnnotatedDataset d) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Sample s : d.samples()) {
            Image2D img = ImageFileReader.read(s.image());
            Mask mask = MaskInterpreter.interpret(ImageFileReader.readLabels(s.mask()), d.maskType(), s.mask());
            items.add(new Item(s.name(), img.width(), img.height(), scaled(img), mask.classes()));
        }
        return new TrainingSet(List.copyOf(items), d.channels(), d.numClasses());
    }

    public static TrainingSet unannotated(UnannotatedDataset d, int classes) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path p : d.images()) {
            Image2D img = ImageFileReader.read(p);
            items.add(new Item(org.danseg.io.ImageFiles.baseName(p), img.width(), img.height(), scaled(img), null));
        }
        return new TrainingSet(List.copyOf(items), d.channels(), classes);
    }

    /** Sample values divided by the sample type's maximum. */
    public static float[] scaled(Image2D img) {
        float[] out = img.data().clone();
        float inv = (float) (1.0 / img.maxValue());
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }
}
