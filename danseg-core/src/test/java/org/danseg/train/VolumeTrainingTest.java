package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiReader;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's case on a real volume (Debian's mricron-data): ch2 T1 MRI, the atlas regions of AAL
 * (labels 1-116, cortical and deep grey matter) as the structure, axial slice 90 annotated and
 * 85-89, 91-95 unannotated: exactly the seed's arguments. A brief DAN run must predict a volume with
 * the input's geometry and a Dice on the unannotated slices above a bound set from measurement
 * with margin (measured 0.780 with these settings, 2026-11-25; the baseline got 0.876).
 */
@Tag("slow")
class VolumeTrainingTest {
    private static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");

    @TempDir
    Path dir;

    @Test
    void seedCaseOnRealMri() throws Exception {
        if (!Files.isRegularFile(TEMPLATES.resolve("ch2.nii.gz"))) {
            String msg = "the real-volume test needs Debian's mricron-data (apt-get install mricron-data; .ci/run does)";
            if ("1".equals(System.getenv("DANSEG_REQUIRE_REFERENCE"))) {
                fail(msg);
            }
            Assumptions.abort("SKIPPED: " + msg);
        }
        Path labels = dir.resolve("aal-regions.nii.gz");
        Cli derive = Cli.run("derive-labels", "--atlas", TEMPLATES.resolve("aal.nii.gz").toString(), "--labels", "1-116", "--out", labels.toString());
        assertThat(derive.exitCode()).as(derive.err()).isZero();

        Path model = dir.resolve("model");
        Cli train = Cli.run("train", "--volume", TEMPLATES.resolve("ch2.nii.gz").toString(), "--labels", labels.toString(),
                "--axis", "z", "--annotated-slices", "90", "--unannotated-slices", "85-89,91-95", "--mode", "dan",
                "--out", model.toString(), "--width", "4", "--patch", "128", "--iterations", "120", "--pretrain-iterations", "80",
                "--lambda-ramp", "20", "--lambda-max", "0.1", "--threads", "2");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(Files.readString(model.resolve("provenance.json"))).contains("ch2.nii.gz").contains("aal-regions.nii.gz");

        Path seg = dir.resolve("seg.nii.gz");
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", TEMPLATES.resolve("ch2.nii.gz").toString(), "--out", seg.toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        NiftiVolume in = NiftiReader.read(TEMPLATES.resolve("ch2.nii.gz"));
        NiftiVolume out = NiftiReader.read(seg);
        assertThat(new int[] {out.nx(), out.ny(), out.nz()}).containsExactly(in.nx(), in.ny(), in.nz());
        assertThat(out.spacing()).isEqualTo(in.spacing());
        assertThat(out.sform()).isEqualTo(in.sform());
        assertThat(out.qform()).isEqualTo(in.qform());
        assertThat(out.sformCode()).isEqualTo(in.sformCode());
        assertThat(out.storedType()).isEqualTo(NiftiDataType.UINT8);

        Path json = dir.resolve("eval.json");
        Cli eval = Cli.run("evaluate", "--pred", seg.toString(), "--truth", labels.toString(), "--axis", "z", "--slices", "85-89,91-95",
                "--json", json.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode e = new ObjectMapper().readTree(json.toFile());
        System.out.println("real volume, unannotated slices: Dice " + e.get("dice").asDouble());
        assertThat(e.get("dice").asDouble()).as("Dice on the 10 unannotated slices").isGreaterThan(DICE_BOUND);
    }

    /** Set from measurement (see the session note): the measured value minus a wide margin. */
    private static final double DICE_BOUND = 0.6;
}
