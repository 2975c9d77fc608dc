package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.danseg.data.AnnotatedDataset;
import org.danseg.data.DatasetException;
import org.danseg.data.DatasetLoader;
import org.danseg.io.ImageFileWriter;
import org.danseg.io.LabelMap;
import org.danseg.io.MaskType;
import org.danseg.io.PixelSpacing;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad-input case: each is reported by file name with exit code 2, all together, and
 * nothing is written.
 */
class BadInputTest {

    @TempDir
    Path dir;

    private void image(Path file, int w, int h, int type) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, type), "png", file.toFile());
    }

    private void mask(Path file, int w, int h, int... values) throws Exception {
        int[] v = new int[w * h];
        for (int i = 0; i < values.length && i < v.length; i++) {
            v[i] = values[i];
        }
        ImageFileWriter.writeLabels(new LabelMap(w, h, v, PixelSpacing.UNIT), file);
    }

    @Test
    void datasetProblemsAreAllReportedFileByFile() throws Exception {
        Path ds = dir.resolve("ds");
        image(ds.resolve("images/ok.png"), 8, 8, BufferedImage.TYPE_3BYTE_BGR);
        mask(ds.resolve("masks/ok.png"), 8, 8, 0, 255);
        image(ds.resolve("images/nomask.png"), 8, 8, BufferedImage.TYPE_3BYTE_BGR);
        mask(ds.resolve("masks/orphan.png"), 8, 8, 0, 1);
        image(ds.resolve("images/small.png"), 8, 8, BufferedImage.TYPE_3BYTE_BGR);
        mask(ds.resolve("masks/small.png"), 4, 4, 0, 1);
        image(ds.resolve("images/grey.png"), 8, 8, BufferedImage.TYPE_BYTE_GRAY);
        mask(ds.resolve("masks/grey.png"), 8, 8, 0, 1);
        image(ds.resolve("images/broken.png"), 8, 8, BufferedImage.TYPE_3BYTE_BGR);
        Files.writeString(ds.resolve("masks/broken.png"), "garbage");
        image(ds.resolve("images/twovalues.png"), 2, 1, BufferedImage.TYPE_3BYTE_BGR);
        mask(ds.resolve("masks/twovalues.png"), 2, 1, 3, 5);

        DatasetException e = org.junit.jupiter.api.Assertions.assertThrows(DatasetException.class,
                () -> DatasetLoader.annotated(ds, null));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("nomask.png").contains("no mask"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("orphan.png").contains("without an image"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("small.png").contains("4x4").contains("8x8"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("grey.png").contains("channel"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("broken.png").contains("not a readable image"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("twovalues.png").contains("two non-zero values"));
        assertThat(e.problems()).hasSize(6);
    }

    @Test
    void ambiguousMasksAskForTheMaskType() throws Exception {
        Path ds = dir.resolve("ds");
        image(ds.resolve("images/a.png"), 4, 4, BufferedImage.TYPE_BYTE_GRAY);
        mask(ds.resolve("masks/a.png"), 4, 4, 0, 1, 2, 3);
        DatasetException e = org.junit.jupiter.api.Assertions.assertThrows(DatasetException.class, () -> DatasetLoader.annotated(ds, null));
        assertThat(e.problems()).singleElement().asString().contains("a.png").contains("--mask-type");
        AnnotatedDataset ok = DatasetLoader.annotated(ds, MaskType.CLASSES);
        assertThat(ok.numClasses()).isEqualTo(4);
        assertThat(ok.maskType()).isEqualTo(MaskType.CLASSES);
        assertThat(DatasetLoader.annotated(ds, MaskType.INSTANCE).numClasses()).isEqualTo(2);
    }

    @Test
    void validDatasetKeepsNormalizationStatistics() throws Exception {
        Path ds = dir.resolve("ds");
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 0, 0, 255);
        Files.createDirectories(ds.resolve("images"));
        ImageIO.write(img, "png", ds.resolve("images/a.png").toFile());
        mask(ds.resolve("masks/a.tif"), 2, 1, 0, 1);
        AnnotatedDataset d = DatasetLoader.annotated(ds, null);
        assertThat(d.samples()).hasSize(1);
        assertThat(d.maskType()).isEqualTo(MaskType.BINARY);
        // Values 0 and 1 after scaling: mean 0.5, std 0.5.
        assertThat(d.normalization().mean()[0]).isEqualTo(0.5);
        assertThat(d.normalization().std()[0]).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void evaluateReportsMissingPartnersWithExitCode2AndWritesNothing() throws Exception {
        mask(dir.resolve("truth/a.png"), 4, 4, 0, 1);
        mask(dir.resolve("truth/b.png"), 4, 4, 0, 1);
        mask(dir.resolve("pred/a.png"), 4, 4, 0, 1);
        mask(dir.resolve("pred/c.png"), 4, 4, 0, 1);
        Path json = dir.resolve("out.json");
        Cli r = Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString(), "--json", json.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("b: has a true mask").contains("c: has a prediction").doesNotContain("Exception");
        assertThat(json).doesNotExist();
    }

    @Test
    void evaluateReportsSizeMismatchAndUnreadableMasks() throws Exception {
        mask(dir.resolve("truth/a.png"), 4, 4, 0, 1);
        mask(dir.resolve("truth/b.png"), 4, 4, 0, 1);
        mask(dir.resolve("pred/a.png"), 5, 4, 0, 1);
        Files.writeString(dir.resolve("pred/b.png"), "nope");
        Cli r = Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("b.png").contains("not a readable image");
        mask(dir.resolve("pred/b.png"), 4, 4, 0, 1);
        Cli r2 = Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString());
        assertThat(r2.exitCode()).isEqualTo(2);
        assertThat(r2.err()).contains("a: prediction is 5x4 but truth is 4x4");
    }

    @Test
    void evaluateWritesJsonWithTheDocumentedKeysAndRefusesToOverwriteIt() throws Exception {
        mask(dir.resolve("truth/a.png"), 4, 4, 0, 1, 1);
        mask(dir.resolve("pred/a.png"), 4, 4, 0, 1);
        Path json = dir.resolve("out.json");
        Cli r = Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString(), "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String text = Files.readString(json);
        for (String key : new String[] {"dice", "iou", "precision", "recall", "hd95", "assd", "objectF1", "objectDice",
                "objectHausdorff", "perImage", "perClass", "meanDice"}) {
            assertThat(text).contains("\"" + key + "\"");
        }
        assertThat(text).doesNotContain("NaN");
        long before = Files.getLastModifiedTime(json).toMillis();
        Cli again = Cli.run("evaluate", "--pred", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString(), "--json", json.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("out.json").contains("--force");
        assertThat(Files.getLastModifiedTime(json).toMillis()).isEqualTo(before);
    }

    @Test
    void usageErrorsExitWith2AndHelpWith0() {
        assertThat(Cli.run("--help").exitCode()).isZero();
        assertThat(Cli.run("evaluate", "--help").exitCode()).isZero();
        Cli bad = Cli.run("evaluate", "--pred", "x", "--truth", "y", "--nope");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown option");
        Cli badType = Cli.run("evaluate", "--pred", "x", "--truth", "y", "--mask-type", "blobs");
        assertThat(badType.exitCode()).isEqualTo(2);
        assertThat(badType.err()).contains("blobs");
        Cli missing = Cli.run("evaluate", "--pred", dir.resolve("none").toString(), "--truth", dir.resolve("none2").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");
    }
}
