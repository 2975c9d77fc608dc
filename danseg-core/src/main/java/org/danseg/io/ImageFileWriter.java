package org.danseg.io;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes label maps (8-bit when every value fits, else 16-bit) and 8-bit images as PNG or TIFF,
 * chosen by the file extension. Every write is atomic.
 */
public final class ImageFileWriter {

    private ImageFileWriter() {
    }

    public static void writeLabels(LabelMap labels, Path file) throws IOException {
        int max = labels.maxValue();
        int min = java.util.Arrays.stream(labels.labels()).min().orElse(0);
        if (min < 0 || max > 65535) {
            throw new ImageFormatException(file, "label values " + min + ".." + max + " do not fit a 16-bit mask");
        }
        BufferedImage image = new BufferedImage(labels.width(), labels.height(),
                max < 256 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, labels.width(), labels.height(), 0, labels.labels());
        write(image, file);
    }

    /** Writes a [0, 1] probability plane (H, W) as a 16-bit grey image, 65535 = probability 1. */
    public static void writeProbability(float[] plane, int width, int height, Path file) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = new int[plane.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(Math.max(0f, Math.min(1f, plane[i])) * 65535f);
        }
        image.getRaster().setSamples(0, 0, width, height, 0, v);
        write(image, file);
    }

    /** Writes an image whose samples are already in 0..255 (values are rounded and clamped). */
    public static void writeImage8(Image2D img, Path file) throws IOException {
        int w = img.width();
        int h = img.height();
        if (img.channels() != 1 && img.channels() != 3) {
            throw new ImageFormatException(file, "cannot write " + img.channels() + " channels; 1 or 3 expected");
        }
        BufferedImage image = new BufferedImage(w, h, img.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int[] band = new int[w * h];
        for (int c = 0; c < img.channels(); c++) {
            for (int i = 0; i < band.length; i++) {
                band[i] = Math.max(0, Math.min(255, Math.round(img.data()[c * w * h + i])));
            }
            raster.setSamples(0, 0, w, h, c, band);
        }
        write(image, file);
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        String ext = ImageFiles.extension(file);
        String format = switch (ext) {
            case "png" -> "png";
            case "tif", "tiff" -> "tiff";
            default -> throw new ImageFormatException(file, "cannot write ." + ext + " (write .png or .tif)");
        };
        Iterator<javax.imageio.ImageWriter> writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(image), format);
        if (!writers.hasNext()) {
            throw new ImageFormatException(file, "no " + format + " encoder for this image type");
        }
        javax.imageio.ImageWriter writer = writers.next();
        try {
            AtomicFiles.write(file, out -> {
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(ios);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    if ("tiff".equals(format) && param.canWriteCompressed()) {
                        // Lossless and widely readable; the default would be uncompressed.
                        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                        param.setCompressionType("Deflate");
                    }
                    writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
                }
            });
        } finally {
            writer.dispose();
        }
    }
}
