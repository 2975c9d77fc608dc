package org.danseg.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Reads PNG, BMP, JPEG and TIFF (8/16-bit integer or 32-bit float, grey or RGB, multi-page TIFF
 * as a stack) through ImageIO; TwelveMonkeys' TIFF plugin is on the classpath for the TIFF
 * variants the JDK's own reader refuses.
 */
public final class ImageFileReader {

    /** Resolutions that image software writes by default, not measurements (72 and 96 dpi). */
    private static final double[] DEFAULT_DPI_MM = {25.4 / 72.0, 25.4 / 96.0};

    private ImageFileReader() {
    }

    /** One single-page image; a multi-page file is refused with a message saying how many pages it has. */
    public static Image2D read(Path file) throws IOException {
        List<Image2D> pages = readStack(file);
        if (pages.size() != 1) {
            throw new ImageFormatException(file, "holds " + pages.size() + " pages; a 2D image must have exactly one");
        }
        return pages.get(0);
    }

    /** Every page of the file, in order (one for PNG, BMP and JPEG). */
    public static List<Image2D> readStack(Path file) throws IOException {
        List<Image2D> pages = new ArrayList<>();
        for (Page page : readPages(file, false)) {
            pages.add(toImage(file, page));
        }
        return pages;
    }

    /** One single-channel label image: raw sample values, palette indices for palette PNGs. */
    public static LabelMap readLabels(Path file) throws IOException {
        List<Page> pages = readPages(file, true);
        if (pages.size() != 1) {
            throw new ImageFormatException(file, "holds " + pages.size() + " pages; a 2D mask must have exactly one");
        }
        return toLabels(file, pages.get(0));
    }

    /** A decoded page; {@code samples} holds the file's own values (see {@link #readPages}). */
    private record Page(BufferedImage image, Raster samples, PixelSpacing spacing) {
    }

    /** What an image file's header says, read without decoding its pixels. */
    public record Header(int width, int height, int channels, int pages) {
    }

