package org.danseg.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageIoTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"png", "tif"})
    void labelsRoundTrip8And16Bit(String ext) throws Exception {
        int[] small = {0, 1, 2, 255, 7, 0};
        int[] large = {0, 1, 300, 65535, 7, 0};
        for (int[] values : new int[][] {small, large}) {
            Path f = dir.resolve("m" + values[2] + "." + ext);
            ImageFileWriter.writeLabels(new LabelMap(3, 2, values, PixelSpacing.UNIT), f);
            LabelMap back = ImageFileReader.readLabels(f);
            assertThat(back.labels()).containsExactly(values);
            assertThat(back.width()).isEqualTo(3);
        }
    }

    @Test
    void refusesLabelsThatDoNotFit16Bit() {
        assertThatThrownBy(() -> ImageFileWriter.writeLabels(new LabelMap(1, 1, new int[] {70000}, PixelSpacing.UNIT), dir.resolve("x.png")))
                .hasMessageContaining("x.png").hasMessageContaining("16-bit");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    /**
     * Float TIFFs (microscopy exports) hold intensities in [0, 1] or are refused naming the file and the pixel: NaN,
     * infinity and values outside [0, 1], which TwelveMonkeys' BufferedImage would clamp silently (+Inf and 3 to 1).
     */
    @Test
    void floatTiffsOutsideTheUnitRangeAreRefusedNotClamped() throws Exception {
        Path finite = dir.resolve("finite.tif");
        Files.write(finite, greyFloatTiff(0.25f, 0.75f, 1f));
        assertThat(ImageFileReader.read(finite).data()).containsExactly(0.25f, 0.75f, 1f);
        String[] names = {"nan", "inf", "negative", "above-one"};
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, -5f, 3f};
        for (int k = 0; k < bad.length; k++) {
            Path f = dir.resolve(names[k] + ".tif");
            Files.write(f, greyFloatTiff(0.25f, bad[k], 1f));
            assertThatThrownBy(() -> ImageFileReader.read(f)).as(names[k]).isInstanceOf(ImageFormatException.class)
                    .hasMessageContaining(f.getFileName().toString()).hasMessageContaining("(" + bad[k] + " at 1,0)");
        }
    }

    @Test
    void floatMasksAreRefused() throws Exception {
        Path f = dir.resolve("float-mask.tif");
        Files.write(f, greyFloatTiff(0f, 1f, 1f));
        assertThatThrownBy(() -> ImageFileReader.readLabels(f)).isInstanceOf(ImageFormatException.class)
                .hasMessageContaining("float-mask.tif").hasMessageContaining("floating-point samples");
    }

    /** A one-row, one-strip, uncompressed 32-bit float grey TIFF (little-endian): ImageIO's TIFF writer writes no floats. */
    private static byte[] greyFloatTiff(float... values) {
        int entries = 10;
        int data = 8 + 2 + entries * 12 + 4;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(data + 4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries);
        int[][] tags = {{256, values.length}, {257, 1}, {258, 32}, {259, 1}, {262, 1}, {273, data}, {277, 1}, {278, 1},
                {279, 4 * values.length}, {339, 3}};
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) (t[0] == 273 || t[0] == 279 || t[0] == 256 ? 4 : 3)).putInt(1);
            if (t[0] == 273 || t[0] == 279 || t[0] == 256) {
                b.putInt(t[1]);
            } else {
                b.putShort((short) t[1]).putShort((short) 0);
            }
        }
        b.putInt(0);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "tif"})
    void rgbImagesKeepExactValuesInChannelMajorOrder(String ext) throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(0, 0, 0x102030);
        img.setRGB(1, 0, 0xA0B0C0);
        Path f = dir.resolve("rgb." + ext);
        ImageIO.write(img, ext.equals("tif") ? "tiff" : ext, f.toFile());
        Image2D back = ImageFileReader.read(f);
        assertThat(back.channels()).isEqualTo(3);
        assertThat(back.maxValue()).isEqualTo(255.0);
        assertThat(back.data()).containsExactly(0x10, 0xA0, 0x20, 0xB0, 0x30, 0xC0);
    }

    @Test
    void jpegGreyAndRgbAreRead() throws Exception {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 3, 0, 200);
        ImageIO.write(grey, "jpeg", dir.resolve("g.jpg").toFile());
        assertThat(ImageFileReader.read(dir.resolve("g.jpg")).channels()).isEqualTo(1);
        BufferedImage rgb = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        ImageIO.write(rgb, "jpeg", dir.resolve("c.jpeg").toFile());
        assertThat(ImageFileReader.read(dir.resolve("c.jpeg")).channels()).isEqualTo(3);
    }

    @Test
    void sixteenBitGreyKeepsItsRange() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 40000);
        img.getRaster().setSample(1, 0, 0, 3);
        Path f = dir.resolve("g16.png");
        ImageIO.write(img, "png", f.toFile());
        Image2D back = ImageFileReader.read(f);
        assertThat(back.maxValue()).isEqualTo(65535.0);
        assertThat(back.data()).containsExactly(40000f, 3f);
    }

    @Test
    void multiPageTiffIsAStack() throws Exception {
        Path f = dir.resolve("stack.tif");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int page = 0; page < 3; page++) {
                BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(0, 0, 0, page * 10);
                writer.writeToSequence(new IIOImage(img, null, null), null);
            }
            writer.endWriteSequence();
        }
        assertThat(ImageFileReader.readStack(f)).hasSize(3).extracting(p -> p.data()[0]).containsExactly(0f, 10f, 20f);
        assertThatThrownBy(() -> ImageFileReader.read(f)).hasMessageContaining("stack.tif").hasMessageContaining("3 pages");
    }

    @Test
    void paletteMaskReadsIndicesAndPaletteImageReadsColours() throws Exception {
        byte[] r = {0, (byte) 255};
        byte[] g = {0, 0};
        byte[] b = {0, 0};
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        img.getRaster().setSample(1, 0, 0, 1);
        Path f = dir.resolve("pal.png");
        ImageIO.write(img, "png", f.toFile());
        assertThat(ImageFileReader.readLabels(f).labels()).containsExactly(0, 1);
        Image2D colour = ImageFileReader.read(f);
        assertThat(colour.channels()).isEqualTo(3);
        assertThat(colour.data()).containsExactly(0, 255, 0, 0, 0, 0);
    }

    @Test
    void rgbMaskWithEqualChannelsIsAcceptedAndColourMaskIsRefused() throws Exception {
        BufferedImage same = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        same.setRGB(1, 0, 0xFFFFFF);
        ImageIO.write(same, "png", dir.resolve("same.png").toFile());
        assertThat(ImageFileReader.readLabels(dir.resolve("same.png")).labels()).containsExactly(0, 255);
        BufferedImage colour = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        colour.setRGB(1, 0, 0xFF0000);
        ImageIO.write(colour, "png", dir.resolve("colour.png").toFile());
        assertThatThrownBy(() -> ImageFileReader.readLabels(dir.resolve("colour.png")))
                .hasMessageContaining("colour.png").hasMessageContaining("single-channel");
    }

    @Test
    void truncatedAndNonImageFilesGiveOneLineErrorsNamingTheFile() throws Exception {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        Path good = dir.resolve("good.png");
        ImageIO.write(img, "png", good.toFile());
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ImageFileReader.read(cut)).isInstanceOf(ImageFormatException.class).hasMessageStartingWith(cut.toString());
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        assertThatThrownBy(() -> ImageFileReader.read(text)).hasMessageStartingWith(text.toString()).hasMessageContaining("not a readable image");
    }

    @Test
    void physicalPixelSizeFromPngIsHonouredAndSoftwareDefaultsAreNot() throws Exception {
        Path f = dir.resolve("phys.png");
        writePngWithPixelsPerMetre(f, 4000); // 0.25 mm per pixel
        PixelSpacing s = ImageFileReader.read(f).spacing();
        assertThat(s.unit()).isEqualTo("mm");
        assertThat(s.x()).isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-9));
        Path d = dir.resolve("dpi72.png");
        writePngWithPixelsPerMetre(d, 2835); // 72 dpi, written by default by many programs
        assertThat(ImageFileReader.read(d).spacing().unit()).isEqualTo("px");
    }

    @Test
    void aWrittenPixelSizeReadsBackFromPngAndTiff() throws Exception {
        PixelSpacing half = PixelSpacing.millimetres(0.0005, 0.0005);
        for (String name : new String[] {"img.png", "img.tif"}) {
            Path f = dir.resolve("written-" + name);
            ImageFileWriter.writeImage8(new Image2D(4, 3, 3, new float[36], 255, half), f);
            PixelSpacing s = ImageFileReader.read(f).spacing();
            assertThat(s.unit()).as(name).isEqualTo("mm");
            assertThat(s.x()).as(name).isCloseTo(0.0005, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(s.y()).as(name).isCloseTo(0.0005, org.assertj.core.api.Assertions.within(1e-9));
            Path l = dir.resolve("labels-" + name);
            ImageFileWriter.writeLabels(new LabelMap(4, 3, new int[12], half), l);
            assertThat(ImageFileReader.readLabels(l).spacing().x()).as(name).isCloseTo(0.0005, org.assertj.core.api.Assertions.within(1e-9));
        }
        Path none = dir.resolve("written-none.png");
        ImageFileWriter.writeImage8(new Image2D(4, 3, 1, new float[12], 255, PixelSpacing.UNIT), none);
        assertThat(ImageFileReader.read(none).spacing().unit()).isEqualTo("px");
    }

    private static void writePngWithPixelsPerMetre(Path f, int ppm) throws Exception {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata meta = writer.getDefaultImageMetadata(new javax.imageio.ImageTypeSpecifier(img), param);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        phys.setAttribute("pixelsPerUnitXAxis", Integer.toString(ppm));
        phys.setAttribute("pixelsPerUnitYAxis", Integer.toString(ppm));
        phys.setAttribute("unitSpecifier", "meter");
        root.appendChild(phys);
        meta.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(img, null, meta));
        }
        writer.dispose();
    }
}
