// Minimal repro, outside danseg, of why danseg reads float TIFF samples through ImageReader.readRaster: TwelveMonkeys
// imageio-tiff 3.14.0 clamps 32-bit float samples to [0, 1] in the BufferedImage that ImageIO.read returns (a display
// range: -5 -> 0, 3 -> 1, +Infinity -> 1; NaN passes), while its readRaster keeps the file's values. This is the
// library's documented choice (haraldk/TwelveMonkeys issues 387 and 775, PR 881), not a bug, but a reader that trusts
// the BufferedImage turns out-of-range intensities into plausible ones without a word.
//
// The file is written here by hand (one row, one strip, uncompressed, SampleFormat 3), so nothing else is needed:
//   M=~/.m2/repository/com/twelvemonkeys
//   CP=$(ls $M/imageio/imageio-{tiff,core,metadata}/3.14.0/*.jar $M/common/common-{image,io,lang}/3.14.0/*.jar | tr '\n' :)
//   java -cp "$CP" scripts/repro/FloatTiffClampRepro.java
//   -> reader com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReader
//      file:       [0.25, -5.0, 3.0, Infinity, NaN]
//      read:       [0.25, 0.0, 1.0, 1.0, NaN]
//      readRaster: [0.25, -5.0, 3.0, Infinity, NaN]        (2026-12-06)
import java.awt.image.Raster;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

public class FloatTiffClampRepro {
    public static void main(String[] args) throws Exception {
        float[] values = {0.25f, -5f, 3f, Float.POSITIVE_INFINITY, Float.NaN};
        File file = File.createTempFile("float", ".tif");
        Files.write(file.toPath(), floatTiff(values));
        System.out.println("file:       " + Arrays.toString(values));
        try (ImageInputStream in = ImageIO.createImageInputStream(file)) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            System.out.println("reader " + reader.getClass().getName());
            reader.setInput(in);
            System.out.println("read:       " + Arrays.toString(row(reader.read(0).getRaster())));
            System.out.println("readRaster: " + Arrays.toString(row(reader.readRaster(0, null))));
        }
        file.delete();
    }

    private static float[] row(Raster r) {
        return r.getSamples(0, 0, r.getWidth(), 1, 0, new float[r.getWidth()]);
    }

    /** Little-endian TIFF: width n, height 1, 32 bits per sample, no compression, BlackIsZero, one strip, float samples. */
    private static byte[] floatTiff(float[] values) {
        int[][] tags = {{256, 4, values.length}, {257, 3, 1}, {258, 3, 32}, {259, 3, 1}, {262, 3, 1}, {273, 4, 0},
                {277, 3, 1}, {278, 3, 1}, {279, 4, 4 * values.length}, {339, 3, 3}};
        int data = 8 + 2 + tags.length * 12 + 4;
        tags[5][2] = data;
        ByteBuffer b = ByteBuffer.allocate(data + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) tags.length);
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
            if (t[1] == 4) {
                b.putInt(t[2]);
            } else {
                b.putShort((short) t[2]).putShort((short) 0);
            }
        }
        b.putInt(0);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
