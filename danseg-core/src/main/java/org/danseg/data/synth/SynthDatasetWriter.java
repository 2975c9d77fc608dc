package org.danseg.data.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.danseg.data.DatasetDescriptor;
import org.danseg.io.AtomicFiles;
import org.danseg.io.OutputGuard;
import org.danseg.io.Directories;
import org.danseg.io.ImageFileWriter;

/**
 * Writes a synthetic dataset: {@code annotated/{images,masks}}, {@code unannotated/images} (their
 * true masks apart in {@code unannotated/truth}, for evaluation only), {@code test/{images,masks}}
 * and {@code synth.json}. The whole tree is built in a sibling folder and renamed into place at the
 * end, so an interrupted run never leaves a half-written dataset. Same config, same bytes.
 */
public final class SynthDatasetWriter {

    /** One generated image, as recorded in {@code synth.json}. */
    public record Entry(String split, String name, boolean malignant, int glands) {
    }

    private record Manifest(String generator, SynthConfig config, List<Entry> images) {
    }

    private SynthDatasetWriter() {
    }

    public static List<Entry> write(SynthConfig config, Path out, boolean force, Runnable onImage) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        OutputGuard.FolderState state = OutputGuard.checkFolder(target, "--out", OutputGuard.FolderKind.SYNTH,
                dir -> Files.isRegularFile(dir.resolve("synth.json")), force, List.of());
        if (state == OutputGuard.FolderState.OURS && !force) {
            throw new OutputGuard.OutputRefusedException(target + ": already holds a synthetic dataset (use --force to replace it)");
        }
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial");
        Directories.deleteTree(staging);
        List<Entry> entries = new ArrayList<>();
        try {
            entries.addAll(writeSplit(config, staging, "annotated", config.annotated(), "masks", 1, onImage));
            entries.addAll(writeSplit(config, staging, "unannotated", config.unannotated(), "truth", 2, onImage));
            entries.addAll(writeSplit(config, staging, "test", config.test(), "masks", 3, onImage));
            boolean fluorescence = config.modality().equals("fluorescence");
            DatasetDescriptor descriptor = new DatasetDescriptor("instance", List.of("background", fluorescence ? "nucleus" : "gland"),
                    fluorescence ? "danseg synthetic fluorescence microscopy, instance-labelled nuclei"
                            : "danseg synthetic H&E colon tissue, instance-labelled glands");
            descriptor.write(staging.resolve("annotated"));
            if (config.test() > 0) {
                descriptor.write(staging.resolve("test"));
            }
            if (config.unannotated() > 0) {
                // Lets `danseg evaluate --truth DIR/unannotated/truth` read the instances without a flag.
                descriptor.write(staging.resolve("unannotated").resolve("truth"));
            }
            OutputGuard.mark(staging, OutputGuard.FolderKind.SYNTH);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.writeString(staging.resolve("synth.json"),
                    json.writeValueAsString(new Manifest("danseg synth (" + (config.modality().equals("fluorescence")
                            ? "FluorescenceTileGenerator" : "HistologyTileGenerator") + ")", config, entries)) + "\n");
            Directories.replaceWith(staging, target);
            return entries;
        } finally {
            Directories.deleteTree(staging);
        }
    }

    private static List<Entry> writeSplit(SynthConfig config, Path root, String split, int count, String maskFolder,
                                          int splitId, Runnable onImage) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (count == 0) {
            return entries;
        }
        Path images = Files.createDirectories(root.resolve(split).resolve("images"));
        Path masks = Files.createDirectories(root.resolve(split).resolve(maskFolder));
        for (int i = 0; i < count; i++) {
            long imageSeed = imageSeed(config.seed(), splitId, i);
            boolean malignant = new SplittableRandom(imageSeed ^ 0x5DEECE66DL).nextDouble() < config.malignantFraction();
            HistologyTileGenerator.Tile tile = config.modality().equals("fluorescence")
                    ? FluorescenceTileGenerator.generate(imageSeed, config.size(), malignant)
                    : HistologyTileGenerator.generate(imageSeed, config.size(), malignant);
            String name = String.format("%s_%03d", split, i);
            ImageFileWriter.writeImage8(tile.image(), images.resolve(name + ".png"));
            ImageFileWriter.writeLabels(tile.instances(), masks.resolve(name + ".png"));
            entries.add(new Entry(split, name, malignant, tile.glands()));
            if (onImage != null) {
                onImage.run();
            }
        }
        return entries;
    }

    /** Independent, well-mixed seeds per (run seed, split, index): adding images never changes earlier ones. */
    static long imageSeed(long seed, int split, int index) {
        return new SplittableRandom(seed).split().nextLong() * 31 + new SplittableRandom(split * 1_000_003L + index).nextLong();
    }

}
