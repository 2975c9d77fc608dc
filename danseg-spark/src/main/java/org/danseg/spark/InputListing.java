package org.danseg.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.danseg.infer.PredictionPlan;

/**
 * The job's inputs, listed once on the driver from any Hadoop filesystem: a folder (its images or
 * volumes), a glob, or a text file of paths (one per line, # comments). Sorted, so reruns and
 * retries see the same order; two inputs that would write the same output are refused here,
 * before any work.
 */
final class InputListing {

    private InputListing() {
    }

    /** Every input, fully qualified, sorted, each with its output path under {@code out}. */
    static Map<String, String> list(String inputs, String out, String format, Configuration conf) throws IOException {
        return list(inputs, out, format, false, conf);
    }

    /** As {@link #list(String, String, String, Configuration)}; for slides each output is the slide's mask (NAME.mask.tif). */
    static Map<String, String> list(String inputs, String out, String format, boolean slides, Configuration conf) throws IOException {
        Path p = new Path(inputs);
        FileSystem fs = p.getFileSystem(conf);
        List<String> found = new ArrayList<>();
        if (inputs.contains("*") || inputs.contains("?") || inputs.contains("[")) {
            FileStatus[] matches = fs.globStatus(p);
            for (FileStatus s : matches == null ? new FileStatus[0] : matches) {
                if (s.isFile() && isInput(s.getPath().getName(), slides)) {
                    found.add(fs.makeQualified(s.getPath()).toString());
                }
            }
        } else if (!fs.exists(p)) {
            throw new IllegalArgumentException(inputs + ": no such file or folder");
        } else if (fs.getFileStatus(p).isDirectory()) {
            for (FileStatus s : fs.listStatus(p)) {
                if (s.isFile() && isInput(s.getPath().getName(), slides)) {
                    found.add(fs.makeQualified(s.getPath()).toString());
                }
            }
        } else if (isInput(p.getName(), slides)) {
            found.add(fs.makeQualified(p).toString());
        } else {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    line = line.strip();
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        Path listed = new Path(line);
                        found.add(listed.getFileSystem(conf).makeQualified(listed).toString());
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(inputs + (slides ? ": no slides (.svs, .tif, .tiff, .btf) to segment"
                    : ": no images (PNG, TIFF, BMP, JPEG) or volumes (.nii, .nii.gz) to segment"));
        }
        found.sort(null);
        Path outDir = new Path(out);
        Map<String, String> outputs = new LinkedHashMap<>();
        Map<String, String> byOutput = new LinkedHashMap<>();
        for (String input : found) {
            String name = new Path(input).getName();
            String output = new Path(outDir, slides ? PredictionPlan.outputNames(name, PredictionPlan.Kind.SLIDE, format).get(0)
                    : outputName(name, format)).toString();
            String earlier = byOutput.putIfAbsent(output, input);
            if (earlier != null) {
                throw new IllegalArgumentException(input + ": would write the same output " + output + " as " + earlier + "; rename one of them");
            }
            outputs.put(input, output);
        }
        return outputs;
    }

    static boolean isVolume(String name) {
        return PredictionPlan.isVolumeName(name);
    }

    private static boolean isInput(String name, boolean slides) {
        return slides ? PredictionPlan.isSlideName(name) : PredictionPlan.isInputName(name);
    }

    /** The output's name: PredictionPlan's rule, as danseg predict names masks; volumes stay .nii.gz. */
    static String outputName(String inputName, String format) {
        return PredictionPlan.outputNames(inputName, isVolume(inputName) ? PredictionPlan.Kind.VOLUME : PredictionPlan.Kind.IMAGE, format).get(0);
    }
}
