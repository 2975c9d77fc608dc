package org.danseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.infer.Prediction;
import org.danseg.infer.SavedModel;
import org.danseg.infer.TiledPredictor;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.ImageFiles;
import org.danseg.io.LabelMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--tta", description = "Flip test-time augmentation: average the four flips (4x slower).")
    boolean tta;

    @Option(names = "--probabilities", description = "Also write each foreground class's probability map as NAME_prob<k>.png (16-bit, 65535 = 1).")
    boolean probabilities;

    @Option(names = "--scores", paramLabel = "FILE.csv", description = {"Write EN's quality score for every image (DAN models), worst first:",
            "a low score marks an image to check or annotate next."})
    Path scores;

    @Option(names = "--force", description = "Overwrite existing masks.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        if (!format.equals("png") && !format.equals("tif")) {
            throw new UserInputException("--format must be png or tif, not " + format);
        }
        if (org.danseg.io.nifti.NiftiReader.isNifti(input)
                || (org.danseg.io.nifti.VolumeReader.isVolumeFile(input) && org.danseg.io.nifti.NiftiReader.isNifti(out))) {
            return predictVolume();
        }
        List<Path> images = inputs();
        List<Path> targets = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (Path p : images) {
            Path t = out.resolve(ImageFiles.baseName(p) + "." + format);
            targets.add(t);
            if (Files.exists(t) && !force) {
                existing.add(t.toString());
            }
        }
        if (scores != null && Files.exists(scores) && !force) {
            existing.add(scores.toString());
        }
        if (!existing.isEmpty()) {
            throw new UserInputException(existing.size() + " output mask(s) already exist, e.g. " + existing.get(0) + " (use --force to overwrite)");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        int failed = 0;
        List<String[]> scored = new ArrayList<>();
        try (SavedModel m = SavedModel.load(model); Progress progress = new Progress("predict", images.size())) {
            TiledPredictor predictor = m.predictor(tile, overlap, batch, tta);
            if (scores != null && !m.hasEvaluationNet()) {
                throw new UserInputException(model + ": trained with --mode supervised, so it has no EN to score images; drop --scores");
            }
            Files.createDirectories(out);
            for (int i = 0; i < images.size(); i++) {
                try {
                    Image2D image = ImageFileReader.read(images.get(i));
                    if (!probabilities && scores == null) {
                        // Labels only: streamed band by band, the cheapest path for very large images.
                        ImageFileWriter.writeLabels(new LabelMap(image.width(), image.height(), m.segment(image, predictor), image.spacing()),
                                targets.get(i));
                    } else {
                        Prediction p = m.predict(image, predictor);
                        ImageFileWriter.writeLabels(new LabelMap(image.width(), image.height(), p.labels(), image.spacing()), targets.get(i));
                        if (probabilities) {
                            for (int k = 1; k < p.classes(); k++) {
                                ImageFileWriter.writeProbability(p.plane(k), image.width(), image.height(),
                                        out.resolve(ImageFiles.baseName(images.get(i)) + "_prob" + k + "." + format));
                            }
                        }
                        if (scores != null) {
                            scored.add(new String[] {ImageFiles.baseName(images.get(i)),
                                    String.format(java.util.Locale.ROOT, "%.6f", m.qualityScore(image, p, predictor.tile()))});
                        }
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // One bad file must not stop the others; it is named and the exit code says so.
                    failed++;
                    stderr.println("danseg: " + (e.getMessage().startsWith(images.get(i).toString()) ? "" : images.get(i) + ": ") + e.getMessage());
                }
                progress.step();
            }
        }
        if (scores != null) {
            scored.sort(java.util.Comparator.comparingDouble(r -> Double.parseDouble(r[1])));
            StringBuilder csv = new StringBuilder("image,en_score\n");
            scored.forEach(r -> csv.append(r[0]).append(',').append(r[1]).append('\n'));
            org.danseg.io.AtomicFiles.writeString(scores, csv.toString());
            stdout.println("wrote EN quality scores, worst first, to " + scores);
        }
        stdout.printf("wrote %d mask(s) to %s%s%n", images.size() - failed, out, failed > 0 ? "; " + failed + " image(s) failed (see above)" : "");
        stdout.flush();
        return failed > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** A volume in, a label volume out: --out names the output NIfTI file. */
    private int predictVolume() throws Exception {
        if (scores != null || probabilities) {
            throw new UserInputException("--scores and --probabilities apply to 2D images; a volume gets its label volume only");
        }
        if (!org.danseg.io.nifti.NiftiReader.isNifti(out)) {
            throw new UserInputException("--out must name a NIfTI file (.nii or .nii.gz) when --input is a volume, not " + out);
        }
        if (Files.exists(out) && !force) {
            throw new UserInputException(out + ": already exists (use --force to overwrite)");
        }
        org.danseg.io.nifti.NiftiVolume volume = org.danseg.io.nifti.VolumeReader.read(input);
        try (SavedModel m = SavedModel.load(model)) {
            org.danseg.io.nifti.NiftiVolume seg = m.segmentVolume(volume, m.predictor(tile, overlap, batch, tta));
            org.danseg.io.nifti.NiftiWriter.write(seg, org.danseg.io.nifti.NiftiDataType.UINT8, out);
        }
        spec.commandLine().getOut().printf("wrote %s (%dx%dx%d, uint8 labels, the input's header)%n", out, volume.nx(), volume.ny(), volume.nz());
        spec.commandLine().getOut().flush();
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
