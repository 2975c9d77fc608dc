package org.danseg.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.io.Mask;
import org.danseg.io.MaskInterpreter;
import org.danseg.io.PixelSpacing;

/**
 * Images (scaled to [0, 1], channel-major) and, for annotated ones, per-pixel class labels, held
 * in memory for patch sampling. Unannotated images have no labels: there is nothing to leak.
 * {@code spacing} is the physical pixel size every image's file states, {@link PixelSpacing#UNIT}
 * when one states none or they differ by more than 1%.
 */
public record TrainingSet(List<Item> items, int channels, int classes, PixelSpacing spacing) {

    public TrainingSet(List<Item> items, int channels, int classes) {
        this(items, channels, classes, PixelSpacing.UNIT);
    }

    /** One image; {@code labels} is null for an unannotated image. */
    public record Item(String name, int width, int height, float[] pixels, int[] labels) {
    }

    public static TrainingSet annotated(AnnotatedDataset d) throws IOException {
        List<Item> items = new ArrayList<>();
        List<PixelSpacing> spacings = new ArrayList<>();
        for (Sample s : d.samples()) {
            Image2D img = ImageFileReader.read(s.image());
            Mask mask = MaskInterpreter.interpret(ImageFileReader.readLabels(s.mask()), d.maskType(), s.mask());
            items.add(new Item(s.name(), img.width(), img.height(), scaled(img), mask.classes()));
            spacings.add(img.spacing());
        }
        return new TrainingSet(List.copyOf(items), d.channels(), d.numClasses(), common(spacings));
    }

    public static TrainingSet unannotated(UnannotatedDataset d, int classes) throws IOException {
        List<Item> items = new ArrayList<>();
        List<PixelSpacing> spacings = new ArrayList<>();
        for (Path p : d.images()) {
            Image2D img = ImageFileReader.read(p);
            items.add(new Item(org.danseg.io.ImageFiles.baseName(p), img.width(), img.height(), scaled(img), null));
            spacings.add(img.spacing());
        }
        return new TrainingSet(List.copyOf(items), d.channels(), classes, common(spacings));
    }

    /** The one physical spacing all images share (within 1%), else {@link PixelSpacing#UNIT}. */
    static PixelSpacing common(List<PixelSpacing> spacings) {
        if (spacings.isEmpty() || spacings.stream().anyMatch(s -> !"mm".equals(s.unit()))) {
            return PixelSpacing.UNIT;
        }
        PixelSpacing first = spacings.get(0);
        for (PixelSpacing s : spacings) {
            if (Math.abs(s.x() - first.x()) > 0.01 * first.x() || Math.abs(s.y() - first.y()) > 0.01 * first.y()) {
                return PixelSpacing.UNIT;
            }
        }
        return first;
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
