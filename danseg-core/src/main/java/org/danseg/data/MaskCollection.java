package org.danseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.danseg.io.ImageFiles;
import org.danseg.io.ImageFileReader;
import org.danseg.io.LabelMap;
import org.danseg.io.Mask;
import org.danseg.io.MaskInterpreter;
import org.danseg.io.MaskType;

/**
 * A set of masks keyed by base name, from one file, a folder of masks, or a dataset folder (its
 * {@code masks/}). The mask type is the user's, else {@code dataset.json}'s (in the folder or its
 * parent), else binary when no mask has more than two values; anything else is an error that
 * asks for {@code --mask-type}.
 */
public record MaskCollection(Path source, Map<String, Mask> masks, MaskType maskType, int numClasses) {

    public static MaskCollection load(Path source, MaskType requested, String flagName) throws DatasetException, IOException {
        List<String> problems = new ArrayList<>();
        Path folder;
        List<Path> files;
        if (Files.isRegularFile(source)) {
            folder = source.toAbsolutePath().getParent();
            files = List.of(source);
        } else if (Files.isDirectory(source)) {
            folder = Files.isDirectory(source.resolve("masks")) ? source.resolve("masks") : source;
            files = ImageFiles.list(folder);
            if (files.isEmpty()) {
                problems.add(folder + ": contains no mask images (PNG, BMP, TIFF)");
            }
        } else {
            throw new DatasetException(source + ": cannot read masks", List.of(source + ": no such file or directory"));
        }
        MaskType type = requested != null ? requested : declaredType(folder);
        Map<String, Path> byName = new TreeMap<>();
        Map<String, LabelMap> raw = new LinkedHashMap<>();
        for (Path f : files) {
            Path previous = byName.putIfAbsent(ImageFiles.baseName(f), f);
            if (previous != null) {
                problems.add(f + ": same base name as " + previous.getFileName() + "; rename one of them");
                continue;
            }
            try {
                raw.put(ImageFiles.baseName(f), ImageFileReader.readLabels(f));
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        Map<Path, LabelMap> byFile = new LinkedHashMap<>();
        raw.forEach((name, labels) -> byFile.put(byName.get(name), labels));
        int problemsBefore = problems.size();
        type = MaskInterpreter.resolve(type, byFile, flagName, problems);
        Map<String, Mask> masks = new LinkedHashMap<>();
        int numClasses = 2;
        if (type != null && problems.size() == problemsBefore) {
            for (Map.Entry<String, LabelMap> e : raw.entrySet()) {
                Mask m = MaskInterpreter.interpret(e.getValue(), type);
                masks.put(e.getKey(), m);
                numClasses = Math.max(numClasses, m.maxClass() + 1);
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(source + ": " + problems.size() + " problem(s) reading masks", problems);
        }
        return new MaskCollection(source, masks, type, numClasses);
    }

    /** The mask type that {@code dataset.json} declares in the mask folder or its parent (a dataset root). */
    private static MaskType declaredType(Path folder) throws IOException {
        for (Path dir : new Path[] {folder, folder.getParent()}) {
            DatasetDescriptor d = dir == null ? null : DatasetDescriptor.read(dir);
            if (d != null && d.maskType() != null) {
                return MaskType.parse(d.maskType());
            }
        }
        return null;
    }
}
