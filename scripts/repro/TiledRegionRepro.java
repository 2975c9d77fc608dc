// Minimal repro, outside danseg, of a TwelveMonkeys imageio-tiff 3.14.0 failure (known, open:
// haraldk/TwelveMonkeys#746): reading a source region narrower than a tiled page fails with
// "Coordinate out of bounds!" for uncompressed, LZW and Deflate tiles; JPEG tiles read fine.
//
// Make the slides with libvips (Debian libvips-tools), then run with TwelveMonkeys on the class path:
//   python3 -c "import numpy as n; from PIL import Image; Image.fromarray((n.random.default_rng(1).random((1000,1500,3))*255).astype('uint8')).save('src.png')"
//   for c in none lzw deflate jpeg; do vips tiffsave src.png s_$c.tif --tile --tile-width 256 --tile-height 256 --pyramid --compression $c --bigtiff; done
//   M=~/.m2/repository/com/twelvemonkeys
//   CP=$(ls $M/imageio/imageio-{tiff,core,metadata}/3.14.0/*.jar $M/common/common-{image,io,lang}/3.14.0/*.jar | tr '\n' :)
//   java -cp "$CP" scripts/repro/TiledRegionRepro.java s_none.tif s_lzw.tif s_deflate.tif s_jpeg.tif
import java.awt.Rectangle;
import java.io.File;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

public class TiledRegionRepro {
    public static void main(String[] args) throws Exception {
        for (String name : args) {
            try (ImageInputStream in = ImageIO.createImageInputStream(new File(name))) {
                ImageReader reader = null;
                for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
                    ImageReader r = it.next();
                    if (r.getClass().getName().startsWith("com.twelvemonkeys")) {
                        reader = r;
                    }
                }
                reader.setInput(in);
                for (Rectangle region : new Rectangle[] {
                        new Rectangle(0, 0, 1500, 256),     // whole rows
                        new Rectangle(0, 0, 512, 256),      // narrower than the page, tile-aligned
                        new Rectangle(300, 300, 200, 100)}) { // narrower, unaligned
                    ImageReadParam p = reader.getDefaultReadParam();
                    p.setSourceRegion(region);
                    String what;
                    try {
                        what = "ok " + reader.read(0, p).getWidth();
                    } catch (Exception e) {
                        what = "FAILS: " + e;
                    }
                    System.out.println(name + " region " + region.x + "," + region.y + " " + region.width + "x" + region.height + ": " + what);
                }
                reader.dispose();
            }
        }
    }
}
