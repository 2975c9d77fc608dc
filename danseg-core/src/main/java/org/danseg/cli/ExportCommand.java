package org.danseg.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.danseg.export.BioImageIoPackage;
import org.danseg.infer.SavedModel;
import org.danseg.io.AtomicFiles;
import org.danseg.io.OutputGuard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a trained model's SN for other tools (docs/export.md).",
                "onnx: one self-contained ONNX file (opset 17): input 'image' (batch, C, height, width) scaled to [0, 1],",
                "output 'probabilities' (batch, K, height, width); danseg's normalisation is inside; height and width",
                "must be multiples of 32 (dan-fcn) or 16 (unet).",
                "bioimageio: a zipped bioimage.io model package (spec 0.5) of a 2D model: rdf.yaml, weights.onnx, test tensors,",
                "a README with how it was trained and validated, the training's config.json and provenance.json."})
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A directory written by danseg train.")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "onnx|bioimageio", description = "Export format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx|FILE.zip", description = "The file to write.")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "bioimageio: the model's name (default: the model folder's name).")
    String name;

    @Option(names = "--author", paramLabel = "NAME", description = "bioimageio: an author (repeatable; at least one is required).")
    List<String> authors;

    @Option(names = "--license", defaultValue = "CC-BY-4.0", paramLabel = "SPDX", description = "bioimageio: the weights' licence (default: ${DEFAULT-VALUE}).")
    String license;

    @Option(names = "--description", paramLabel = "TEXT", description = "bioimageio: one line on what the model segments.")
    String description;

    @Option(names = "--force", description = "Overwrite an existing .onnx or .zip file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (f.equals("bioimageio")) {
            return bioimageio();
        }
        if (!f.equals("onnx")) {
            throw new UserInputException("--format must be onnx or bioimageio, not " + format);
        }
        if (!out.getFileName().toString().endsWith(".onnx")) {
            throw new UserInputException("--out must name a .onnx file, not " + out);
        }
        OutputGuard.checkFile(out, "--out", force, List.of(model), ".onnx");
        byte[] onnx;
        int multiple;
        try (SavedModel m = SavedModel.load(model)) {
            onnx = m.exportOnnx();
            multiple = m.sizeMultiple();
        }
        AtomicFiles.write(out, o -> o.write(onnx));
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%.1f MB, ONNX opset 17; height and width multiples of %d)%n",
                out, onnx.length / 1e6, multiple);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private int bioimageio() throws Exception {
        if (!out.getFileName().toString().endsWith(".zip")) {
            throw new UserInputException("--out must name a .zip file for --format bioimageio, not " + out);
        }
        if (authors == null || authors.isEmpty()) {
            throw new UserInputException("--format bioimageio needs --author NAME (repeatable): the package names its authors");
        }
        OutputGuard.checkFile(out, "--out", force, List.of(model), ".zip");
        String title = name != null ? name : model.toAbsolutePath().normalize().getFileName().toString();
        String about = description != null ? description : "A 2D segmentation model trained with danseg (deep adversarial networks, semi-supervised).";
        try (SavedModel m = SavedModel.load(model)) {
            BioImageIoPackage.write(m, new BioImageIoPackage.Description(title, authors, license, about), out);
        }
        spec.commandLine().getOut().printf("wrote %s (bioimage.io model package, spec 0.5)%n", out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
