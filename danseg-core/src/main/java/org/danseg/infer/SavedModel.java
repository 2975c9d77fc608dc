package org.danseg.infer;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.danseg.config.Setting;
import org.danseg.config.TrainConfig;
import org.danseg.data.TrainingSet;
import org.danseg.data.VolumeSlices;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFormatException;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.model.Checkpoint;
import org.danseg.model.ModelFolder;
import org.danseg.model.ModelInfo;
import org.danseg.model.Preprocessing;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.NetworkPair;
import org.danseg.nn.SegmentationNet;
import org.danseg.nn.WeightFiles;
import org.danseg.runtime.ComputeDevice;

/**
 * A trained SN loaded from a MODEL_DIR (the {@code best} checkpoint when validation chose one,
 * else {@code last}), with the normalization it was trained with.
 */
public final class SavedModel implements AutoCloseable {
    private final NDManager manager;
    private final TrainConfig config;
    private final SegmentationNet sn;
    private final int channels;
    private final Preprocessing preprocessing;
    private final EnScorer en;
    private final String checkpoint;
    private OnnxTileNetwork onnxRuntime;
    private final Path folder;
    private final org.danseg.io.PixelSpacing pixelSize;

    private SavedModel(Path folder, NDManager manager, TrainConfig config, SegmentationNet sn, EnScorer en, Preprocessing preprocessing,
                       String checkpoint, org.danseg.io.PixelSpacing pixelSize) {
        this.folder = folder;
        this.pixelSize = pixelSize;
        this.en = en;
        this.manager = manager;
        this.config = config;
        this.sn = sn;
        this.channels = preprocessing.channels();
        this.preprocessing = preprocessing;
        this.checkpoint = checkpoint;
    }

