package org.danseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFiles;
import org.danseg.io.ImageFileReader;
import org.danseg.io.LabelMap;
import org.danseg.io.MaskInterpreter;
import org.danseg.io.MaskType;

/**
 * Opens and validates dataset directories. Every image and mask is read once, so every problem
 * (pairing, unreadable file, size mismatch, unexpected label values, mixed channel counts) is
 * found and reported together, file by file, before any work starts.
 */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /**
     * An annotated dataset: {@code dir/images} and {@code dir/masks}, paired by base name.
     *
     * @param requested the user's {@code --mask-type}, or null to take {@code dataset.json}'s or
     *                  to infer binary (an error when any mask has more than two values)
     */
    public static AnnotatedDataset annotated(Path dir, MaskType requested) throws DatasetException, IOException {
        Path imagesDir = dir.resolve("images");
        Path masksDir = dir.resolve("masks");
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": not an annotated dataset", List.of(dir + ": no such directory"));
        }
        if (!Files.isDirectory(imagesDir)) {
            problems.add(imagesDir + ": missing (an annotated dataset is DIR/images + DIR/masks)");
        }
        if (!Files.isDirectory(masksDir)) {
            problems.add(masksDir + ": missing (an annotated dataset is DIR/images + DIR/masks)");
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(dir + ": not an annotated dataset", problems);
        }
        Map<String, Path> images = byBaseName(ImageFiles.list(imagesDir), problems);
        Map<String, Path> masks = byBaseName(ImageFiles.list(masksDir), problems);
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            Path mask = masks.get(e.getKey());
            if (mask == null) {
                problems.add(e.getValue() + ": no mask named " + e.getKey() + ".* in " + masksDir);
            } else {
                samples.add(new Sample(e.getKey(), e.getValue(), mask));
            }
        }
        for (Map.Entry<String, Path> e : masks.entrySet()) {
            if (!images.containsKey(e.getKey())) {
                problems.add(e.getValue() + ": mask without an image named " + e.getKey() + ".* in " + imagesDir);
            }
        }
        if (images.isEmpty()) {
            problems.add(imagesDir + ": contains no images (PNG, BMP, JPEG, TIFF)");
        }

        DatasetDescriptor descriptor = DatasetDescriptor.read(dir);
        MaskType declared = requested != null ? requested
                : descriptor != null && descriptor.maskType() != null ? MaskType.parse(descriptor.maskType()) : null;
        return fromSamples(dir, samples, declared, null, null, problems);
    }

    /**
     * The annotated cases of an nnU-Net dataset: label maps (CLASSES) with the dataset's classes;
     * its ignore label (the highest value) is allowed in the masks and, being no class, never
     * reaches a loss.
     */
    public static AnnotatedDataset annotated(NnUNetDataset dataset) throws DatasetException, IOException {
        List<Sample> samples = new ArrayList<>();
        for (NnUNetDataset.Case c : dataset.cases()) {
            samples.add(new Sample(c.id(), c.images().get(0), c.labels()));
        }
        return fromSamples(dataset.root(), samples, MaskType.CLASSES, dataset.classes(), dataset.ignoreLabel(), new ArrayList<>());
    }

    /**
     * Reads and checks paired images and masks; {@code fixedClasses} (with an optional
     * {@code ignore} value above them) when the dataset declares its classes, else they are
     * counted from the masks.
     */
    private static AnnotatedDataset fromSamples(Path dir, List<Sample> samples, MaskType declared, Integer fixedClasses, Integer ignore,
                                                List<String> problems) throws DatasetException {
        ChannelCheck channels = new ChannelCheck();
        NormalizationStats.Accumulator stats = null;
        Map<Sample, LabelMap> labels = new LinkedHashMap<>();
        for (Sample s : samples) {
            Image2D image = readImage(s.image(), problems);
            LabelMap mask = readMask(s.mask(), problems);
            if (image != null) {
                channels.check(s.image(), image.channels(), problems);
                if (stats == null) {
                    stats = new NormalizationStats.Accumulator(image.channels());
                }
                if (image.channels() == channels.channels) {
                    stats.add(image);
                }
            }
            if (image != null && mask != null && (image.width() != mask.width() || image.height() != mask.height())) {
                problems.add(s.mask() + ": mask is " + mask.width() + "x" + mask.height() + " but its image is "
                        + image.width() + "x" + image.height());
            } else if (mask != null) {
                labels.put(s, mask);
            }
        }

        Map<Path, LabelMap> byFile = new LinkedHashMap<>();
        labels.forEach((sample, mask) -> byFile.put(sample.mask(), mask));
        MaskType type = MaskInterpreter.resolve(declared, byFile, "--mask-type", problems);
        int numClasses = 2;
        if (fixedClasses != null) {
            numClasses = fixedClasses;
            int highest = ignore != null ? ignore : fixedClasses - 1;
            labels.forEach((sample, mask) -> {
                if (mask.maxValue() > highest) {
                    problems.add(sample.mask() + ": holds label " + mask.maxValue() + "; the dataset declares 0.." + (fixedClasses - 1)
                            + (ignore != null ? " and ignore " + ignore : ""));
                }
            });
        } else if (type == MaskType.CLASSES) {
            for (LabelMap m : labels.values()) {
                numClasses = Math.max(numClasses, m.maxValue() + 1);
            }
        }
        if (samples.isEmpty() && problems.isEmpty()) {
            problems.add(dir + ": no annotated images");
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(dir + ": " + problems.size() + " problem(s) in the annotated dataset", problems);
        }
        return new AnnotatedDataset(dir, List.copyOf(samples), type, numClasses, channels.channels, stats.result());
    }

    /** An unannotated dataset: {@code dir/images} when it exists, else the images directly in {@code dir}. */
    public static UnannotatedDataset unannotated(Path dir) throws DatasetException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": not an image directory", List.of(dir + ": no such directory"));
        }
        Path imagesDir = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
        List<String> problems = new ArrayList<>();
        List<Path> files = List.copyOf(byBaseName(ImageFiles.list(imagesDir), problems).values());
        if (files.isEmpty()) {
            problems.add(imagesDir + ": contains no images (PNG, BMP, JPEG, TIFF)");
        }
        ChannelCheck channels = new ChannelCheck();
        NormalizationStats.Accumulator stats = null;
        for (Path f : files) {
            Image2D image = readImage(f, problems);
            if (image != null) {
                channels.check(f, image.channels(), problems);
                if (stats == null) {
                    stats = new NormalizationStats.Accumulator(image.channels());
                }
                if (image.channels() == channels.channels) {
                    stats.add(image);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(dir + ": " + problems.size() + " problem(s) in the unannotated images", problems);
        }
        return new UnannotatedDataset(dir, files, channels.channels, stats.result());
    }

    /** Files keyed by base name, sorted; two files with one base name are a problem (which would be paired?). */
    private static Map<String, Path> byBaseName(List<Path> files, List<String> problems) {
        Map<String, Path> map = new TreeMap<>();
        for (Path f : files) {
            Path previous = map.putIfAbsent(ImageFiles.baseName(f), f);
            if (previous != null) {
                problems.add(f + ": same base name as " + previous.getFileName() + "; rename one of them");
            }
        }
        return map;
    }

    private static Image2D readImage(Path file, List<String> problems) {
        try {
            return ImageFileReader.read(file);
        } catch (IOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static LabelMap readMask(Path file, List<String> problems) {
        try {
            return ImageFileReader.readLabels(file);
        } catch (IOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Every image of a dataset must have the channel count of the first one. */
    private static final class ChannelCheck {
        int channels = -1;
        Path first;

        void check(Path file, int c, List<String> problems) {
            if (channels < 0) {
                channels = c;
                first = file;
            } else if (c != channels) {
                problems.add(file + ": has " + c + " channel(s) but " + first.getFileName() + " has " + channels
                        + "; all images of a dataset must be grey or all RGB");
            }
        }
    }
}
