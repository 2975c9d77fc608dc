package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiReader;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.testing.Cli;
import org.danseg.testing.TinyTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nnU-Net v2 raw datasets, written here in nnU-Net's own layout (2D RGB PNG cases with an ignore
 * region; a 3D NIfTI dataset whose slices are partly ignore), train and predict end to end; a
 * broken layout is refused file by file before any work.
 */
class NnUNetDatasetTest {

    @TempDir
    Path dir;

    private static void json(Path file, String channels, String labels, String ending, int cases) throws Exception {
        Files.writeString(file, "{\"channel_names\": " + channels + ", \"labels\": " + labels + ", \"numTraining\": " + cases
                + ", \"file_ending\": \"" + ending + "\"}");
    }

    /** Dataset001_Glands: the tiny synthetic H&E set as nnU-Net lays it out; the masks' left quarter is ignore (2). */
    private Path glands() throws Exception {
        Path synth = dir.resolve("synth");
        TinyTraining.synthesize(synth);
        Path ds = dir.resolve("Dataset001_Glands");
        Files.createDirectories(ds.resolve("imagesTr"));
        Files.createDirectories(ds.resolve("labelsTr"));
        Files.createDirectories(ds.resolve("imagesTs"));
        for (int i = 0; i < 2; i++) {
            String id = String.format("glands_%03d", i);
            Files.copy(synth.resolve("annotated/images/annotated_00" + i + ".png"), ds.resolve("imagesTr/" + id + "_0000.png"));
            BufferedImage mask = ImageIO.read(synth.resolve("annotated/masks/annotated_00" + i + ".png").toFile());
            BufferedImage label = new BufferedImage(mask.getWidth(), mask.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < mask.getHeight(); y++) {
                for (int x = 0; x < mask.getWidth(); x++) {
                    int v = x < mask.getWidth() / 4 ? 2 : mask.getRaster().getSample(x, y, 0) != 0 ? 1 : 0;
                    label.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(label, "png", ds.resolve("labelsTr/" + id + ".png").toFile());
        }
        for (int i = 0; i < 4; i++) {
            Files.copy(synth.resolve("unannotated/images/unannotated_00" + i + ".png"), ds.resolve(String.format("imagesTs/test_%03d_0000.png", i)));
        }
        json(ds.resolve("dataset.json"), "{\"0\": \"R\", \"1\": \"G\", \"2\": \"B\"}", "{\"background\": 0, \"gland\": 1, \"ignore\": 2}", ".png", 2);
        return ds;
    }

    @Test
    void a2dDatasetTrainsOnLabelsTrAndImagesTsAndPredicts() throws Exception {
        Path ds = glands();
        Path model = dir.resolve("model");
        Cli train = Cli.run("train", "--dataset", ds.toString(), "--out", model.toString(), "--mode", "balanced", "--width", "8", "--patch", "64",
                "--iterations", "12", "--pretrain-iterations", "6", "--lambda-ramp", "4", "--threads", "2");
        assertThat(train.exitCode()).as(train.err()).isZero();
        String provenance = Files.readString(model.resolve("provenance.json"));
        assertThat(provenance).contains("glands_000_0000.png").contains("labelsTr").contains("imagesTs");
        assertThat(Files.readString(model.resolve("model.json"))).contains("\"classes\" : 2");
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", ds.resolve("imagesTs").toString(), "--out", dir.resolve("pred").toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(dir.resolve("pred").toFile().list((d, n) -> n.endsWith(".png"))).hasSize(4);
    }

    @Test
    void a3dDatasetBecomesAVolumeRunWithItsIgnoreLabel() throws Exception {
        int n = 48;
        int slices = 10;
        float[] image = new float[n * n * slices];
        float[] labels = new float[image.length];
        for (int k = 0; k < slices; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    int v = (k * n + j) * n + i;
                    boolean inside = Math.hypot(i - n / 2.0, j - n / 2.0) < 10 + k;
                    image[v] = inside ? 200 : 40 + (i * 7 + j * 3) % 20;
                    labels[v] = k % 3 != 0 ? 2 : inside ? 1 : 0; // only every third slice annotated, the rest ignore
                }
            }
        }
        Path ds = dir.resolve("Dataset002_Spheres");
        Files.createDirectories(ds.resolve("imagesTr"));
        Files.createDirectories(ds.resolve("labelsTr"));
        NiftiVolume template = NiftiVolume.blank(n, n, slices, 1, 1, 2, NiftiDataType.UINT8);
        NiftiWriter.write(template.withValues(image, NiftiDataType.UINT8), NiftiDataType.UINT8, ds.resolve("imagesTr/sphere_000_0000.nii.gz"));
        NiftiWriter.write(template.withValues(labels, NiftiDataType.UINT8), NiftiDataType.UINT8, ds.resolve("labelsTr/sphere_000.nii.gz"));
        json(ds.resolve("dataset.json"), "{\"0\": \"MRI\"}", "{\"background\": 0, \"sphere\": 1, \"ignore\": 2}", ".nii.gz", 1);

        Path model = dir.resolve("model3d");
        Cli train = Cli.run("train", "--dataset", ds.toString(), "--out", model.toString(), "--mode", "dan", "--width", "4", "--patch", "64",
                "--iterations", "10", "--pretrain-iterations", "5", "--lambda-ramp", "2", "--threads", "2");
        assertThat(train.exitCode()).as(train.err()).isZero();
        String config = Files.readString(model.resolve("config.json"));
        assertThat(config).contains("sphere_000_0000.nii.gz").contains("\"ignoreLabel\" : 2").contains("\"dataset\" : null");
        Path seg = dir.resolve("seg.nii.gz");
        Cli predict = Cli.run("predict", "--model", model.toString(), "--input", ds.resolve("imagesTr/sphere_000_0000.nii.gz").toString(),
                "--out", seg.toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(NiftiReader.read(seg).nz()).isEqualTo(slices);
    }

    @Test
    void aBrokenLayoutIsRefusedFileByFileBeforeAnyWork() throws Exception {
        Path ds = glands();
        Files.delete(ds.resolve("imagesTr/glands_001_0000.png"));
        json(ds.resolve("dataset.json"), "{\"0\": \"R\", \"1\": \"G\", \"2\": \"B\"}", "{\"background\": 0, \"gland\": 1, \"ignore\": 5}", ".png", 2);
        Cli train = Cli.run("train", "--dataset", ds.toString(), "--out", dir.resolve("m").toString());
        assertThat(train.exitCode()).isEqualTo(2);
        assertThat(train.err()).contains("ignore label must be the highest");
        json(ds.resolve("dataset.json"), "{\"0\": \"R\", \"1\": \"G\", \"2\": \"B\"}", "{\"background\": 0, \"gland\": 1, \"ignore\": 2}", ".png", 2);
        Cli again = Cli.run("train", "--dataset", ds.toString(), "--out", dir.resolve("m").toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("glands_001_0000.png: missing");
        assertThat(dir.resolve("m")).doesNotExist();
    }
}
