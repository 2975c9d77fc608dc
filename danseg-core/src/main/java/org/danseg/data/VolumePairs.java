package org.danseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.danseg.io.nifti.VolumeReader;

/** Pairs volumes with their label volumes: two files, or two folders whose files share base names. */
public final class VolumePairs {

    private VolumePairs() {
    }

    public static void add(Path volume, Path labels, List<Path> volumes, List<Path> labelFiles, List<String> problems) throws IOException {
        if (Files.isDirectory(volume) != Files.isDirectory(labels)) {
            problems.add(volume + " and " + labels + ": give two files or two folders");
            return;
        }
        if (!Files.isDirectory(volume)) {
            volumes.add(volume);
            labelFiles.add(labels);
            return;
        }
        Map<String, Path> images = byBaseName(volume);
        Map<String, Path> masks = byBaseName(labels);
        if (images.isEmpty()) {
            problems.add(volume + ": contains no volumes (.nii, .nii.gz, .tif)");
        }
        for (Map.Entry<String, Path> e : images.entrySet()) {
            Path l = masks.get(e.getKey());
            if (l == null) {
                problems.add(e.getValue() + ": no label volume named " + e.getKey() + ".* in " + labels);
            } else {
                volumes.add(e.getValue());
                labelFiles.add(l);
            }
        }
        for (Map.Entry<String, Path> e : masks.entrySet()) {
            if (!images.containsKey(e.getKey())) {
                problems.add(e.getValue() + ": label volume without a volume named " + e.getKey() + ".* in " + volume);
            }
        }
    }

    private static Map<String, Path> byBaseName(Path dir) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(VolumeReader::isVolumeFile).sorted().toList()) {
                String n = p.getFileName().toString();
                String lower = n.toLowerCase(Locale.ROOT);
                int cut = lower.endsWith(".nii.gz") ? n.length() - 7 : n.lastIndexOf('.');
                out.put(n.substring(0, cut), p);
            }
        }
        return out;
    }
}
