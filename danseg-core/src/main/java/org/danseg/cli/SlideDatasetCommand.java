package org.danseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.danseg.data.SlideDataset;
import org.danseg.io.Directories;
import org.danseg.io.OutputGuard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "slide-dataset", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Turn partly annotated whole-slide images into training data: each annotated region of QuPath's",
                "GeoJSON export (annotations classified \"Region\" or unclassified; the classified polygons inside are the labels)",
                "becomes an annotated case of an nnU-Net v2 dataset (outside the region: the ignore label), and tissue tiles",
                "that touch no region become unannotated images. Then:",
                "  danseg train --dataset OUT/Dataset900_Slides --unannotated OUT/unannotated --out MODEL_DIR"})
final class SlideDatasetCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--slide", required = true, paramLabel = "SLIDE", description = "A slide (tiled pyramidal TIFF, SVS); repeat for several.")
    List<Path> slides = new ArrayList<>();

    @Option(names = "--annotations", required = true, paramLabel = "FILE.geojson", description = "QuPath's GeoJSON export for the slide at the same position.")
    List<Path> annotations = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the dataset and the unannotated tiles go.")
    Path out;

    @Option(names = "--unannotated", defaultValue = "100", paramLabel = "N", description = "Unannotated tissue tiles per slide (default: ${DEFAULT-VALUE}).")
    int tilesPerSlide;

    @Option(names = "--tile", defaultValue = "256", paramLabel = "PX", description = "Side of an unannotated tile (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Which tiles are drawn (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace a folder danseg wrote before.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (tilesPerSlide < 0 || tile < 32) {
            throw new UserInputException("--unannotated must be >= 0 and --tile >= 32 pixels");
        }
        List<Path> inputs = new ArrayList<>(slides);
        inputs.addAll(annotations);
        Path target = out.toAbsolutePath().normalize();
        OutputGuard.FolderState state = OutputGuard.checkFolder(target, "--out", OutputGuard.FolderKind.SLIDE_DATASET, null, force, inputs);
        if (state == OutputGuard.FolderState.OURS && !force) {
            throw new OutputGuard.OutputRefusedException(target + ": already holds a slide dataset (use --force to replace it)");
        }
        // Written aside and moved in whole: a refused region or a damaged tile leaves nothing half-written.
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial");
        Directories.deleteTree(staging);
        SlideDataset.Written w;
        try {
            w = SlideDataset.write(slides, annotations, staging, tilesPerSlide, tile, seed);
            OutputGuard.mark(staging, OutputGuard.FolderKind.SLIDE_DATASET);
            Directories.replaceWith(staging, target);
        } finally {
            Directories.deleteTree(staging);
        }
        w = new SlideDataset.Written(target.resolve(w.dataset().getFileName()), target.resolve("unannotated"), w.cases(), w.tiles(), w.classes());
        spec.commandLine().getOut().printf("wrote %s (%d annotated regions, classes %s) and %s (%d unannotated tiles)%n",
                w.dataset(), w.cases(), w.classes(), w.unannotated(), w.tiles());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
