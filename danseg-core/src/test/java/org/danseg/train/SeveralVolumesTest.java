package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiReader;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.io.nifti.VolumeReader;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on several volumes at once, given as repeated pairs or as two folders, NIfTI and TIFF stacks mixed. */
class SeveralVolumesTest {
    private static final int N = 40;
    private static final int SLICES = 12;

    @TempDir
    Path dir;

    /** A bright sphere on a dark background, and its label. */
    private static float[][] sphere(double cx) {
        float[] img = new float[N * N * SLICES];
        float[] lab = new float[img.length];
        for (int k = 0; k < SLICES; k++) {
            for (int j = 0; j < N; j++) {
                for (int i = 0; i < N; i++) {
                    boolean in = Math.pow(i - cx, 2) + Math.pow(j - 20, 2) + Math.pow((k - 6) * 2.0, 2) < 100;
                    img[(k * N + j) * N + i] = in ? 200 : 40 + (i * 7 + j * 3) % 11;
                    lab[(k * N + j) * N + i] = in ? 1 : 0;
                }
            }
        }
        return new float[][] {img, lab};
    }

    private static void tiffStack(float[] values, Path file) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int k = 0; k < SLICES; k++) {
                BufferedImage page = new BufferedImage(N, N, BufferedImage.TYPE_BYTE_GRAY);
                for (int j = 0; j < N; j++) {
                    for (int i = 0; i < N; i++) {
                        page.getRaster().setSample(i, j, 0, Math.round(values[(k * N + j) * N + i]));
                    }
                }
                writer.writeToSequence(new IIOImage(page, null, null), null);
            }
            writer.endWriteSequence();
        }
        writer.dispose();
    }

    @Test
    void repeatedPairsAndFoldersTrainOnEveryVolume() throws Exception {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("labels"));
        float[][] a = sphere(18);
        NiftiVolume template = NiftiVolume.blank(N, N, SLICES, 1, 1, 2, NiftiDataType.UINT8);
        NiftiWriter.write(template.withValues(a[0], NiftiDataType.UINT8), NiftiDataType.UINT8, dir.resolve("images/a.nii.gz"));
        NiftiWriter.write(template.withValues(a[1], NiftiDataType.UINT8), NiftiDataType.UINT8, dir.resolve("labels/a.nii.gz"));
        float[][] b = sphere(23);
        tiffStack(b[0], dir.resolve("images/b.tif"));
        tiffStack(b[1], dir.resolve("labels/b.tif"));

        NiftiVolume stack = VolumeReader.read(dir.resolve("images/b.tif"));
        assertThat(new int[] {stack.nx(), stack.ny(), stack.nz()}).containsExactly(N, N, SLICES);
        assertThat(stack.values()).isEqualTo(b[0]);

        String[] common = {"--annotated-slices", "6", "--unannotated-slices", "3-5,7-9", "--width", "8", "--patch", "64",
                "--iterations", "6", "--pretrain-iterations", "3", "--lambda-ramp", "2", "--threads", "2"};
        Cli pairs = Cli.run(concat(new String[] {"train", "--out", dir.resolve("m1").toString(),
                "--volume", dir.resolve("images/a.nii.gz").toString(), "--labels", dir.resolve("labels/a.nii.gz").toString(),
                "--volume", dir.resolve("images/b.tif").toString(), "--labels", dir.resolve("labels/b.tif").toString()}, common));
        assertThat(pairs.exitCode()).as(pairs.err()).isZero();
        String provenance = Files.readString(dir.resolve("m1/provenance.json"));
        assertThat(provenance).contains("a.nii.gz").contains("b.tif");

        Cli folders = Cli.run(concat(new String[] {"train", "--out", dir.resolve("m2").toString(),
                "--volume", dir.resolve("images").toString(), "--labels", dir.resolve("labels").toString()}, common));
        assertThat(folders.exitCode()).as(folders.err()).isZero();
        assertThat(Files.readString(dir.resolve("m2/provenance.json"))).contains("a.nii.gz").contains("b.tif");

        // A TIFF stack is segmented into a NIfTI label volume.
        Path seg = dir.resolve("b_seg.nii.gz");
        Cli predict = Cli.run("predict", "--model", dir.resolve("m1").toString(), "--input", dir.resolve("images/b.tif").toString(), "--out", seg.toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        NiftiVolume out = NiftiReader.read(seg);
        assertThat(new int[] {out.nx(), out.ny(), out.nz()}).containsExactly(N, N, SLICES);

        Files.copy(dir.resolve("images/a.nii.gz"), dir.resolve("images/c.nii.gz"));
        Cli unpaired = Cli.run(concat(new String[] {"train", "--out", dir.resolve("m3").toString(),
                "--volume", dir.resolve("images").toString(), "--labels", dir.resolve("labels").toString()}, common));
        assertThat(unpaired.exitCode()).isEqualTo(2);
        assertThat(unpaired.err()).contains("c.nii.gz").contains("no label volume");
        assertThat(dir.resolve("m3")).doesNotExist();

        Cli odd = Cli.run(concat(new String[] {"train", "--out", dir.resolve("m4").toString(),
                "--volume", dir.resolve("images/a.nii.gz").toString()}, common));
        assertThat(odd.exitCode()).isEqualTo(2);
        assertThat(odd.err()).contains("--labels");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
