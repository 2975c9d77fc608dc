package org.danseg.io.slide;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.danseg.io.FileReads;
import org.danseg.io.ImageFileReader;
import org.danseg.io.ImageFormatException;
import org.danseg.io.ImageStructure;
import org.danseg.io.PixelSpacing;
import org.w3c.dom.Node;

/**
 * A whole-slide image of the TIFF family (generic tiled/pyramidal TIFF and BigTIFF as libvips
 * writes them, Aperio SVS, the first plane of an OME-TIFF), read region by region and never whole:
 * TwelveMonkeys' TIFF reader decodes only the tiles a region touches (JPEG, LZW, Deflate). The
 * pyramid is the tiled pages whose shape follows level 0's (SVS's thumbnail, label and macro pages
 * are stripped and are left out). Pixel size from the slide's own metadata: OME's PhysicalSizeX/Y,
 * Aperio's MPP, else TIFF's resolution tags; none found is {@link PixelSpacing#UNIT}.
 */
public final class Slide implements AutoCloseable {
    private final Path file;
    private final ImageInputStream in;
    private final ImageReader reader;
    private final List<SlideLevel> levels;
    /** Where each level is decoded: the main reader's page, or an OME SubIFD's own reader. */
    private final List<Source> sources;
    private final PixelSpacing spacing;
    private final int channels;
    /** Pages read as whole rows (see {@link #read}). */
    private final Set<Integer> wholeRowsOnly;

    /** A reader and the page of it that holds a level. */
    private record Source(ImageReader reader, ImageInputStream in, int page) {
    }

    private Slide(Path file, ImageInputStream in, ImageReader reader, List<SlideLevel> levels, List<Source> sources, PixelSpacing spacing,
                  int channels, Set<Integer> wholeRowsOnly) {
        this.file = file;
        this.sources = sources;
        this.wholeRowsOnly = wholeRowsOnly;
        this.in = in;
        this.reader = reader;
        this.levels = levels;
        this.spacing = spacing;
        this.channels = channels;
    }

