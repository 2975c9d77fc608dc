package org.danseg.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.danseg.raster.ConnectedComponents;

/** Turns the raw values of a mask file into classes and objects, refusing values that do not fit the mask type. */
public final class MaskInterpreter {

    private MaskInterpreter() {
    }

    /**
     * The type a mask's values suggest when the user named none: binary for at most two values,
     * otherwise {@code null} (ambiguous: the caller must ask for {@code --mask-type}).
     */
    public static MaskType guess(int[] distinctValues) {
        return distinctValues.length <= 2 ? MaskType.BINARY : null;
    }

    /**
     * The mask type for a set of masks, and every file whose values do not fit it. Without a
     * declared type, binary is inferred when no mask has more than two values; otherwise the first
     * such file is reported with a request for {@code flag}, and null is returned.
     */
    public static MaskType resolve(MaskType declared, java.util.Map<Path, LabelMap> masks, String flag, java.util.List<String> problems) {
        MaskType type = declared;
        if (type == null) {
            for (java.util.Map.Entry<Path, LabelMap> e : masks.entrySet()) {
                int[] values = e.getValue().distinctValues();
                if (guess(values) == null) {
                    problems.add(e.getKey() + ": has " + values.length + " distinct values, so the mask type is ambiguous: pass "
                            + flag + " classes (label map) or " + flag + " instance (one value per object)");
                    return null;
                }
            }
            type = MaskType.BINARY;
        }
        for (java.util.Map.Entry<Path, LabelMap> e : masks.entrySet()) {
            String problem = problem(e.getValue(), type, 0);
            if (problem != null) {
                problems.add(e.getKey() + ": " + problem);
            }
        }
        return type;
    }

    /** Why {@code raw} cannot be read as {@code type}, or {@code null} when it can. */
    public static String problem(LabelMap raw, MaskType type, int numClasses) {
        int[] values = raw.distinctValues();
        if (values.length > 0 && values[0] < 0) {
            return "has negative label " + values[0];
        }
        return switch (type) {
            case BINARY -> {
                if (values.length > 2) {
                    yield "has " + values.length + " distinct values (" + preview(values)
                            + "); a binary mask has two: pass --mask-type classes or --mask-type instance";
                }
                if (values.length == 2 && values[0] != 0) {
                    yield "has two non-zero values (" + values[0] + ", " + values[1]
                            + "), so the foreground is ambiguous; a binary mask uses 0 for background";
                }
                yield null;
            }
            case CLASSES -> values.length > 0 && numClasses > 0 && values[values.length - 1] >= numClasses
                    ? "has class label " + values[values.length - 1] + " but only " + numClasses + " classes (0.." + (numClasses - 1) + ") are declared"
                    : null;
            case INSTANCE -> null;
        };
    }

    public static Mask interpret(LabelMap raw, MaskType type, Path file) throws ImageFormatException {
        String problem = problem(raw, type, 0);
        if (problem != null) {
            throw new ImageFormatException(file, problem);
        }
        return interpret(raw, type);
    }

    /** Interprets values already checked with {@link #problem}. */
    public static Mask interpret(LabelMap raw, MaskType type) {
        int[] labels = raw.labels();
        int n = labels.length;
        int[] classes = new int[n];
        switch (type) {
            case BINARY, INSTANCE -> {
                for (int i = 0; i < n; i++) {
                    classes[i] = labels[i] != 0 ? 1 : 0;
                }
            }
            case CLASSES -> System.arraycopy(labels, 0, classes, 0, n);
        }
        if (type == MaskType.INSTANCE) {
            return instances(raw, classes);
        }
        boolean[] fg = new boolean[n];
        for (int i = 0; i < n; i++) {
            fg[i] = classes[i] != 0;
        }
        ConnectedComponents.Labels cc = ConnectedComponents.label8(fg, raw.width(), raw.height());
        return new Mask(raw.width(), raw.height(), classes, cc.labels(), cc.count(), raw.spacing());
    }

    /** Renumbers instance ids to 1..count in ascending order of their value in the file. */
    private static Mask instances(LabelMap raw, int[] classes) {
        int[] values = Arrays.stream(raw.distinctValues()).filter(v -> v != 0).toArray();
        int[] objects = new int[classes.length];
        int[] labels = raw.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                objects[i] = Arrays.binarySearch(values, labels[i]) + 1;
            }
        }
        return new Mask(raw.width(), raw.height(), classes, objects, values.length, raw.spacing());
    }

    private static String preview(int[] values) {
        String head = Arrays.stream(values).limit(6).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return values.length > 6 ? head + ", ..." : head;
    }
}
