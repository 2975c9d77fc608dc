package org.danseg.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.danseg.config.TrainConfig;

/**
 * The data a training configuration names, read and checked all at once: every problem in every
 * file is collected into one {@link DatasetException} before any training starts.
 */
public final class TrainingDataLoader {

    private TrainingDataLoader() {
    }

    /** {@code semiSupervised}: whether the recipe needs the unannotated images. */
    public static TrainingData load(TrainConfig.Data config, boolean semiSupervised) throws IOException, DatasetException {
        if (config.dataset() != null) {
            return nnUNetData(config, semiSupervised);
        }
        return config.volumes() ? volumeData(config, semiSupervised) : datasetData(config, semiSupervised);
    }

    /**
     * The training settings with an nnU-Net dataset of volumes expanded into its files, so the run
     * (and its saved config.json) is an ordinary volume run; 2D datasets and other settings unchanged.
     */
    public static TrainConfig expand(TrainConfig config) throws IOException, DatasetException {
        if (config.data().dataset() == null) {
            return config;
        }
        NnUNetDataset ds = NnUNetDataset.read(Path.of(config.data().dataset()));
        if (!ds.volumes()) {
            return config;
        }
        List<String> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (NnUNetDataset.Case c : ds.cases()) {
            images.add(c.images().get(0).toString());
            labels.add(c.labels().toString());
        }
        Integer ignore = config.data().ignoreLabel() != null ? config.data().ignoreLabel() : ds.ignoreLabel();
        return config.withVolumes(images, labels, ignore);
    }

    /** A 2D nnU-Net dataset: labelsTr's cases annotated; imagesTs (or --unannotated) unannotated. */
    private static TrainingData nnUNetData(TrainConfig.Data config, boolean semiSupervised) throws IOException, DatasetException {
        NnUNetDataset ds = NnUNetDataset.read(Path.of(config.dataset()));
        if (ds.volumes()) {
            throw new IllegalStateException("an nnU-Net dataset of volumes is expanded before its data is loaded");
        }
        List<String> problems = new ArrayList<>();
        AnnotatedDataset annotated = collect(problems, () -> DatasetLoader.annotated(ds));
        UnannotatedDataset unannotated = null;
        if (semiSupervised) {
            Path source = config.unannotated() != null ? Path.of(config.unannotated()) : ds.imagesTs();
            if (source == null) {
                problems.add(ds.root() + ": has no imagesTs/ for the unannotated images; give --unannotated DIR or --mode supervised");
            } else {
                unannotated = collect(problems, () -> DatasetLoader.unannotated(source));
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) in the training data", problems);
        }
        if (unannotated != null && unannotated.channels() != annotated.channels()) {
            throw new DatasetException("annotated and unannotated images differ",
                    List.of(unannotated.root() + ": images have " + unannotated.channels() + " channel(s), the annotated ones " + annotated.channels()));
        }
        return TrainingData.fromDatasets(annotated, unannotated, null);
    }

    private static TrainingData volumeData(TrainConfig.Data config, boolean semiSupervised) throws IOException, DatasetException {
        List<Path> images = new ArrayList<>();
        List<Path> labels = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.volume().size(); i++) {
            VolumePairs.add(Path.of(config.volume().get(i)), Path.of(config.labels().get(i)), images, labels, problems);
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) pairing volumes with labels", problems);
        }
        return TrainingData.fromVolumes(images, labels, config.axis().index(),
                config.annotatedSlices() == null ? null : SliceList.parse(config.annotatedSlices()),
                config.unannotatedSlices() == null || config.unannotatedSlices().equals("all") ? null : SliceList.parse(config.unannotatedSlices()),
                config.ignoreLabel(), config.context(), config.intensity(), semiSupervised);
    }

    private static TrainingData datasetData(TrainConfig.Data config, boolean semiSupervised) throws IOException, DatasetException {
        List<String> problems = new ArrayList<>();
        AnnotatedDataset annotated = collect(problems, () -> DatasetLoader.annotated(Path.of(config.annotated()), config.maskType()));
        UnannotatedDataset unannotated = semiSupervised
                ? collect(problems, () -> DatasetLoader.unannotated(Path.of(config.unannotated()))) : null;
        AnnotatedDataset validation = config.val() == null ? null
                : collect(problems, () -> DatasetLoader.annotated(Path.of(config.val()), config.maskType()));
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) in the training data", problems);
        }
        if (unannotated != null && unannotated.channels() != annotated.channels()) {
            throw new DatasetException("annotated and unannotated images differ",
                    List.of(config.unannotated() + ": images have " + unannotated.channels() + " channel(s), the annotated ones " + annotated.channels()));
        }
        if (validation != null && (validation.channels() != annotated.channels() || validation.numClasses() > annotated.numClasses())) {
            throw new DatasetException("validation data differs from the training data",
                    List.of(config.val() + ": " + validation.channels() + " channel(s), " + validation.numClasses() + " classes; training has "
                            + annotated.channels() + " and " + annotated.numClasses()));
        }
        return TrainingData.fromDatasets(annotated, unannotated, validation);
    }

    private interface Loader<T> {
        T load() throws IOException, DatasetException;
    }

    private static <T> T collect(List<String> problems, Loader<T> loader) throws IOException {
        try {
            return loader.load();
        } catch (DatasetException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