    /**
     * Whether a file is a whole-slide image for danseg: an Aperio {@code .svs}, or a TIFF whose
     * first page is tiled and that holds a pyramid (more than one level). Plain TIFF images, also
     * large ones, stay images.
     */
    public static boolean isSlide(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svs")) {
            return true;
        }
        if (!(name.endsWith(".tif") || name.endsWith(".tiff") || name.endsWith(".btf")) || !Files.isRegularFile(file)) {
            return false;
        }
        try (Slide s = open(file)) {
            return s.levels().size() > 1 && s.levels().get(0).tileWidth() < s.width();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The name a slide's outputs are given: the file name without its image ending (.svs, .tif, .ome.tif, ...). */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ending : new String[] {".ome.tiff", ".ome.tif", ".ome.btf", ".svs", ".tiff", ".tif", ".btf"}) {
            if (lower.endsWith(ending) && lower.length() > ending.length()) {
                return name.substring(0, name.length() - ending.length());
            }
        }
        return name;
    }

    /** Opens a slide; a file that is not a readable tiled TIFF is refused with one line naming it. */
    public static Slide open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, "no such file");
        }
        FileReads.opened(file);
        ImageStructure.check(file);
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new ImageFormatException(file, "cannot be opened");
        }
        ImageReader reader = null;
        List<Source> sources = new ArrayList<>();
        try {
            reader = twelveMonkeys(in);
            if (reader == null) {
                throw new ImageFormatException(file, "not a TIFF-family slide (supported: tiled TIFF, BigTIFF, Aperio SVS, OME-TIFF)");
            }
            reader.setInput(in, false, false);
            int pages = reader.getNumImages(true);
            if (pages < 1) {
                throw new ImageFormatException(file, "contains no image");
            }
            int w0 = reader.getWidth(0);
            int h0 = reader.getHeight(0);
            if (w0 <= 0 || h0 <= 0) {
                throw new ImageFormatException(file, "has an invalid size in its header (" + w0 + "x" + h0 + ")");
            }
            List<SlideLevel> levels = new ArrayList<>();
            levels.add(new SlideLevel(0, w0, h0, reader.getTileWidth(0), reader.getTileHeight(0), 1.0));
            sources.add(new Source(reader, in, 0));
            checkTile(file, levels.get(0), reader.isImageTiled(0));
            for (int i = 1; i < pages; i++) {
                addLevel(file, levels, sources, new Source(reader, in, i), i);
            }
            if (levels.size() == 1 && reader.isImageTiled(0)) {
                // An OME-TIFF keeps its reduced levels as SubIFDs of the first page, outside the page chain.
                for (long ifd : SubIfds.of(file)) {
                    ImageInputStream s = SubIfds.stream(file, ifd);
                    ImageReader r = twelveMonkeys(s);
                    if (r == null) {
                        s.close();
                        continue;
                    }
                    try {
                        r.setInput(s, false, false);
                        if (!addLevel(file, levels, sources, new Source(r, s, 0), levels.size())) {
                            close(s, r);
                        }
                    } catch (IOException | RuntimeException e) {
                        close(s, r);
                        throw e;
                    }
                }
            }
            IIOMetadata metadata = reader.getImageMetadata(0);
            int bands = reader.getRawImageType(0) == null ? 3 : reader.getRawImageType(0).getNumBands();
            int colour = reader.getRawImageType(0) != null && reader.getRawImageType(0).getColorModel().hasAlpha() ? bands - 1 : bands;
            if (colour != 1 && colour != 3) {
                throw new ImageFormatException(file, "has " + colour + " colour channels; a slide must be grey (1) or RGB (3)");
            }
            PixelSpacing spacing = SlideMetadata.spacing(metadata, ImageFileReader.spacingOf(metadata));
            Set<Integer> wholeRows = new HashSet<>();
            for (int i = 0; i < levels.size(); i++) {
                Source source = sources.get(i);
                if (!jpegTiles(source.reader().getImageMetadata(source.page()))) {
                    wholeRows.add(levels.get(i).page());
                }
            }
            return new Slide(file, in, reader, List.copyOf(levels), List.copyOf(sources), spacing, colour, Set.copyOf(wholeRows));
        } catch (ImageFormatException e) {
            closeAll(in, reader, sources);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeAll(in, reader, sources);
            throw new ImageFormatException(file, "unreadable slide (" + why(e) + ")", e);
        }
    }

    /**
     * Adds {@code source}'s page as the next level when it is tiled, smaller than the last level and
     * of level 0's shape (SVS's stripped thumbnail, label and macro pages are not); its number in
     * messages is {@code number}. Whether it was added.
     */
    private static boolean addLevel(Path file, List<SlideLevel> levels, List<Source> sources, Source source, int number) throws IOException {
        ImageReader r = source.reader();
        int page = source.page();
        int w = r.getWidth(page);
        int h = r.getHeight(page);
        SlideLevel first = levels.get(0);
        SlideLevel last = levels.get(levels.size() - 1);
        if (w <= 0 || h <= 0) {
            return false;
        }
        double down = (double) first.width() / w;
        boolean sameShape = Math.abs((double) first.height() / h - down) <= Math.max(1.0, down) * 0.02 + 1.0 / Math.min(w, h) * down;
        if (!(r.isImageTiled(page) && w < last.width() && sameShape)) {
            return false;
        }
        SlideLevel level = new SlideLevel(number, w, h, r.getTileWidth(page), r.getTileHeight(page), down);
        checkTile(file, level, true);
        levels.add(level);
        sources.add(source);
        return true;
    }

    /** A TIFF reader for the stream, TwelveMonkeys' first ("tiff" or "bigtiff"): it decodes SVS's JPEG tiles with shared tables. */
    private static ImageReader twelveMonkeys(ImageInputStream in) throws IOException {
        ImageReader reader = null;
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            boolean tiff = r.getFormatName().toLowerCase(Locale.ROOT).contains("tif");
            if (tiff && (reader == null || r.getClass().getName().startsWith("com.twelvemonkeys"))) {
                if (reader != null) {
                    reader.dispose();
                }
                reader = r;
            } else {
                r.dispose();
            }
        }
        return reader;
    }

    /** The largest tile (or strip) danseg decodes: 4096 x 4096 pixels; a header claiming more would make the decoder allocate gigabytes. */
    static final long MAX_TILE_PIXELS = 4096L * 4096L;

    private static void checkTile(Path file, SlideLevel level, boolean tiled) throws ImageFormatException {
        // A tile is decoded whole at its declared size, however little of it lies inside the image (fuzzing: a
        // 626-byte file declaring 318 832 656 x 16 pixel tiles on a 48 x 40 image ran the reader out of heap); a
        // strip is as wide as the image and at most as high.
        long w = tiled ? level.tileWidth() : Math.min(level.tileWidth(), level.width());
        long h = tiled ? level.tileHeight() : Math.min(level.tileHeight(), level.height());
        if (level.tileWidth() <= 0 || level.tileHeight() <= 0 || w * h > MAX_TILE_PIXELS) {
            throw new ImageFormatException(file, "level " + level.page() + " has " + level.tileWidth() + "x" + level.tileHeight()
                    + " pixel tiles; danseg reads slides whose tiles are at most 4096 x 4096 (re-save it tiled, e.g. vips tiffsave --tile --pyramid)");
        }
    }

    /**
     * Whether a page's tiles are JPEG. TwelveMonkeys 3.14.0 fails on a source region narrower than a
     * tiled page whose tiles are not JPEG (uncompressed, LZW, Deflate: "Coordinate out of bounds!",
     * its open issue #746; minimal repro in scripts/repro/TiledRegionRepro.java), so such pages are
     * read as whole rows.
     */
    private static boolean jpegTiles(IIOMetadata metadata) {
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return false;
        }
        Node root = metadata.getAsTree("javax_imageio_1.0");
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("Compression".equals(n.getNodeName())) {
                for (Node d = n.getFirstChild(); d != null; d = d.getNextSibling()) {
                    Node value = d.getAttributes() == null ? null : d.getAttributes().getNamedItem("value");
                    if ("CompressionTypeName".equals(d.getNodeName()) && value != null) {
                        return value.getNodeValue().toUpperCase(Locale.ROOT).contains("JPEG");
                    }
                }
            }
        }
        return false;
    }

    private static String why(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void close(ImageInputStream in, ImageReader reader) throws IOException {
        if (reader != null) {
            reader.dispose();
        }
        in.close();
    }

    public Path file() {
        return file;
    }

    /** The pyramid, full resolution first. */
    public List<SlideLevel> levels() {
        return levels;
    }

    public int width() {
        return levels.get(0).width();
    }

    public int height() {
        return levels.get(0).height();
    }

    public int channels() {
        return channels;
    }

    /** The physical size of a level-0 pixel (mm), or {@link PixelSpacing#UNIT} when the slide does not say. */
    public PixelSpacing spacing() {
        return spacing;
    }

    /**
     * The region (x, y, w, h) of a level, in that level's pixels, as raw 8-bit samples (C, h, w)
     * in [0, 255]; it must lie inside the level. A tile that cannot be decoded is refused naming the
     * file, the level and the region.
     */
    public synchronized float[] read(SlideLevel level, int x, int y, int w, int h) throws IOException {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + (long) w > level.width() || y + (long) h > level.height()) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + w + "x" + h + " is outside level " + level.page()
                    + " (" + level.width() + "x" + level.height() + ")");
        }
        if (!wholeRowsOnly.contains(level.page()) || (x == 0 && w == level.width())) {
            return samples(region(level, x, y, w, h), channels);
        }
        // Whole rows, at most one tile row at a time (memory follows the level's width, not the region's height); the
        // region's columns are cut as a subimage (a view, no copy) before conversion.
        float[] out = new float[channels * w * h];
        int step = Math.max(1, level.tileHeight());
        for (int y0 = y; y0 < y + h; ) {
            int rows = Math.min(y + h, (y0 / step + 1) * step) - y0;
            float[] part = samples(region(level, 0, y0, level.width(), rows).getSubimage(x, 0, w, rows), channels);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(part, c * rows * w, out, (c * h + (y0 - y)) * w, rows * w);
            }
            y0 += rows;
        }
        return out;
    }

    private BufferedImage region(SlideLevel level, int x, int y, int w, int h) throws IOException {
        BufferedImage image;
        try {
            Source source = sources.get(levels.indexOf(level));
            ImageReadParam param = source.reader().getDefaultReadParam();
            param.setSourceRegion(new Rectangle(x, y, w, h));
            image = source.reader().read(source.page(), param);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "unreadable or truncated tile data in level " + level.page() + " at region "
                    + x + "," + y + " " + w + "x" + h + " (" + why(e) + ")", e);
        }
        if (image.getWidth() != w || image.getHeight() != h) {
            throw new ImageFormatException(file, "level " + level.page() + " decoded " + image.getWidth() + "x" + image.getHeight()
                    + " pixels for a " + w + "x" + h + " region at " + x + "," + y);
        }
        return image;
    }

    private static float[] samples(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[channels * w * h];
        Raster raster = image.getRaster();
        if (raster.getNumBands() >= channels) {
            float[] band = new float[w * h];
            for (int c = 0; c < channels; c++) {
                raster.getSamples(0, 0, w, h, c, band);
                System.arraycopy(band, 0, out, c * w * h, w * h);
            }
            return out;
        }
        // A palette or packed image: through its colour model.
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            if (channels == 1) {
                out[i] = p & 0xff;
            } else {
                out[i] = (p >> 16) & 0xff;
                out[w * h + i] = (p >> 8) & 0xff;
                out[2 * w * h + i] = p & 0xff;
            }
        }
        return out;
    }

    /** The coarsest level at least {@code minSide} pixels on its shorter side (level 0 if none is). */
    public SlideLevel overview(int minSide) {
        SlideLevel best = levels.get(0);
        for (SlideLevel l : levels) {
            if (Math.min(l.width(), l.height()) >= minSide) {
                best = l;
            }
        }
        return best;
    }

    @Override
    public void close() throws IOException {
        closeAll(in, reader, sources);
    }

    /** The main reader and the SubIFD levels' own readers and streams. */
    private static void closeAll(ImageInputStream in, ImageReader reader, List<Source> sources) throws IOException {
        for (Source s : sources) {
            if (s.reader() != reader) {
                close(s.in(), s.reader());
            }
        }
        close(in, reader);
    }
}
