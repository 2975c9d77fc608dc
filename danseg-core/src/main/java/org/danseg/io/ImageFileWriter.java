package org.danseg.io;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes label maps (8-bit when every value fits, else 16-bit) and 8-bit images as PNG or TIFF,
 * chosen by the file extension, with the physical pixel size when there is one (PNG pHYs, TIFF
 * resolution tags: what the readers take it from). Every write is atomic.
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
        write(image, labels.spacing(), file);
    }

    /** Writes a [0, 1] probability plane (H, W) as a 16-bit grey image, 65535 = probability 1. */
    public static void writeProbability(float[] plane, int width, int height, Path file) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = new int[plane.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(Math.max(0f, Math.min(1f, plane[i])) * 65535f);
        }
        image.getRaster().setSamples(0, 0, width, height, 0, v);
        write(image, PixelSpacing.UNIT, file);
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
        write(image, img.spacing(), file);
    }

    private static void write(BufferedImage image, PixelSpacing spacing, Path file) throws IOException {
        String ext = ImageFiles.extension(file);
        String format = switch (ext) {
            case "png" -> "png";
            case "tif", "tiff" -> "tiff";
            default -> throw new ImageFormatException(file, "cannot write ." + ext + " (write .png or .tif)");
        };
        Iterator<ImageWriter> writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(image), format);
        if (!writers.hasNext()) {
            throw new ImageFormatException(file, "no " + format + " encoder for this image type");
        }
        ImageWriter writer = writers.next();
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
                    writer.write(null, new javax.imageio.IIOImage(image, null, physical(writer, image, param, spacing)), param);
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /** A TIFF rational field, to a thousandth. */
    private static IIOMetadataNode rational(int number, String name, double value) {
        IIOMetadataNode field = new IIOMetadataNode("TIFFField");
        field.setAttribute("number", Integer.toString(number));
        field.setAttribute("name", name);
        IIOMetadataNode rationals = new IIOMetadataNode("TIFFRationals");
        IIOMetadataNode r = new IIOMetadataNode("TIFFRational");
        r.setAttribute("value", Math.round(value * 1000) + "/1000");
        rationals.appendChild(r);
        field.appendChild(rationals);
        return field;
    }

    /** The writer's default metadata with the pixel size merged in (null: none to state). */
    private static IIOMetadata physical(ImageWriter writer, BufferedImage image, ImageWriteParam param, PixelSpacing spacing)
            throws IIOInvalidTreeException {
        if (!"mm".equals(spacing.unit())) {
            return null;
        }
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        if (metadata == null || metadata.isReadOnly()) {
            return null;
        }
        if ("javax_imageio_png_1.0".equals(metadata.getNativeMetadataFormatName())) {
            // The JDK PNG writer turned a standard-tree pixel size of 0.5 um into 1 m per pixel here: state pHYs itself.
            IIOMetadataNode png = new IIOMetadataNode("javax_imageio_png_1.0");
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", Long.toString(Math.round(1000 / spacing.x())));
            phys.setAttribute("pixelsPerUnitYAxis", Long.toString(Math.round(1000 / spacing.y())));
            phys.setAttribute("unitSpecifier", "meter");
            png.appendChild(phys);
            metadata.mergeTree("javax_imageio_png_1.0", png);
            return metadata;
        }
        if ("com_sun_media_imageio_plugins_tiff_image_1.0".equals(metadata.getNativeMetadataFormatName())) {
            // TwelveMonkeys 3.14.0 wrote a standard-tree 0.5 um as 2 m per pixel here: state the resolution tags (pixels per cm).
            IIOMetadataNode tiff = new IIOMetadataNode("com_sun_media_imageio_plugins_tiff_image_1.0");
            IIOMetadataNode ifd = new IIOMetadataNode("TIFFIFD");
            ifd.appendChild(rational(282, "XResolution", 10 / spacing.x()));
            ifd.appendChild(rational(283, "YResolution", 10 / spacing.y()));
            IIOMetadataNode unit = new IIOMetadataNode("TIFFField");
            unit.setAttribute("number", "296");
            unit.setAttribute("name", "ResolutionUnit");
            IIOMetadataNode shorts = new IIOMetadataNode("TIFFShorts");
            IIOMetadataNode centimetre = new IIOMetadataNode("TIFFShort");
            centimetre.setAttribute("value", "3");
            shorts.appendChild(centimetre);
            unit.appendChild(shorts);
            ifd.appendChild(unit);
            tiff.appendChild(ifd);
            metadata.mergeTree("com_sun_media_imageio_plugins_tiff_image_1.0", tiff);
            return metadata;
        }
        return null; // only PNG and TIFF are written (their standard trees turned 0.5 um into 1 m and 2 m here: native trees above)
    }
}
