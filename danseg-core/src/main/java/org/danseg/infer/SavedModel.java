package org.danseg.infer;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.data.NormalizationStats;
import org.danseg.data.TrainingSet;
import org.danseg.data.VolumeSlices;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFormatException;
import org.danseg.nn.WeightFiles;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.danseg.nn.Networks;
import org.danseg.nn.SegmentationNet;
import org.danseg.runtime.ComputeDevice;
import org.danseg.train.ModelDirectory;
import org.danseg.train.ModelInfo;
import org.danseg.train.TrainConfig;

/**
 * A trained SN loaded from a MODEL_DIR (the {@code best} checkpoint when validation chose one,
 * else {@code last}), with the normalization it was trained with.
 */
public final class SavedModel implements AutoCloseable {
    private final NDManager manager;
    private final TrainConfig config;
    private final SegmentationNet sn;
    private final int channels;
    private final NormalizationStats norm;
    private final EnScorer en;
    private final String checkpoint;

    private SavedModel(NDManager manager, TrainConfig config, SegmentationNet sn, EnScorer en, NormalizationStats norm, String checkpoint) {
        this.en = en;
        this.manager = manager;
        this.config = config;
        this.sn = sn;
        this.channels = norm.mean().length;
        this.norm = norm;
        this.checkpoint = checkpoint;
    }

