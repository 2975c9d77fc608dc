package org.danseg.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
                "must be multiples of 32 (dan-fcn) or 16 (unet)."})
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A directory written by danseg train.")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "onnx", description = "Export format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "The file to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing .onnx file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!format.trim().toLowerCase(Locale.ROOT).equals("onnx")) {
            throw new UserInputException("--format must be onnx, not " + format + " (a bioimage.io package is not written yet)");
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
}
