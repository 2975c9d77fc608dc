package org.danseg.infer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.danseg.io.BadInputException;
import org.danseg.io.ImageFiles;
import org.danseg.io.slide.Slide;

/**
 * Which inputs become which outputs: the one naming rule of {@code danseg predict}, the
 * experiment's and the demo's test sets and the Spark job. An image {@code NAME.EXT} (PNG, BMP,
 * JPEG, TIFF) becomes {@code NAME.FORMAT} (png or tif); a volume {@code NAME.nii[.gz]} becomes
 * {@code NAME.nii.gz}; a slide ({@code NAME.svs}, {@code NAME.tif}, {@code NAME.ome.tif}, ...)
 * becomes {@code NAME.mask.tif} and {@code NAME.geojson}. Inputs that would share an output are
 * refused before any work, naming both.
 */
public final class PredictionPlan {

    public enum Kind {
        IMAGE, VOLUME, SLIDE
    }

    /** One input and what it writes; the mask (or label volume) first. */
    public record Item(Path input, Kind kind, List<Path> outputs) {
        public Path mask() {
            return outputs.get(0);
        }
    }

    private static final List<String> VOLUME_ENDINGS = List.of(".nii.gz", ".nii");

    private final List<Item> items;

    private PredictionPlan(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /** The plan for {@code inputs} of one kind written into {@code out}; {@code format} (png|tif) applies to images. */
    public static PredictionPlan of(List<Path> inputs, Kind kind, Path out, String format) {
        List<Item> items = new ArrayList<>();
        Map<String, Path> byOutput = new HashMap<>();
        for (Path input : inputs) {
            List<Path> outputs = new ArrayList<>();
            for (String name : outputNames(input.getFileName().toString(), kind, format)) {
                Path earlier = byOutput.putIfAbsent(name, input);
                if (earlier != null) {
                    throw new BadInputException(input + ": would write the same " + name + " as " + earlier.getFileName() + "; rename one of them");
                }
                outputs.add(out.resolve(name));
            }
            items.add(new Item(input, kind, outputs));
        }
        return new PredictionPlan(items);
    }

    public List<Item> items() {
        return items;
    }

    /** Every input's mask (or label volume), in input order. */
    public List<Path> masks() {
        return items.stream().map(Item::mask).toList();
    }

    /** The output file names for an input file name; the rule itself, for callers on other file systems (Spark). */
    public static List<String> outputNames(String inputName, Kind kind, String format) {
        return switch (kind) {
            case IMAGE -> List.of(ImageFiles.baseName(Path.of(inputName)) + "." + format);
            case VOLUME -> List.of(volumeBase(inputName) + ".nii.gz");
            case SLIDE -> {
                String base = Slide.baseName(Path.of(inputName));
                yield List.of(base + ".mask.tif", base + ".geojson");
            }
        };
    }

    /** Whether a file name is a volume danseg predicts (.nii, .nii.gz). */
    public static boolean isVolumeName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return VOLUME_ENDINGS.stream().anyMatch(n::endsWith);
    }

    /**
     * Whether a file name may be a whole-slide image (.svs, .tif, .tiff, .btf; hidden files are not):
     * for callers that cannot open the file to check ({@link Slide#isSlide} does).
     */
    public static boolean isSlideName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (n.endsWith(".svs") || n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".btf"));
    }

    /** Whether a file name is an image or a volume danseg predicts (hidden files are not). */
    public static boolean isInputName(String name) {
        return !name.startsWith(".") && (isVolumeName(name) || ImageFiles.isImage(Path.of(name)));
    }

    private static String volumeBase(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String ending : VOLUME_ENDINGS) {
            if (n.endsWith(ending)) {
                return name.substring(0, name.length() - ending.length());
            }
        }
        return ImageFiles.baseName(Path.of(name));
    }
}