    /**
     * Loads and checks every file of the model folder; each problem is an {@link ImageFormatException}
     * naming the file and what is wrong with it, before anything else happens.
     */
    public static SavedModel load(Path modelDir) throws IOException {
        ModelDirectory dir = new ModelDirectory(modelDir);
        if (!Files.isDirectory(modelDir)) {
            throw new ImageFormatException(modelDir, "no such model folder");
        }
        for (Path required : new Path[] {dir.config(), dir.model(), dir.normalization()}) {
            if (!Files.isRegularFile(required)) {
                throw new ImageFormatException(modelDir, "not a danseg model folder (" + required.getFileName() + " missing)");
            }
        }
        String name = dir.hasCheckpoint(ModelDirectory.BEST) ? ModelDirectory.BEST : ModelDirectory.LAST;
        if (!Files.isDirectory(dir.checkpoint(name))) {
            throw new ImageFormatException(modelDir, "holds no trained weights (no " + name + "/ checkpoint: the training never reached one)");
        }
        TrainConfig config = readJson(dir.config(), () -> TrainConfig.read(dir.config()));
        ModelInfo info = readJson(dir.model(), () -> new ObjectMapper().readValue(dir.model().toFile(), ModelInfo.class));
        NormalizationStats norm = readJson(dir.normalization(), () -> new ObjectMapper().readValue(dir.normalization().toFile(), NormalizationStats.class));
        checkConsistent(dir, config, info, norm);
        int classes = info.classes();
        String network = config.sn() + " with width " + config.width() + ", " + info.channels() + " input channel(s) and " + classes + " classes";
        NDManager manager = NDManager.newBaseManager(ComputeDevice.current());
        try {
            SegmentationNet sn = Networks.segmentation(config.sn(), info.channels(), classes, config.width());
            sn.initialize(manager, config.patch());
            WeightFiles.load(sn, manager, dir.checkpoint(name).resolve("sn.params"), network);
            sn.freezeParameters(true);
            EnScorer en = null;
            if (config.adversarial()) {
                EvaluationNet net = Networks.evaluation(info.channels(), classes, config.width(), Fusion.parse(config.fusion()), config.evaluatorKind());
                net.initialize(manager, config.patch());
                WeightFiles.load(net, manager, dir.checkpoint(name).resolve("en.params"), "EN (" + config.evaluator() + ") for " + network);
                net.freezeParameters(true);
                en = new EnScorer(net, Fusion.parse(config.fusion()));
            }
            return new SavedModel(manager, config, sn, en, norm, name);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private interface JsonRead<T> {
        T read() throws IOException;
    }

    /** A model folder's JSON file, with any problem (syntax, types, values) reported against it. */
    private static <T> T readJson(Path file, JsonRead<T> reader) throws ImageFormatException {
        try {
            T value = reader.read();
            if (value == null) {
                throw new ImageFormatException(file, "is empty");
            }
            return value;
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
            throw new ImageFormatException(file, "damaged or edited into an invalid state (" + why.replaceAll(" \\(class .*", "") + ")");
        }
    }

    /** The three descriptions of the model's input must agree; an edited file is caught here, not as a tensor shape error. */
    private static void checkConsistent(ModelDirectory dir, TrainConfig config, ModelInfo info, NormalizationStats norm) throws ImageFormatException {
        if (info.channels() < 1 || info.channels() > 64 || info.classes() < 2 || info.classes() > 256) {
            throw new ImageFormatException(dir.model(), "states " + info.channels() + " channel(s) and " + info.classes() + " classes; "
                    + "expected 1..64 channels and 2..256 classes");
        }
        if (norm.mean() == null || norm.std() == null || norm.mean().length != norm.std().length) {
            throw new ImageFormatException(dir.normalization(), "needs a mean and a std of the same length");
        }
        for (int c = 0; c < norm.mean().length; c++) {
            if (!Double.isFinite(norm.mean()[c]) || !Double.isFinite(norm.std()[c]) || !(norm.std()[c] > 0)) {
                throw new ImageFormatException(dir.normalization(), "channel " + c + " has mean " + norm.mean()[c] + " and std " + norm.std()[c]
                        + "; expected finite numbers and a positive std");
            }
        }
        if (norm.mean().length != info.channels()) {
            throw new ImageFormatException(dir.model(), "states " + info.channels() + " channel(s) but " + dir.normalization().getFileName()
                    + " normalizes " + norm.mean().length);
        }
        if (config.volume() != null && info.channels() != 2 * config.context() + 1) {
            throw new ImageFormatException(dir.model(), "states " + info.channels() + " channel(s) but config.json's context "
                    + config.context() + " means " + (2 * config.context() + 1));
        }
    }

    public TrainConfig config() {
        return config;
    }

    public String checkpoint() {
        return checkpoint;
    }

    /** Input channels the model was trained on (3 for RGB, 1 for grey, more with slice context). */
    public int channels() {
        return channels;
    }

    public int classes() {
        return sn.classes();
    }

    /**
     * A sliding-window predictor for this model; {@code tile} 0 means the default (256, or the
     * training patch if larger), {@code batch} 0 the device's default ({@link TiledPredictor#defaultBatch}).
     */
    public TiledPredictor predictor(int tile, double overlap, int batch, boolean flips) {
        int t = tile > 0 ? tile : Math.max(config.patch(), 256 / sn.sizeMultiple() * sn.sizeMultiple());
        int b = batch > 0 ? batch : TiledPredictor.defaultBatch(manager.getDevice());
        return new TiledPredictor(sn, norm.mean(), norm.std(), t, overlap, b, flips);
    }

    /** Per-pixel class labels of an image with default tiling. Thread-safe: inference changes no shared state. */
    public int[] segment(Image2D image) {
        return segment(image, predictor(0, 0.25, 0, false));
    }

    /**
     * Per-pixel class labels, computed band by band: no full-size probability map is ever held,
     * so large images cost the labels plus the image, and tensors one batch of tiles.
     */
    public int[] segment(Image2D image, TiledPredictor predictor) {
        checkChannels(image);
        int w = image.width();
        int[] labels = new int[w * image.height()];
        int k = sn.classes();
        predictor.predict(manager, image.data(), (float) (1.0 / image.maxValue()), channels, w, image.height(), (y0, rows, prob) -> {
            int[] band = ClassMaps.argmax(prob, k, rows * w);
            System.arraycopy(band, 0, labels, y0 * w, band.length);
        });
        return labels;
    }

    /** Class probabilities of an image, predicted tile by tile. */
    public Prediction predict(Image2D image, TiledPredictor predictor) {
        checkChannels(image);
        float[] prob = predictor.probabilities(manager, TrainingSet.scaled(image), channels, image.width(), image.height());
        return new Prediction(image.width(), image.height(), sn.classes(), prob);
    }

    /**
     * Segments every slice of a volume along the training axis, with the training's intensity
     * normalization and slice context; the result keeps the input's header (dimensions, pixdim,
     * qform/sform) and stores uint8 labels.
     */
    public NiftiVolume segmentVolume(NiftiVolume volume, TiledPredictor predictor) {
        if (config.volume() == null) {
            throw new IllegalArgumentException("this model was trained on 2D images; it segments 2D images, not volumes");
        }
        int axis = config.axisIndex();
        float[] normalized = VolumeSlices.normalize(volume.values(), config.intensity());
        float[] out = new float[normalized.length];
        int[] wh = VolumeSlices.sliceShape(volume, axis);
        for (int s = 0; s < VolumeSlices.count(volume, axis); s++) {
            float[] pixels = VolumeSlices.withContext(normalized, volume, axis, s, config.context());
            int[] labels = new int[wh[0] * wh[1]];
            predictor.predict(manager, pixels, 1f, channels, wh[0], wh[1], (y0, rows, prob) -> {
                int[] band = ClassMaps.argmax(prob, sn.classes(), rows * wh[0]);
                System.arraycopy(band, 0, labels, y0 * wh[0], band.length);
            });
            VolumeSlices.setPlane(out, volume, axis, s, labels);
        }
        return volume.withValues(out, NiftiDataType.UINT8);
    }

    /** Whether EN was trained (DAN models): only then is {@link #qualityScore} meaningful. */
    public boolean hasEvaluationNet() {
        return en != null;
    }

    /**
     * EN's score for a prediction: the mean, over non-overlapping tiles covering the image, of EN's
     * sigmoid output on (image, probabilities). EN learned to score segmentations of annotated-like
     * images near 1, so a low score marks an image worth checking or annotating next.
     */
    public double qualityScore(Image2D image, Prediction p, int tile) {
        if (en == null) {
            throw new IllegalStateException("this model has no trained EN (trained with --mode supervised)");
        }
        return en.score(manager, TrainingSet.scaled(image), channels, p, tile);
    }

    private void checkChannels(Image2D image) {
        if (image.channels() != channels) {
            throw new IllegalArgumentException("image has " + image.channels() + " channel(s); the model was trained on " + channels);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
