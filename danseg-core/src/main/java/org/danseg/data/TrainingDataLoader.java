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
        return config.volumes() ? volumeData(config, semiSupervised) : datasetData(config, semiSupervised);
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
