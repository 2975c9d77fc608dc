package org.danseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.infer.Engine;
import org.danseg.infer.FolderSegmenter;
import org.danseg.infer.ImageSegmenter;
import org.danseg.infer.SavedModel;
import org.danseg.io.AtomicFiles;
import org.danseg.io.ImageFileReader;
import org.danseg.io.ImageFiles;
import org.danseg.io.OutputGuard;
import picocli.CommandLine.Command;
import org.danseg.infer.PredictionPlan;
import org.danseg.infer.SlideGrid;
import org.danseg.infer.SlideSegmenter;
import org.danseg.infer.TiledPredictor;
import org.danseg.io.slide.Slide;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Segment images with a trained model.",
                "Writes one mask per image, same base name, as PNG (or TIFF with --format tif): class labels 0..K-1",
                "(binary models: 0 background, 1 foreground)."})
final class PredictCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A directory written by danseg train.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE|DIR", description = "An image, a folder of images, or a dataset folder (its images/).")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder for the masks.")
    Path out;

    @Option(names = "--format", defaultValue = "png", paramLabel = "png|tif", description = "Mask file format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--tile", defaultValue = "0", paramLabel = "PX", description = "Tile side for sliding-window prediction (default: 256, or the training patch if larger).")
    int tile;

    @Option(names = "--overlap", defaultValue = "0.25", paramLabel = "F", description = "Overlap of neighbouring tiles as a fraction of a tile (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Option(names = "--batch", defaultValue = "0", paramLabel = "N", description = "Tiles per forward pass; memory grows with it (default 0: 1 on a CPU, measured fastest; 4 on a GPU).")
    int batch;

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "auto|djl|onnxruntime", description = {"What runs SN: djl (PyTorch through DJL) or onnxruntime",
            "(the model's ONNX export; the same windows, blending, TTA and outputs); auto: onnxruntime on a CPU",
            "(measured faster, docs/performance.md), djl on a GPU (default: ${DEFAULT-VALUE})."})
    String engine;

    @Option(names = "--tta", description = "Flip test-time augmentation: average the four flips (4x slower).")
    boolean tta;

    @Option(names = "--probabilities", description = "Also write each foreground class's probability map as NAME_prob<k>.png (16-bit, 65535 = 1).")
    boolean probabilities;

    @Option(names = "--scores", paramLabel = "FILE.csv", description = {"Write EN's quality score for every image (DAN models), worst first:",
            "a low score marks an image to check or annotate next."})
    Path scores;

    @Option(names = "--shard", paramLabel = "K/N", description = {"Process only the K-th of N parts of the sorted inputs (1-based),",
            "e.g. --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT: N tasks cover the inputs exactly once (docs/scale.md)."})
    String shard;

    @Option(names = "--force", description = "Overwrite masks in a folder danseg predicted into before (never other files).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        if (!format.equals("png") && !format.equals("tif")) {
            throw new UserInputException("--format must be png or tif, not " + format);
        }
        checkNumbers();
        Engine runtime = engine();
        if (org.danseg.io.nifti.NiftiReader.isNifti(input)
                || (org.danseg.io.nifti.VolumeReader.isVolumeFile(input) && org.danseg.io.nifti.NiftiReader.isNifti(out))) {
            return predictVolume();
        }
        if (slideInput()) {
            return predictSlides();
        }
        Shard part = Shard.parse(shard);
        List<Path> all = inputs();
        // Names are checked across all inputs, so every shard refuses the same collisions.
        List<Path> images = part.of(all);
        List<Path> targets = part.of(targets(all));
        OutputGuard.FolderState state = OutputGuard.checkFolder(out, "--out", OutputGuard.FolderKind.PREDICTIONS, null, force, List.of(input, model));
        if (scores != null) {
            OutputGuard.checkFile(scores, "--scores", force, List.of(input, model), ".csv");
        }
        List<String> existing = new ArrayList<>();
        if (state == OutputGuard.FolderState.OURS && !force) {
            for (Path t : targets) {
                if (Files.exists(t)) {
                    existing.add(t.toString());
                }
            }
        }
        if (!existing.isEmpty()) {
            throw new UserInputException(existing.size() + " output mask(s) already exist, e.g. " + existing.get(0) + " (use --force to overwrite)");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        int failed = 0;
        List<String[]> scored = new ArrayList<>();
        try (SavedModel m = SavedModel.load(model)) {
            if (scores != null && !m.hasEvaluationNet()) {
                throw new UserInputException(model + ": trained with --mode supervised, so it has no EN to score images; drop --scores");
            }
            checkTile(m);
            checkHeaders(images, m.channels());
            // Only now, with the model and every input checked, is anything written.
            OutputGuard.mark(out, OutputGuard.FolderKind.PREDICTIONS);
            try (Progress progress = new Progress("predict", images.size())) {
                FolderSegmenter.Result r = FolderSegmenter.segment(m, images, targets, out,
                        new FolderSegmenter.Settings(runtime, tile, overlap, batch, tta, format, probabilities, scores != null), new FolderSegmenter.Listener() {
                            @Override
                            public void segmented(Path image, ImageSegmenter.Outcome outcome) {
                                progress.step();
                            }

                            @Override
                            public void failed(Path image, Exception e) {
                                // A file whose header passed but whose pixels do not: named, the others go on, exit 2.
                                stderr.println("danseg: " + (e.getMessage().startsWith(image.toString()) ? "" : image + ": ") + e.getMessage());
                                progress.step();
                            }
                        });
                failed = r.failed();
                r.scores().forEach((name, score) -> scored.add(new String[] {name, String.format(java.util.Locale.ROOT, "%.6f", score)}));
            }
        }
        if (scores != null) {
            scored.sort(java.util.Comparator.comparingDouble(r -> Double.parseDouble(r[1])));
            StringBuilder csv = new StringBuilder("image,en_score\n");
            scored.forEach(r -> csv.append(r[0]).append(',').append(r[1]).append('\n'));
            AtomicFiles.writeString(scores, csv.toString());
            stdout.println("wrote EN quality scores, worst first, to " + scores);
        }
        stdout.printf("wrote %d mask(s) to %s%s%n", images.size() - failed, out, failed > 0 ? "; " + failed + " image(s) failed (see above)" : "");
        stdout.flush();
        return failed > 0 ? ExitCodes.BAD_INPUT : ExitCodes.OK;
    }

    private Engine engine() {
        return switch (engine.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> Engine.AUTO;
            case "djl" -> Engine.DJL;
            case "onnxruntime" -> Engine.ONNXRUNTIME;
            default -> throw new UserInputException("--engine must be auto, djl or onnxruntime, not " + engine);
        };
    }

    private void checkNumbers() {
        if (tile < 0) {
            throw new UserInputException("--tile must be 0 (the default size) or a positive number of pixels, not " + tile);
        }
        if (!(overlap >= 0 && overlap <= 0.9)) {
            throw new UserInputException("--overlap must be a fraction in [0, 0.9], not " + overlap);
        }
        if (batch < 0) {
            throw new UserInputException("--batch must be 0 (the device's default) or a positive number of tiles, not " + batch);
        }
    }

    /** The tile must fit the network's downsampling; said here with the flag's name, before any work. */
    private void checkTile(SavedModel m) {
        if (tile > 0 && tile % m.sizeMultiple() != 0) {
            throw new UserInputException("--tile must be a multiple of " + m.sizeMultiple() + " for this model's network, not " + tile);
        }
        // A tile smaller than the training patch shows the network less context than it learned from.
        if (tile > 0 && tile < m.trainingPatch()) {
            throw new UserInputException("--tile must be at least the model's training patch (" + m.trainingPatch() + " px), not " + tile);
        }
    }

    /** One mask per input, named after it (PredictionPlan); two inputs that would share a mask are refused before any work. */
    private List<Path> targets(List<Path> images) {
        return PredictionPlan.of(images, PredictionPlan.Kind.IMAGE, out, format).masks();
    }

    /** Every input's header, before any work: readable, one page, the model's channels, a size that fits in memory. */
    private static void checkHeaders(List<Path> images, int channels) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path p : images) {
            try {
                ImageFileReader.Header h = ImageFileReader.probe(p);
                if (h.pages() != 1) {
                    problems.add(p + ": holds " + h.pages() + " pages; a 2D image must have exactly one");
                } else if (h.channels() != channels && h.channels() != 0) {
                    problems.add(p + ": has " + h.channels() + " channel(s); the model was trained on " + channels);
                }
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UserInputException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " input images are unusable, nothing was written:\n  " + String.join("\n  ", problems));
        }
    }

    /** A volume in, a label volume out: --out names the output NIfTI file. */
    private int predictVolume() throws Exception {
        if (scores != null || probabilities) {
            throw new UserInputException("--scores and --probabilities apply to 2D images; a volume gets its label volume only");
        }
        if (shard != null) {
            throw new UserInputException("--shard splits a folder of images; give each task its own volume instead");
        }
        if (!org.danseg.io.nifti.NiftiReader.isNifti(out)) {
            throw new UserInputException("--out must name a NIfTI file (.nii or .nii.gz) when --input is a volume, not " + out);
        }
        OutputGuard.checkFile(out, "--out", force, List.of(input, model), ".nii", ".nii.gz");
        // Read (and so checked) before the model is loaded.
        org.danseg.io.nifti.NiftiVolume volume = org.danseg.io.nifti.VolumeReader.read(input);
        ImageSegmenter.Outcome o;
        try (SavedModel m = SavedModel.load(model)) {
            checkTile(m);
            o = ImageSegmenter.segmentVolume(m, m.predictor(tile, overlap, batch, tta, engine()), volume, out);
        }
        spec.commandLine().getOut().printf("wrote %s (%dx%dx%d, uint8 labels, the input's header)%n", out, o.width(), o.height(), o.depth());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    @Option(names = "--keep-glass", description = {"Slides: run the network on every tile; by default tiles of an RGB slide",
            "with no tissue (near-white glass, found on a low pyramid level) are left out as background."})
    boolean keepGlass;

    @Option(names = "--pixel-size", paramLabel = "UM", description = {"Slides: level 0's pixel size in micrometres, for a slide whose",
            "metadata states none (or a wrong one); the level read is the one that matches the model's pixel size."})
    Double pixelSize;

    /** The level-0 pixel size a slide is predicted with: {@code --pixel-size}, else the slide's own. */
    private org.danseg.io.PixelSpacing level0(Slide slide) {
        return pixelSize != null ? org.danseg.io.PixelSpacing.millimetres(pixelSize / 1000, pixelSize / 1000) : slide.spacing();
    }

    /** Says which grid a slide is predicted on and, where the sizes cannot be matched, why. */
    private static String gridNote(SavedModel m, Slide slide, org.danseg.io.PixelSpacing level0, SlideGrid grid) {
        String note = slide.file().getFileName() + ": " + grid.describe();
        if (m.pixelSize() == null) {
            return note + " (the model states no pixel size: train with --pixel-size to match slides to it)";
        }
        if (!"mm".equals(level0.unit())) {
            return note + " (the slide states no pixel size; give --pixel-size to match the model's " + SlideGrid.micrometres(m.pixelSize().x()) + " um)";
        }
        return note + " for the model's " + SlideGrid.micrometres(m.pixelSize().x()) + " um";
    }

    /** A slide file, or a folder whose images are all slides. */
    private boolean slideInput() throws IOException {
        if (Files.isRegularFile(input)) {
            return Slide.isSlide(input);
        }
        if (!Files.isDirectory(input)) {
            return false;
        }
        List<Path> files = ImageFiles.list(input);
        return !files.isEmpty() && files.stream().allMatch(Slide::isSlide);
    }

    /**
     * Whole-slide images in, per slide {@code OUT/<name>.mask.tif} (tiled pyramidal TIFF) and
     * {@code OUT/<name>.geojson} (its objects for QuPath) out, predicted band by band in bounded
     * memory with a progress bar per slide.
     */
    private int predictSlides() throws Exception {
        if (scores != null || probabilities) {
            throw new UserInputException("--scores and --probabilities apply to images; a slide gets its pyramidal mask");
        }
        if (pixelSize != null && !(pixelSize > 0 && pixelSize < 1e6)) {
            throw new UserInputException("--pixel-size must be a positive number of micrometres, not " + pixelSize);
        }
        List<Path> slides = Files.isRegularFile(input) ? List.of(input) : ImageFiles.list(input);
        slides = Shard.parse(shard).of(slides);
        PredictionPlan plan = PredictionPlan.of(slides, PredictionPlan.Kind.SLIDE, out, format);
        OutputGuard.FolderState state = OutputGuard.checkFolder(out, "--out", OutputGuard.FolderKind.PREDICTIONS, null, force, List.of(input, model));
        for (PredictionPlan.Item item : plan.items()) {
            for (Path f : item.outputs()) {
                if (state == OutputGuard.FolderState.OURS && !force && Files.exists(f)) {
                    throw new UserInputException(f + " already exists (use --force to overwrite)");
                }
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try (SavedModel m = SavedModel.load(model)) {
            checkTile(m);
            for (Path s : slides) {
                try (Slide slide = Slide.open(s)) {
                    if (slide.channels() != m.channels()) {
                        throw new UserInputException(s + ": has " + slide.channels() + " channel(s); the model was trained on " + m.channels());
                    }
                }
            }
            OutputGuard.mark(out, OutputGuard.FolderKind.PREDICTIONS);
            TiledPredictor predictor = m.predictor(tile, overlap, batch, tta, engine());
            for (PredictionPlan.Item item : plan.items()) {
                try (Slide slide = Slide.open(item.input())) {
                    SlideGrid grid = SlideGrid.of(slide, level0(slide), m.pixelSize());
                    stdout.println(gridNote(m, slide, level0(slide), grid));
                    stdout.flush();
                    long t0 = System.nanoTime();
                    Path objects = item.outputs().get(1);
                    SlideSegmenter.Outcome o;
                    try (Progress progress = new Progress(item.input().getFileName().toString(), grid.height())) {
                        o = SlideSegmenter.segment(m, predictor, slide, grid, !keepGlass, item.mask(), objects, progress::to);
                    }
                    double wall = (System.nanoTime() - t0) / 1e9;
                    stdout.printf(java.util.Locale.ROOT, "wrote %s (%dx%d; %d of %d tiles run, %d glass skipped; %.1f%% foreground; %.1f s)%n",
                            item.mask(), o.width(), o.height(), o.tiles() - o.skipped(), o.tiles(), o.skipped(), 100 * o.foregroundFraction(), wall);
                    stdout.printf("wrote %s (%d objects, QuPath GeoJSON)%n", objects, o.objects());
                    stdout.println("time: " + o.times().describe(wall));
                    stdout.flush();
                }
            }
        }
        return ExitCodes.OK;
    }

    private List<Path> inputs() throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new UserInputException(input + ": no such file or directory");
        }
        Path dir = Files.isDirectory(input.resolve("images")) ? input.resolve("images") : input;
        List<Path> files = ImageFiles.list(dir);
        if (files.isEmpty()) {
            throw new UserInputException(dir + ": contains no images (PNG, BMP, JPEG, TIFF)");
        }
        return files;
    }
}
