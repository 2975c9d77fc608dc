package org.danseg.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.ImageFiles;
import org.danseg.io.LabelMap;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.io.nifti.VolumeReader;

/**
 * "Segment this file into that file", the one way danseg does it: {@code danseg predict}, the
 * Spark job and the library all call here, so their outputs are the same bytes.
 */
public final class ImageSegmenter {

    /** What segmenting one input produced. {@code enScore} is NaN unless asked for (and the model has EN). */
    public record Outcome(int width, int height, int depth, double foregroundFraction, double enScore) {
    }

    private ImageSegmenter() {
    }

    /**
     * Writes the label mask of a 2D image to {@code mask}; with {@code probabilities} also each
     * foreground class's probability map beside it (NAME_prob&lt;k&gt;.EXT); with {@code score} EN's quality score.
     */
    public static Outcome segmentImage(SavedModel model, TiledPredictor predictor, Path image, Path mask, boolean probabilities, boolean score)
            throws IOException {
        Image2D img = ImageFileReader.read(image);
        int[] labels;
        double enScore = Double.NaN;
        if (!probabilities && !score) {
            // Labels only: streamed band by band, the cheapest path for very large images.
            labels = model.segment(img, predictor);
        } else {
            Prediction p = model.predict(img, predictor);
            labels = p.labels();
            if (probabilities) {
                List<Path> maps = probabilityMaps(mask, p.classes());
                for (int k = 1; k < p.classes(); k++) {
                    ImageFileWriter.writeProbability(p.plane(k), img.width(), img.height(), maps.get(k - 1));
                }
            }
            if (score) {
                enScore = model.qualityScore(img, p, predictor.tile());
            }
        }
        ImageFileWriter.writeLabels(new LabelMap(img.width(), img.height(), labels, img.spacing()), mask);
        return new Outcome(img.width(), img.height(), 1, foreground(labels), enScore);
    }

    /** Writes the uint8 label volume of a volume (NIfTI or multi-page TIFF) to a NIfTI file with the input's header. */
    public static Outcome segmentVolume(SavedModel model, TiledPredictor predictor, Path volume, Path out) throws IOException {
        return segmentVolume(model, predictor, VolumeReader.read(volume), out);
    }

    /** The same for a volume already read (and so checked). */
    public static Outcome segmentVolume(SavedModel model, TiledPredictor predictor, NiftiVolume v, Path out) throws IOException {
        NiftiVolume seg = model.segmentVolume(v, predictor);
        NiftiWriter.write(seg, NiftiDataType.UINT8, out);
        float[] values = seg.values();
        long fg = 0;
        for (float x : values) {
            fg += x != 0 ? 1 : 0;
        }
        return new Outcome(v.nx(), v.ny(), v.nz(), values.length == 0 ? 0 : (double) fg / values.length, Double.NaN);
    }

    /** Where the probability maps of a mask go: NAME_prob1.EXT .. NAME_prob(K-1).EXT beside NAME.EXT. */
    public static List<Path> probabilityMaps(Path mask, int classes) {
        String name = mask.getFileName().toString();
        String base = ImageFiles.baseName(mask);
        String ext = name.substring(name.lastIndexOf('.'));
        List<Path> maps = new java.util.ArrayList<>();
        for (int k = 1; k < classes; k++) {
            maps.add(mask.resolveSibling(base + "_prob" + k + ext));
        }
        return maps;
    }

    private static double foreground(int[] labels) {
        long fg = 0;
        for (int l : labels) {
            fg += l != 0 ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) fg / labels.length;
    }
}
