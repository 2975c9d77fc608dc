package org.danseg.infer;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.data.NormalizationStats;
import org.danseg.data.TrainingSet;
import org.danseg.data.VolumeSlices;
import org.danseg.io.Image2D;
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

    public static SavedModel load(Path modelDir) throws IOException {
        ModelDirectory dir = new ModelDirectory(modelDir);
        if (!Files.isRegularFile(dir.config()) || !Files.isRegularFile(dir.model()) || !Files.isRegularFile(dir.normalization())) {
            throw new IOException(modelDir + ": not a danseg model directory (config.json, model.json or normalization.json missing)");
        }
        String name = dir.hasCheckpoint(ModelDirectory.BEST) ? ModelDirectory.BEST : ModelDirectory.LAST;
        Path params = dir.checkpoint(name).resolve("sn.params");
        if (!Files.isRegularFile(params)) {
            throw new IOException(modelDir + ": no trained weights (" + params + " missing)");
        }
        TrainConfig config = TrainConfig.read(dir.config());
        NormalizationStats norm = new ObjectMapper().readValue(dir.normalization().toFile(), NormalizationStats.class);
        ModelInfo info = new ObjectMapper().readValue(dir.model().toFile(), ModelInfo.class);
        int classes = info.classes();
        NDManager manager = NDManager.newBaseManager(ComputeDevice.current());
        try {
            SegmentationNet sn = Networks.segmentation(config.sn(), norm.mean().length, classes, config.width());
            sn.initialize(manager, config.patch());
            try (DataInputStream in = new DataInputStream(Files.newInputStream(params))) {
                sn.loadParameters(manager, in);
            }
            sn.freezeParameters(true);
            EnScorer en = null;
            if (config.adversarial()) {
                EvaluationNet net = Networks.evaluation(norm.mean().length, classes, config.width(), Fusion.parse(config.fusion()), config.evaluatorKind());
                net.initialize(manager, config.patch());
                try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.checkpoint(name).resolve("en.params")))) {
                    net.loadParameters(manager, in);
                }
                net.freezeParameters(true);
                en = new EnScorer(net, Fusion.parse(config.fusion()));
            }
            return new SavedModel(manager, config, sn, en, norm, name);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IOException(params + ": cannot load the weights (" + e.getMessage() + ")", e);
        }
    }

    public TrainConfig config() {
        return config;
    }

    public String checkpoint() {
        return checkpoint;
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
