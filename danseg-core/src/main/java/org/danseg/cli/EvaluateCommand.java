package org.danseg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.data.DatasetException;
import org.danseg.data.MaskCollection;
import org.danseg.data.SliceList;
import org.danseg.io.MaskType;
import org.danseg.io.nifti.NiftiReader;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.metrics.Evaluator;
import org.danseg.metrics.MaskPairs;
import org.danseg.metrics.SetEvaluation;
import org.danseg.metrics.VolumeEvaluation;
import org.danseg.metrics.VolumeEvaluator;
import org.danseg.report.EvaluationJson;
import org.danseg.report.EvaluationTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare predicted masks with true masks (pixel, surface and GlaS object metrics).",
                "Pixel Dice/IoU/precision/recall, HD95, ASSD and the GlaS object-level F1, Dice and Hausdorff. Files are paired by base name; every file of each side",
                "must have a partner."})
final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pred", required = true, paramLabel = "DIR|FILE", description = "Predicted mask(s): a file, a folder of masks, or a dataset folder (its masks/).")
    Path pred;

    @Option(names = "--truth", required = true, paramLabel = "DIR|FILE", description = "True mask(s), same forms as --pred.")
    Path truth;

    @Option(names = "--mask-type", paramLabel = "TYPE", converter = MaskTypeConverter.class,
            description = "How to read the true masks: binary, classes or instance (default: dataset.json's, else binary when masks have two values).")
    MaskType truthType;

    @Option(names = "--pred-mask-type", paramLabel = "TYPE", converter = MaskTypeConverter.class,
            description = "How to read the predicted masks (default: binary when they have two values).")
    MaskType predType;

    @Option(names = "--axis", defaultValue = "z", paramLabel = "x|y|z", description = "Volumes: the slicing axis for per-slice Dice and --slices (default: ${DEFAULT-VALUE}).")
    String axis;

    @Option(names = "--slices", paramLabel = "LIST", description = "Volumes: evaluate only these slices, e.g. 85-89,91-95 (0-based, voxel order).")
    String slices;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write all results, per image too, as JSON.")
    Path json;

    @Option(names = "--force", description = "Overwrite an existing --json file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            org.danseg.io.OutputGuard.checkFile(json, "--json", force, List.of(pred, truth), ".json");
        }
        if (NiftiReader.isNifti(pred) || NiftiReader.isNifti(truth)) {
            return evaluateVolume();
        }
        if (slices != null) {
            throw new UserInputException("--slices applies to volumes (NIfTI files) only");
        }
        List<String> problems = new ArrayList<>();
        MaskCollection truthMasks = load(truth, truthType, "--mask-type", problems);
        MaskCollection predMasks = load(pred, predType, "--pred-mask-type", problems);
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) with the masks to evaluate", problems);
        }
        List<Evaluator.Case> cases = MaskPairs.pair(predMasks, truthMasks);
        int numClasses = Math.max(truthMasks.numClasses(), predMasks.numClasses());
        SetEvaluation result;
        try (Progress progress = new Progress("evaluate", cases.size())) {
            result = Evaluator.evaluate(cases, numClasses, progress::step)
                    .withSources(pred.toAbsolutePath().normalize().toString(), truth.toAbsolutePath().normalize().toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("truth: %s (%s masks), predictions: %s (%s masks)%n", truth, truthMasks.maskType().cliName(), pred, predMasks.maskType().cliName());
        out.print(EvaluationTable.format(result));
        if (json != null) {
            EvaluationJson.write(result, json);
            out.println("wrote " + json);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int evaluateVolume() throws Exception {
        if (!NiftiReader.isNifti(pred) || !NiftiReader.isNifti(truth)) {
            throw new UserInputException("a volume is compared with a volume: give NIfTI files (.nii, .nii.gz) for both --pred and --truth");
        }
        int axisIndex = "xyz".indexOf(axis.toLowerCase(java.util.Locale.ROOT));
        if (axis.length() != 1 || axisIndex < 0) {
            throw new UserInputException("--axis must be x, y or z, not " + axis);
        }
        List<Integer> list = slices == null ? null : SliceList.parse(slices);
        List<String> problems = new ArrayList<>();
        NiftiVolume p = readVolume(pred, problems);
        NiftiVolume t = readVolume(truth, problems);
        if (p != null && t != null && (p.nx() != t.nx() || p.ny() != t.ny() || p.nz() != t.nz())) {
            problems.add(pred + ": " + p.nx() + "x" + p.ny() + "x" + p.nz() + " voxels but " + truth + " has " + t.nx() + "x" + t.ny() + "x" + t.nz());
        }
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " problem(s) with the volumes to evaluate", problems);
        }
        VolumeEvaluation e = VolumeEvaluator.evaluate(p.values(), t.values(), t.nx(), t.ny(), t.nz(), t.spacing(), axisIndex, list);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(java.util.Locale.ROOT, "volume %dx%dx%d, voxel %s mm, %s%n", t.nx(), t.ny(), t.nz(), java.util.Arrays.toString(t.spacing()),
                list == null ? "whole volume" : list.size() + " slice(s) along " + e.axis());
        out.printf(java.util.Locale.ROOT, "  Dice %.4f  IoU %.4f  precision %.4f  recall %.4f  HD95 %.3f mm  ASSD %.3f mm  (truth %d, predicted %d voxels)%n",
                e.dice(), e.iou(), e.precision(), e.recall(), e.hd95(), e.assd(), e.truthVoxels(), e.predVoxels());
        out.printf(java.util.Locale.ROOT, "  object F1 %.4f  object Dice %.4f  object Hausdorff %.3f mm  (%d true, %d predicted 26-connected objects)%n",
                e.objectF1(), e.objectDice(), e.objectHausdorff(), e.truthObjects(), e.predObjects());
        if (json != null) {
            org.danseg.io.AtomicFiles.writeString(json, new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(e) + "\n");
            out.println("wrote " + json);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static NiftiVolume readVolume(Path file, List<String> problems) {
        try {
            NiftiVolume v = NiftiReader.read(file);
            String notLabels = v.labelProblem(Integer.MAX_VALUE);
            if (notLabels != null) {
                problems.add(file + ": " + notLabels);
                return null;
            }
            return v;
        } catch (java.io.IOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static MaskCollection load(Path source, MaskType type, String flag, List<String> problems) throws java.io.IOException {
        try {
            return MaskCollection.load(source, type, flag);
        } catch (DatasetException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    static final class MaskTypeConverter implements CommandLine.ITypeConverter<MaskType> {
        @Override
        public MaskType convert(String value) {
            return MaskType.parse(value);
        }
    }
}