    /**
     * The file's size, channels and pages from its header alone, with the same checks
     * {@link #read} makes before decoding (an unreadable file, a size beyond the memory budget).
     */
    public static Header probe(Path file) throws IOException {
        return withReader(file, reader -> {
            int count = reader.getNumImages(true);
            if (count < 1) {
                throw new ImageFormatException(file, "contains no image");
            }
            checkSize(file, reader.getWidth(0), reader.getHeight(0));
            javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type == null) {
                Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
                type = types.hasNext() ? types.next() : null;
            }
            int channels = 0;
            if (type != null) {
                ColorModel cm = type.getColorModel();
                if (cm instanceof IndexColorModel icm) {
                    channels = isGreyPalette(icm) ? 1 : 3;
                } else {
                    int bands = type.getSampleModel().getNumBands();
                    channels = cm != null && cm.hasAlpha() ? bands - 1 : bands;
                }
            }
            return new Header(reader.getWidth(0), reader.getHeight(0), channels, count);
        });
    }

    /**
     * Refuses an image whose decoding would not fit: about 24 bytes per pixel are held while it is
     * decoded and converted (the decoded raster, the float planes), against the heap's size.
     */
    private static void checkSize(Path file, int width, int height) throws ImageFormatException {
        long pixels = (long) width * height;
        long need = pixels * 24;
        long heap = Runtime.getRuntime().maxMemory();
        if (width <= 0 || height <= 0) {
            throw new ImageFormatException(file, "has an invalid size in its header (" + width + "x" + height + ")");
        }
        if (pixels * 3 > Integer.MAX_VALUE - 8 || need > heap * 0.8) {
            throw new ImageFormatException(file, String.format(java.util.Locale.ROOT,
                    "is %dx%d pixels: decoding it needs about %.1f GB, more than danseg's %.1f GB of memory "
                            + "(raise it with DANSEG_JAVA_OPTS=-Xmx..., or split the image into tiles)", width, height, need / 1e9, heap / 1e9));
        }
    }

    private interface ReaderWork<T> {
        T apply(javax.imageio.ImageReader reader) throws IOException;
    }

    private static <T> T withReader(Path file, ReaderWork<T> work) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, "no such file");
        }
        FileReads.opened(file);
        ImageStructure.check(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageFormatException(file, "cannot be opened");
            }
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFormatException(file, "not a readable image (supported: PNG, BMP, JPEG, TIFF)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, false);
                return work.apply(reader);
            } catch (ImageFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new ImageFormatException(file, "unreadable or truncated image (" + why + ")", e);
            } catch (OutOfMemoryError e) {
                throw new ImageFormatException(file, "too large to decode in danseg's memory (raise it with DANSEG_JAVA_OPTS=-Xmx...)");
            } finally {
                reader.dispose();
            }
        }
    }

    private static List<Page> readPages(Path file, boolean labels) throws IOException {
        return withReader(file, reader -> {
            if (labels && reader.getFormatName().equalsIgnoreCase("jpeg")) {
                throw new ImageFormatException(file, "is a JPEG: its lossy compression changes label values along every edge; "
                        + "save masks as PNG or TIFF");
            }
            int count = reader.getNumImages(true);
            if (count < 1) {
                throw new ImageFormatException(file, "contains no image");
            }
            List<Page> pages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                checkSize(file, reader.getWidth(i), reader.getHeight(i));
                BufferedImage image = reader.read(i);
                // TwelveMonkeys clamps float samples to [0, 1] in a BufferedImage (a display range: -5 and +Inf
                // become 0 and 1); its raster read keeps the file's values, which the checks below need.
                Raster samples = isFloating(image.getRaster()) && reader.canReadRaster() ? reader.readRaster(i, null) : image.getRaster();
                pages.add(new Page(image, samples, spacingOf(reader.getImageMetadata(i))));
            }
            return pages;
        });
    }

    private static Image2D toImage(Path file, Page page) throws ImageFormatException {
        BufferedImage image = page.image();
        ColorModel cm = image.getColorModel();
        int w = image.getWidth();
        int h = image.getHeight();
        if (cm instanceof IndexColorModel icm) {
            return paletteToImage(image, icm, page.spacing());
        }
        Raster raster = page.samples();
        int bands = raster.getNumBands();
        int colourBands = cm != null && cm.hasAlpha() ? bands - 1 : bands;
        if (colourBands != 1 && colourBands != 3) {
            throw new ImageFormatException(file, "has " + colourBands + " colour channels; expected grey (1) or RGB (3)");
        }
        float[] data = new float[colourBands * w * h];
        float[] band = new float[w * h];
        boolean floating = isFloating(raster);
        for (int c = 0; c < colourBands; c++) {
            raster.getSamples(0, 0, w, h, c, band);
            if (floating) {
                requireUnitRange(file, band, w);
            }
            System.arraycopy(band, 0, data, c * w * h, w * h);
        }
        return new Image2D(w, h, colourBands, data, maxValue(raster), page.spacing());
    }

    private static Image2D paletteToImage(BufferedImage image, IndexColorModel icm, PixelSpacing spacing) {
        int w = image.getWidth();
        int h = image.getHeight();
        int n = w * h;
        boolean grey = isGreyPalette(icm);
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] data = new float[(grey ? 1 : 3) * n];
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            if (grey) {
                data[i] = p & 0xff;
            } else {
                data[i] = (p >> 16) & 0xff;
                data[n + i] = (p >> 8) & 0xff;
                data[2 * n + i] = p & 0xff;
            }
        }
        return new Image2D(w, h, grey ? 1 : 3, data, 255.0, spacing);
    }

    private static boolean isGreyPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static LabelMap toLabels(Path file, Page page) throws ImageFormatException {
        BufferedImage image = page.image();
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        if (isFloating(raster)) {
            throw new ImageFormatException(file, "stores floating-point samples; a mask must hold integer labels");
        }
        ColorModel cm = image.getColorModel();
        int bands = raster.getNumBands();
        int colourBands = cm != null && cm.hasAlpha() && !(cm instanceof IndexColorModel) ? bands - 1 : bands;
        int[] labels = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
        // Masks saved as RGB with equal channels are common; differing channels mean a colour-coded mask.
        int[] other = new int[w * h];
        for (int c = 1; c < colourBands; c++) {
            raster.getSamples(0, 0, w, h, c, other);
            for (int i = 0; i < labels.length; i++) {
                if (other[i] != labels[i]) {
                    throw new ImageFormatException(file, "is a colour image whose channels differ (pixel " + (i % w) + "," + (i / w)
                            + "); a mask must be a single-channel label image");
                }
            }
        }
        return new LabelMap(w, h, labels, page.spacing());
    }

    /** Only float and double samples can be NaN, infinite or outside [0, 1]: integer images skip the per-pixel check. */
    private static boolean isFloating(Raster raster) {
        int type = raster.getDataBuffer().getDataType();
        return type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE;
    }

    /** Float images are intensities in [0, 1] (their {@link #maxValue}); anything else is refused, never clamped. */
    private static void requireUnitRange(Path file, float[] band, int w) throws ImageFormatException {
        for (int i = 0; i < band.length; i++) {
            float v = band[i];
            if (!Float.isFinite(v)) {
                throw new ImageFormatException(file, "has a non-finite pixel value (" + v + " at " + (i % w) + "," + (i / w)
                        + "); replace NaN and infinite values before segmenting it");
            }
            if (v < 0f || v > 1f) {
                throw new ImageFormatException(file, "has a float pixel value outside [0, 1] (" + v + " at " + (i % w) + "," + (i / w)
                        + "); danseg reads float images as intensities in [0, 1]: rescale it, or save it as 8- or 16-bit");
            }
        }
    }

    private static double maxValue(Raster raster) {
        if (isFloating(raster)) {
            return 1.0;
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        return bits >= 31 ? Integer.MAX_VALUE : (1L << bits) - 1;
    }

    /** Physical pixel size from ImageIO's format-neutral metadata, when the file states a real one. */
    public static PixelSpacing spacingOf(IIOMetadata metadata) {
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return PixelSpacing.UNIT;
        }
        Node root = metadata.getAsTree("javax_imageio_1.0");
        Double x = null;
        Double y = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!"Dimension".equals(n.getNodeName())) {
                continue;
            }
            for (Node d = n.getFirstChild(); d != null; d = d.getNextSibling()) {
                Node value = d.getAttributes() == null ? null : d.getAttributes().getNamedItem("value");
                if (value == null) {
                    continue;
                }
                try {
                    if ("HorizontalPixelSize".equals(d.getNodeName())) {
                        x = Double.parseDouble(value.getNodeValue());
                    } else if ("VerticalPixelSize".equals(d.getNodeName())) {
                        y = Double.parseDouble(value.getNodeValue());
                    }
                } catch (NumberFormatException ignored) {
                    return PixelSpacing.UNIT;
                }
            }
        }
        if (x == null || y == null || !(x > 0) || !(y > 0) || x.isInfinite() || y.isInfinite()) {
            return PixelSpacing.UNIT;
        }
        if (isSoftwareDefault(x) && isSoftwareDefault(y)) {
            return PixelSpacing.UNIT;
        }
        return PixelSpacing.millimetres(x, y);
    }

    private static boolean isSoftwareDefault(double mm) {
        for (double d : DEFAULT_DPI_MM) {
            if (Math.abs(mm - d) < 2e-3 * d) { // PNG stores whole pixels per metre: 72 dpi is 2835
                return true;
            }
        }
        return false;
    }
}
