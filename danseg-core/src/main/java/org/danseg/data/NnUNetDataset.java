package org.danseg.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An nnU-Net v2 raw dataset as nnU-Net lays it out: {@code dataset.json} (channel_names, labels with
 * an optional {@code ignore} label that must be the highest, file_ending), {@code imagesTr/CASE_0000.EXT}
 * (one file per channel, or one RGB file for three channels of a 2D image, as nnU-Net's natural-image
 * reader takes it), {@code labelsTr/CASE.EXT}, optionally {@code imagesTs/}. Everything is checked
 * at once and every problem named. What danseg reads from it: 2D images (PNG, TIFF, BMP) of one file
 * per case, and single-channel 3D NIfTI volumes.
 */
public record NnUNetDataset(Path root, List<String> channelNames, int classes, Integer ignoreLabel, String fileEnding,
                            List<Case> cases, Path imagesTs) {

    /** One training case: its identifier, its channel files in order, its label file. */
    public record Case(String id, List<Path> images, Path labels) {
    }

    public static final String DESCRIPTOR = "dataset.json";

    /** Whether the cases are volumes (NIfTI) rather than 2D images. */
    public boolean volumes() {
        return fileEnding.equals(".nii.gz") || fileEnding.equals(".nii");
    }

    public static NnUNetDataset read(Path root) throws DatasetException, IOException {
        List<String> problems = new ArrayList<>();
        Path descriptor = root.resolve(DESCRIPTOR);
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root + ": not an nnU-Net dataset", List.of(root + ": no such directory"));
        }
        if (!Files.isRegularFile(descriptor)) {
            throw new DatasetException(root + ": not an nnU-Net dataset", List.of(descriptor + ": missing (nnU-Net v2 raw layout)"));
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(descriptor.toFile());
        } catch (IOException e) {
            throw new DatasetException(root + ": not an nnU-Net dataset", List.of(descriptor + ": not valid JSON ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")"));
        }
        List<String> channels = new ArrayList<>();
        JsonNode channelNames = json == null ? null : json.get("channel_names");
        if (channelNames == null || !channelNames.isObject() || channelNames.isEmpty()) {
            problems.add(descriptor + ": needs channel_names, e.g. {\"0\": \"R\", \"1\": \"G\", \"2\": \"B\"}");
        } else {
            for (int c = 0; c < channelNames.size(); c++) {
                JsonNode name = channelNames.get(Integer.toString(c));
                if (name == null) {
                    problems.add(descriptor + ": channel_names must be numbered 0.." + (channelNames.size() - 1) + "; " + c + " is missing");
                } else {
                    channels.add(name.asText());
                }
            }
        }
        int classes = 0;
        Integer ignore = null;
        JsonNode labels = json == null ? null : json.get("labels");
        if (labels == null || !labels.isObject() || labels.get("background") == null || labels.get("background").asInt(-1) != 0) {
            problems.add(descriptor + ": needs labels with \"background\": 0");
        } else {
            TreeMap<Integer, String> byValue = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isInt()) {
                    problems.add(descriptor + ": label '" + e.getKey() + "' must be one integer (region labels are not read by danseg)");
                } else if (e.getKey().equals("ignore")) {
                    ignore = e.getValue().asInt();
                } else {
                    byValue.put(e.getValue().asInt(), e.getKey());
                }
            }
            classes = byValue.size();
            if (!byValue.isEmpty() && (byValue.firstKey() != 0 || byValue.lastKey() != byValue.size() - 1)) {
                problems.add(descriptor + ": label values must be consecutive from 0, not " + byValue.keySet());
            }
            if (classes < 2) {
                problems.add(descriptor + ": needs at least one label besides background");
            }
            if (ignore != null && ignore != classes) {
                problems.add(descriptor + ": the ignore label must be the highest value (" + classes + "), as in nnU-Net, not " + ignore);
            }
        }
        String ending = json == null || json.get("file_ending") == null ? null : json.get("file_ending").asText().toLowerCase(Locale.ROOT);
        List<String> readable = List.of(".png", ".tif", ".tiff", ".bmp", ".nii.gz", ".nii");
        if (ending == null || !readable.contains(ending)) {
            problems.add(descriptor + ": file_ending must be one of " + readable + ", not " + ending);
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(root + ": " + problems.size() + " problem(s) in the nnU-Net dataset", problems);
        }
        List<Case> cases = cases(root, channels, ending, problems);
        boolean volumes = ending.startsWith(".nii");
        if (volumes && channels.size() != 1) {
            problems.add(descriptor + ": danseg reads single-channel volumes; this dataset has " + channels.size() + " channels");
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(root + ": " + problems.size() + " problem(s) in the nnU-Net dataset", problems);
        }
        Path ts = root.resolve("imagesTs");
        return new NnUNetDataset(root, List.copyOf(channels), classes, ignore, ending, List.copyOf(cases), Files.isDirectory(ts) ? ts : null);
    }

    /** labelsTr's cases with their channel files in imagesTr; every missing or unpaired file is a problem. */
    private static List<Case> cases(Path root, List<String> channels, String ending, List<String> problems) throws IOException {
        Path imagesTr = root.resolve("imagesTr");
        Path labelsTr = root.resolve("labelsTr");
        for (Path dir : new Path[] {imagesTr, labelsTr}) {
            if (!Files.isDirectory(dir)) {
                problems.add(dir + ": missing (nnU-Net v2 raw layout: imagesTr/, labelsTr/, dataset.json)");
            }
        }
        if (!problems.isEmpty()) {
            return List.of();
        }
        List<Case> cases = new ArrayList<>();
        List<String> used = new ArrayList<>();
        try (Stream<Path> s = Files.list(labelsTr)) {
            for (Path label : s.filter(p -> p.getFileName().toString().endsWith(ending)).sorted().toList()) {
                String name = label.getFileName().toString();
                String id = name.substring(0, name.length() - ending.length());
                List<Path> images = new ArrayList<>();
                for (int c = 0; c < channels.size(); c++) {
                    Path image = imagesTr.resolve(String.format(Locale.ROOT, "%s_%04d%s", id, c, ending));
                    if (Files.isRegularFile(image)) {
                        images.add(image);
                    } else if (!(c > 0 && images.size() == 1 && channels.size() == 3 && !ending.startsWith(".nii"))) {
                        problems.add(image + ": missing (channel " + c + " '" + channels.get(c) + "' of case " + id + ")");
                    }
                }
                if (images.size() > 1 && !ending.startsWith(".nii")) {
                    problems.add(imagesTr + ": case " + id + " has one file per channel; danseg reads 2D cases of one (grey or RGB) file");
                }
                images.forEach(p -> used.add(p.getFileName().toString()));
                cases.add(new Case(id, List.copyOf(images), label));
            }
        }
        if (cases.isEmpty()) {
            problems.add(labelsTr + ": no label files ending in " + ending);
        }
        try (Stream<Path> s = Files.list(imagesTr)) {
            s.filter(p -> p.getFileName().toString().endsWith(ending) && !used.contains(p.getFileName().toString()))
                    .sorted().limit(5).forEach(p -> problems.add(p + ": an image without a label file in " + labelsTr));
        }
        return cases;
    }
}
