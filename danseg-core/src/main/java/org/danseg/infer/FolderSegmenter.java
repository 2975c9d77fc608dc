package org.danseg.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.danseg.io.AtomicFiles;
import org.danseg.io.ImageFiles;

/**
 * "Segment these images into that folder", the one way danseg does it for a set of images:
 * {@code danseg predict}, the demo and the experiment all call here. The settings used (model,
 * checkpoint, tile, overlap, batch, test-time augmentation, formats) are written first, beside
 * the masks, as {@link PredictionSettings#FILE}.
 */
public final class FolderSegmenter {

    /** How to segment: {@code tile} and {@code batch} 0 mean the model's and the device's defaults. */
    public record Settings(Engine engine, int tile, double overlap, int batch, boolean tta, String format, boolean probabilities, boolean scores) {

        /** Prediction's defaults: the automatic engine, default tile and batch, overlap 0.25, no TTA, PNG masks. */
        public static Settings defaults(boolean scores) {
            return new Settings(Engine.AUTO, 0, 0.25, 0, false, "png", false, scores);
        }
    }

    /** What happens per image; without a listener the first failure is thrown. */
    public interface Listener {
        void segmented(Path image, ImageSegmenter.Outcome outcome);

        /** A file whose pixels could not be used (its header passed): the others go on. */
        void failed(Path image, Exception problem);
    }

    /** EN's score per image (base name, input order; empty without {@link Settings#scores()}) and how many images failed. */
    public record Result(Map<String, Double> scores, int failed) {
    }

    private FolderSegmenter() {
    }

    /** Segments {@code images} into {@code targets} (same order) inside {@code out}. */
    public static Result segment(SavedModel model, List<Path> images, List<Path> targets, Path out, Settings settings, Listener listener)
            throws IOException {
        TiledPredictor predictor = model.predictor(settings.tile(), settings.overlap(), settings.batch(), settings.tta(), settings.engine());
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(PredictionSettings.FILE), new PredictionSettings(model.folder().toAbsolutePath().normalize().toString(),
                model.checkpoint(), model.resolve(settings.engine()).name().toLowerCase(java.util.Locale.ROOT), predictor.tile(), settings.overlap(), predictor.batch(), settings.tta(), settings.format(),
                settings.probabilities()).toJson());
        Map<String, Double> scores = new LinkedHashMap<>();
        int failed = 0;
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            try {
                ImageSegmenter.Outcome o = ImageSegmenter.segmentImage(model, predictor, image, targets.get(i), settings.probabilities(), settings.scores());
                if (settings.scores()) {
                    scores.put(ImageFiles.baseName(image), o.enScore());
                }
                if (listener != null) {
                    listener.segmented(image, o);
                }
            } catch (IOException | IllegalArgumentException e) {
                if (listener == null) {
                    throw e;
                }
                failed++;
                listener.failed(image, e);
            }
        }
        return new Result(scores, failed);
    }
}
