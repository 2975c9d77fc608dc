package org.danseg.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.VolumeReader;

/**
 * Everything a training run learns from, whatever its source: annotated items, unannotated items
 * (or null), validation items (or null), the normalization SN inputs get, how masks were read, and
 * the files involved (for provenance). Built from 2D dataset folders or from a partially annotated volume.
 */
public record TrainingData(TrainingSet annotated, TrainingSet unannotated, TrainingSet validation,
                           NormalizationStats normalization, String maskType, List<DataFile> files) {

    /** A file the data came from and its role (annotated-image, annotated-mask, unannotated-image, val-image, val-mask, volume, labels). */
    public record DataFile(String role, Path path) {
    }

    public static TrainingData fromDatasets(AnnotatedDataset annotated, UnannotatedDataset unannotated, AnnotatedDataset validation)
            throws IOException {
        List<DataFile> files = new ArrayList<>();
        for (Sample s : annotated.samples()) {
            files.add(new DataFile("annotated-image", s.image()));
            files.add(new DataFile("annotated-mask", s.mask()));
        }
        if (unannotated != null) {
            unannotated.images().forEach(p -> files.add(new DataFile("unannotated-image", p)));
        }
        if (validation != null) {
            for (Sample s : validation.samples()) {
                files.add(new DataFile("val-image", s.image()));
                files.add(new DataFile("val-mask", s.mask()));
            }
        }
        return new TrainingData(TrainingSet.annotated(annotated),
                unannotated == null ? null : TrainingSet.unannotated(unannotated, annotated.numClasses()),
                validation == null ? null : TrainingSet.annotated(validation),
                annotated.normalization(), annotated.maskType().cliName(), files);
    }

    /**
     * A volume whose slices along {@code axis} are partly annotated. {@code annotatedSlices} null:
     * slices without an {@code ignoreLabel} voxel (all slices when there is no ignore label);
     * {@code unannotatedSlices} null: every other slice with signal. Labels of unannotated slices are
     * never read into the training items.
     */
    public static TrainingData fromVolumes(List<Path> images, List<Path> labelFiles, int axis, List<Integer> annotatedSlices,
                                           List<Integer> unannotatedSlices, Integer ignoreLabel, int context, org.danseg.config.Intensity intensity,
                                           boolean needUnannotated) throws IOException, DatasetException {
        List<TrainingSet.Item> a = new ArrayList<>();
        List<TrainingSet.Item> u = new ArrayList<>();
        List<DataFile> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int classes = 2;
        for (int v = 0; v < images.size(); v++) {
            try {
                VolumeItems items = fromVolume(images.get(v), labelFiles.get(v), axis, annotatedSlices, unannotatedSlices, ignoreLabel, context,
                        intensity, needUnannotated);
                a.addAll(items.annotated());
                u.addAll(items.unannotated());
                classes = Math.max(classes, items.classes());
                files.add(new DataFile("volume", images.get(v)));
                files.add(new DataFile("labels", labelFiles.get(v)));
            } catch (DatasetException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) with the volumes", problems);
        }
        int channels = 2 * context + 1;
        NormalizationStats.Accumulator acc = new NormalizationStats.Accumulator(channels);
        for (TrainingSet.Item item : a) {
            acc.add(new org.danseg.io.Image2D(item.width(), item.height(), channels, item.pixels(), 1.0, org.danseg.io.PixelSpacing.UNIT));
        }
        NormalizationStats stats = acc.result();
        return new TrainingData(new TrainingSet(a, channels, classes), u.isEmpty() ? null : new TrainingSet(u, channels, classes), null,
                new NormalizationStats("per-volume " + org.danseg.config.Setting.id(intensity) + " z-score mapped to [0,1] as (z+3)/6, then " + stats.method(),
                        stats.mean(), stats.std(), stats.pixels()),
                "classes", files);
    }

    /** The largest label value a volume may hold (256 classes; atlases with more are reduced with derive-labels). */
    static final int MAX_LABEL = 255;

    private record VolumeItems(List<TrainingSet.Item> annotated, List<TrainingSet.Item> unannotated, int classes) {
    }

    private static VolumeItems fromVolume(Path image, Path labels, int axis, List<Integer> annotatedSlices, List<Integer> unannotatedSlices,
                                          Integer ignoreLabel, int context, org.danseg.config.Intensity intensity, boolean needUnannotated)
            throws IOException, DatasetException {
        List<String> problems = new ArrayList<>();
        NiftiVolume img = read(image, problems);
        NiftiVolume lab = read(labels, problems);
        if (img != null && lab != null && img.spaceMismatch(lab) != null) {
            problems.add(labels + ": not in the space of " + image + ": " + img.spaceMismatch(lab));
        }
        if (lab != null && lab.labelProblem(MAX_LABEL) != null) {
            problems.add(labels + ": " + lab.labelProblem(MAX_LABEL));
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) with the volume", problems);
        }
        int slices = VolumeSlices.count(img, axis);
        List<Integer> annotated = annotatedSlices != null ? annotatedSlices : slicesWithout(lab, axis, ignoreLabel);
        for (int s : annotated) {
            if (s >= slices) {
                problems.add(labels + ": annotated slice " + s + " does not exist (0.." + (slices - 1) + " along " + "xyz".charAt(axis) + ")");
            }
        }
        List<Integer> unannotated = new ArrayList<>();
        if (needUnannotated) {
            unannotated = unannotatedSlices != null ? unannotatedSlices : slicesWithSignal(img, axis, annotated);
            for (int s : unannotated) {
                if (s >= slices) {
                    problems.add(image + ": unannotated slice " + s + " does not exist (0.." + (slices - 1) + ")");
                } else if (annotated.contains(s)) {
                    problems.add(image + ": slice " + s + " is listed as annotated and as unannotated");
                }
            }
            if (unannotated.isEmpty()) {
                problems.add(image + ": no unannotated slices to learn from");
            }
        }
        if (annotated.isEmpty()) {
            problems.add(labels + ": no annotated slice (every slice holds the ignore label " + ignoreLabel + ")");
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) with the slice selection", problems);
        }
        int classes = 2;
        for (int s : annotated) {
            for (float v : VolumeSlices.plane(lab.values(), lab, axis, s)) {
                int l = Math.round(v);
                if (ignoreLabel == null || l != ignoreLabel) {
                    if (l < 0) {
                        throw new DatasetException("bad labels", List.of(labels + ": negative label " + l + " in slice " + s));
                    }
                    classes = Math.max(classes, l + 1);
                }
            }
        }
        float[] normalized = VolumeSlices.normalize(img.values(), intensity);
        String name = image.getFileName().toString();
        return new VolumeItems(VolumeSlices.items(name, normalized, img, lab, axis, annotated, context, ignoreLabel),
                VolumeSlices.items(name, normalized, img, null, axis, unannotated, context, null), classes);
    }

    private static NiftiVolume read(Path file, List<String> problems) {
        try {
            return VolumeReader.read(file);
        } catch (IOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static List<Integer> slicesWithout(NiftiVolume lab, int axis, Integer ignoreLabel) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < VolumeSlices.count(lab, axis); s++) {
            boolean ignored = false;
            if (ignoreLabel != null) {
                for (float v : VolumeSlices.plane(lab.values(), lab, axis, s)) {
                    if (Math.round(v) == ignoreLabel) {
                        ignored = true;
                        break;
                    }
                }
            }
            if (!ignored) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Integer> slicesWithSignal(NiftiVolume img, int axis, List<Integer> exclude) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < VolumeSlices.count(img, axis); s++) {
            if (exclude.contains(s)) {
                continue;
            }
            for (float v : VolumeSlices.plane(img.values(), img, axis, s)) {
                if (v != 0) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    public int channels() {
        return annotated.channels();
    }

    public int classes() {
        return annotated.classes();
    }
}
