package org.danseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.danseg.data.AtlasStructure;
import org.danseg.data.SliceList;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiReader;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "derive-labels", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a binary label volume from an atlas: 1 where the atlas value is in LIST, else 0.",
                "The output keeps the atlas's header (dimensions, pixdim, qform/sform)."})
final class DeriveLabelsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--atlas", required = true, paramLabel = "ATLAS.nii.gz", description = "A label atlas (NIfTI).")
    Path atlas;

    @Option(names = "--labels", required = true, paramLabel = "LIST", description = "Atlas values to keep, e.g. 91-116.")
    String labels;

    @Option(names = "--out", required = true, paramLabel = "OUT.nii.gz", description = "The binary label volume.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!NiftiReader.isNifti(out)) {
            throw new UserInputException("--out must be a .nii or .nii.gz file, not " + out);
        }
        org.danseg.io.OutputGuard.checkFile(out, "--out", force, java.util.List.of(atlas), ".nii", ".nii.gz");
        NiftiVolume selected = AtlasStructure.select(NiftiReader.read(atlas), SliceList.parse(labels));
        long count = AtlasStructure.count(selected);
        if (count == 0) {
            throw new UserInputException(atlas + ": no voxel has the atlas values " + labels + "; nothing written");
        }
        NiftiWriter.write(selected, NiftiDataType.UINT8, out);
        spec.commandLine().getOut().printf("wrote %s: %d voxels with atlas values %s%n", out, count, labels);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