    /**
     * Loads and checks every file of the model folder; each problem is an {@link ImageFormatException}
     * naming the file and what is wrong with it, before anything else happens.
     */
    public static SavedModel load(Path modelDir) throws IOException {
        ModelFolder.StoredModel stored = new ModelFolder(modelDir).read();
        // Before every prediction: wrong kernels must refuse, not segment (the check is milliseconds).
        org.danseg.runtime.NumericsGuard.recheck();
        TrainConfig config = stored.config();
        ModelInfo info = stored.info();
        Preprocessing pre = stored.preprocessing();
        TrainConfig.Network network = config.network();
        String description = Setting.id(network.sn()) + " with width " + network.width() + ", " + info.channels() + " input channel(s) and "
                + info.classes() + " classes";
        NetworkPair nets = NetworkPair.build(new NetworkPair.Spec(network.sn(), network.width(), network.fusion(), network.evaluator(),
                info.channels(), info.classes()));
        NDManager manager = NDManager.newBaseManager(ComputeDevice.current());
        try {
            SegmentationNet sn = nets.sn();
            sn.initialize(manager, config.data().patch());
            WeightFiles.load(sn, manager, stored.checkpoint().weights(Checkpoint.Network.SN), description);
            sn.freezeParameters(true);
            EnScorer en = null;
            if (config.recipe().mode().adversarial()) {
                EvaluationNet net = nets.en();
                net.initialize(manager, config.data().patch());
                WeightFiles.load(net, manager, stored.checkpoint().weights(Checkpoint.Network.EN),
                        "EN (" + Setting.id(network.evaluator()) + ") for " + description);
                net.freezeParameters(true);
                en = new EnScorer(net, network.fusion(), config.recipe().mode().enJudgesCorrectness()
                        ? EnScorer.Reading.ESTIMATED_DICE : EnScorer.Reading.LOOKS_ANNOTATED);
            }
            return new SavedModel(modelDir, manager, config, sn, en, pre, stored.checkpointName(), info.pixelSize());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public TrainConfig config() {
        return config;
    }

    /** The model folder it was loaded from. */
    public Path folder() {
        return folder;
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

    /** The physical pixel size the model was trained at (mm), or null when it does not know one. */
    public org.danseg.io.PixelSpacing pixelSize() {
        return pixelSize;
    }

    /** The patch side SN was trained on: the smallest tile it predicts as it learned. */
    public int trainingPatch() {
        return config.data().patch();
    }

    /**
     * A sliding-window predictor for this model on the {@link Engine#AUTO automatic engine};
     * {@code tile} 0 means the default (256, or the training patch if larger), {@code batch} 0 the
     * device's default ({@link SlidingWindow#defaultBatch}).
     */
    public TiledPredictor predictor(int tile, double overlap, int batch, boolean flips) {
        return predictor(tile, overlap, batch, flips, Engine.AUTO);
    }

    /** The same, with SN run by {@code engine}. */
    public TiledPredictor predictor(int tile, double overlap, int batch, boolean flips, Engine engine) {
        boolean onnx = resolve(engine) == Engine.ONNXRUNTIME;
        int t = tile > 0 ? tile : SlidingWindow.defaultTile(config.data().patch(), sn.sizeMultiple());
        // ONNX Runtime runs on the CPU, where one tile per batch was fastest, whatever the device.
        int b = batch > 0 ? batch : onnx ? 1 : SlidingWindow.defaultBatch(manager.getDevice());
        TileNetwork network = onnx ? onnxRuntime() : new DjlTileNetwork(sn, preprocessing.mean(), preprocessing.std());
        return new TiledPredictor(network, new SlidingWindow(t, overlap, b), flips);
    }

    /** The engine {@code engine} means for this model's device ({@link Engine#AUTO}: ONNX Runtime on a CPU, DJL on a GPU). */
    public Engine resolve(Engine engine) {
        return engine.on(manager.getDevice());
    }

    /** SN's ONNX export in an ONNX Runtime session, built on first use and closed with this model. */
    private synchronized OnnxTileNetwork onnxRuntime() {
        if (onnxRuntime == null) {
            onnxRuntime = new OnnxTileNetwork(exportOnnx(), sn.classes(), sn.sizeMultiple(), 0, org.danseg.runtime.EngineSettings.ONNX_OPTIMISATION);
        }
        return onnxRuntime;
    }

    /**
     * SN as a self-contained ONNX model ({@link org.danseg.nn.onnx.SegmentationOnnx}: [0, 1] image in,
     * softmax probabilities out, danseg's normalisation inside), with the training settings as metadata.
     */
    public byte[] exportOnnx() {
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
        try {
            metadata.put("danseg.config", config.toJson());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        metadata.put("danseg.checkpoint", checkpoint);
        metadata.put("danseg.size_multiple", Integer.toString(sn.sizeMultiple()));
        metadata.put("danseg.input", "image scaled to [0, 1] by its sample type's maximum (8-bit / 255, 16-bit / 65535); "
                + "the per-channel z-score is in the graph");
        return org.danseg.nn.onnx.SegmentationOnnx.export(sn, preprocessing.mean(), preprocessing.std(), org.danseg.runtime.Version.get(),
                "danseg SN (" + Setting.id(config.network().sn()) + ", width " + config.network().width() + ") from " + folder, metadata);
    }

    /** Tile sides must be a multiple of this. */
    public int sizeMultiple() {
        return sn.sizeMultiple();
    }

    /** How images become SN's input, as in training. */
    public Preprocessing preprocessing() {
        return preprocessing;
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

    /**
     * Class probabilities of an image read band by band (a slide) with raw samples that
     * {@code scale} maps to [0, 1], handed to {@code sink} band by band for the columns where tiles
     * ran; skipped tiles are background. Only tile rows {@code fromRow .. toRow - 1}: a part of it.
     */
    public void segment(SlidingWindow.RowSource source, int imageChannels, int width, int height, float scale, TiledPredictor predictor,
                        SlidingWindow.TileSkip skip, int fromRow, int toRow, SlidingWindow.SpanSink sink) {
        if (imageChannels != channels) {
            throw new IllegalArgumentException("the image has " + imageChannels + " channels; the model expects " + channels);
        }
        predictor.predict(manager, source, scale, channels, width, height, skip, fromRow, toRow, sink);
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
        Preprocessing.Volume slicing = preprocessing.volume();
        if (slicing == null) {
            throw new org.danseg.io.BadInputException("this model was trained on 2D images; it segments 2D images, not volumes");
        }
        int axis = slicing.axis().index();
        float[] normalized = VolumeSlices.normalize(volume.values(), slicing.intensity());
        float[] out = new float[normalized.length];
        int[] wh = VolumeSlices.sliceShape(volume, axis);
        for (int s = 0; s < VolumeSlices.count(volume, axis); s++) {
            float[] pixels = VolumeSlices.withContext(normalized, volume, axis, s, slicing.context());
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
     * EN's score for a prediction over non-overlapping tiles covering the image ({@link EnScorer}): for
     * dan an estimate of the image's Dice from EN's per-location correctness, for paper and balanced
     * EN's mean "looks annotated" probability. A low score marks an image worth checking or annotating next.
     */
    public double qualityScore(Image2D image, Prediction p, int tile) {
        if (en == null) {
            throw new IllegalStateException("this model has no trained EN (trained with --mode supervised)");
        }
        return en.score(manager, TrainingSet.scaled(image), channels, p, tile);
    }

    private void checkChannels(Image2D image) {
        if (image.channels() != channels) {
            throw new org.danseg.io.BadInputException("image has " + image.channels() + " channel(s); the model was trained on " + channels);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (onnxRuntime != null) {
                onnxRuntime.close();
            }
        }
        manager.close();
    }
}
