package org.danseg.io.slide;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Vector;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;
import org.danseg.io.AtomicFiles;
import org.danseg.io.PixelSpacing;

/**
 * A label mask as a tiled, pyramidal TIFF (8-bit grey, Deflate (zlib), 256-pixel tiles), the layout
 * QuPath, OpenSlide and tifffile open as a slide: level 0 then levels halved until one tile holds
 * the whole mask, the reduced ones marked as such (NewSubfileType 1), each with its pixel size in
 * the resolution tags when the slide had one. Written by the JDK's own TIFF writer (TwelveMonkeys'
 * cannot write tiles) from a {@link LabelRaster}, one tile at a time: memory stays at a tile.
 * Labels downsample by nearest neighbour, so every level holds only real labels.
 */
public final class PyramidalMask {
    public static final int TILE = 256;

    private PyramidalMask() {
    }

    public static void write(LabelRaster labels, PixelSpacing spacing, Path out) throws IOException {
        ImageWriter writer = tiledTiffWriter();
        try {
            AtomicFiles.writeVia(out, tmp -> {
                try (ImageOutputStream stream = ImageIO.createImageOutputStream(tmp.toFile())) {
                    writer.setOutput(stream);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setTiling(TILE, TILE, 0, 0);
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionType("ZLib"); // tag value 8 (Adobe Deflate); "Deflate" writes 32946, which OpenSlide refuses
                    // Quality 0.25 is zlib level 3: label tiles 2.4x larger than level 9 in a 24th of the time (1.3 ms
                    // a tile at 9, the JDK default, made writing a slide's mask a fifth of its prediction; docs/slides.md).
                    param.setCompressionQuality(0.25f);
                    writer.prepareWriteSequence(littleEndian(writer, param));
                    for (int step = 1; ; step *= 2) {
                        LevelImage level = new LevelImage(labels, step);
                        IIOMetadata metadata = metadata(writer, level, param, step, spacing);
                        try {
                            writer.writeToSequence(new IIOImage(level, null, metadata), param);
                        } catch (UncheckedIOException e) {
                            throw e.getCause();
                        }
                        if (level.getWidth() <= TILE && level.getHeight() <= TILE) {
                            break;
                        }
                    }
                    writer.endWriteSequence();
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /** Stream metadata asking for little-endian: OpenSlide 3.4 refuses big-endian TIFF, the JDK writer's default. */
    private static IIOMetadata littleEndian(ImageWriter writer, ImageWriteParam param) throws IOException {
        IIOMetadata stream = writer.getDefaultStreamMetadata(param);
        String format = stream.getNativeMetadataFormatName();
        javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode(format);
        javax.imageio.metadata.IIOMetadataNode order = new javax.imageio.metadata.IIOMetadataNode("ByteOrder");
        order.setAttribute("value", "LITTLE_ENDIAN");
        root.appendChild(order);
        stream.setFromTree(format, root);
        return stream;
    }

    private static ImageWriter tiledTiffWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (w.getDefaultWriteParam().canWriteTiles()) {
                return w;
            }
            w.dispose();
        }
        throw new IllegalStateException("no TIFF writer that writes tiles (the JDK's javax.imageio TIFF plugin is missing)");
    }

    private static IIOMetadata metadata(ImageWriter writer, RenderedImage level, ImageWriteParam param, int step, PixelSpacing spacing)
            throws IOException {
        IIOMetadata defaults = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(level), param);
        TIFFDirectory dir = TIFFDirectory.createFromMetadata(defaults);
        BaselineTIFFTagSet base = BaselineTIFFTagSet.getInstance();
        if (step > 1) {
            dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_NEW_SUBFILE_TYPE), TIFFTag.TIFF_LONG, 1,
                    new long[] {BaselineTIFFTagSet.NEW_SUBFILE_TYPE_REDUCED_RESOLUTION}));
        }
        if (spacing.unit().equals("mm")) {
            // Pixels per centimetre as a rational with a micrometre-scale denominator.
            dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_RESOLUTION_UNIT), TIFFTag.TIFF_SHORT, 1,
                    new char[] {BaselineTIFFTagSet.RESOLUTION_UNIT_CENTIMETER}));
            dir.addTIFFField(rational(base, BaselineTIFFTagSet.TAG_X_RESOLUTION, 10.0 / (spacing.x() * step)));
            dir.addTIFFField(rational(base, BaselineTIFFTagSet.TAG_Y_RESOLUTION, 10.0 / (spacing.y() * step)));
        }
        return dir.getAsMetadata();
    }

    private static TIFFField rational(BaselineTIFFTagSet base, int tag, double value) {
        long den = 10_000;
        return new TIFFField(base.getTag(tag), TIFFTag.TIFF_RATIONAL, 1, new long[][] {{Math.round(value * den), den}});
    }

    /** One pyramid level as a RenderedImage whose tiles are read from the raster when the writer asks for them. */
    private static final class LevelImage implements RenderedImage {
        private final LabelRaster labels;
        private final int step;
        private final int width;
        private final int height;
        private final ColorModel colours = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8}, false, false,
                ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);

        LevelImage(LabelRaster labels, int step) {
            this.labels = labels;
            this.step = step;
            this.width = (labels.width() + step - 1) / step;
            this.height = (labels.height() + step - 1) / step;
        }

        @Override
        public Raster getData(Rectangle r) {
            Rectangle inside = r.intersection(new Rectangle(0, 0, width, height));
            SampleModel sm = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, r.width, r.height, 1, r.width, new int[] {0});
            byte[] bytes = new byte[r.width * r.height];
            if (!inside.isEmpty()) {
                try {
                    byte[] got = labels.read(inside.x, inside.y, inside.width, inside.height, step);
                    for (int j = 0; j < inside.height; j++) {
                        System.arraycopy(got, j * inside.width, bytes, (inside.y - r.y + j) * r.width + inside.x - r.x, inside.width);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Raster.createWritableRaster(sm, new DataBufferByte(bytes, bytes.length), new Point(r.x, r.y));
        }

        @Override
        public Raster getTile(int tx, int ty) {
            return getData(new Rectangle(tx * TILE, ty * TILE, TILE, TILE));
        }

        @Override
        public Raster getData() {
            return getData(new Rectangle(0, 0, width, height));
        }

        @Override
        public WritableRaster copyData(WritableRaster raster) {
            Rectangle r = raster == null ? new Rectangle(0, 0, width, height) : raster.getBounds();
            Raster data = getData(r);
            if (raster == null) {
                return (WritableRaster) data;
            }
            raster.setRect(data);
            return raster;
        }

        @Override
        public Vector<RenderedImage> getSources() {
            return null;
        }

        @Override
        public Object getProperty(String name) {
            return java.awt.Image.UndefinedProperty;
        }

        @Override
        public String[] getPropertyNames() {
            return null;
        }

        @Override
        public ColorModel getColorModel() {
            return colours;
        }

        @Override
        public SampleModel getSampleModel() {
            return new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, TILE, TILE, 1, TILE, new int[] {0});
        }

        @Override
        public int getWidth() {
            return width;
        }

        @Override
        public int getHeight() {
            return height;
        }

        @Override
        public int getMinX() {
            return 0;
        }

        @Override
        public int getMinY() {
            return 0;
        }

        @Override
        public int getNumXTiles() {
            return (width + TILE - 1) / TILE;
        }

        @Override
        public int getNumYTiles() {
            return (height + TILE - 1) / TILE;
        }

        @Override
        public int getMinTileX() {
            return 0;
        }

        @Override
        public int getMinTileY() {
            return 0;
        }

        @Override
        public int getTileWidth() {
            return TILE;
        }

        @Override
        public int getTileHeight() {
            return TILE;
        }

        @Override
        public int getTileGridXOffset() {
            return 0;
        }

        @Override
        public int getTileGridYOffset() {
            return 0;
        }
    }
}
