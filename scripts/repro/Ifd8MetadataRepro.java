// Minimal repro, outside danseg, of a TwelveMonkeys imageio-tiff 3.14.0 failure: the native metadata tree
// of a page holding an IFD- or IFD8-typed tag with more than one value (the SubIFDs of an OME-TIFF pyramid
// of three or more levels, as tifffile writes them) cannot be built: "IllegalArgumentException: IFD8" (BigTIFF) or "IFD" (classic TIFF), thrown by
// TIFFImageMetadata.getMetadataArrayType ("IFD not used", "IFD8 not used" in its source). The standard
// tree's Text node still holds the ImageDescription.
//
// Make the files with tifffile (Debian python3-tifffile), then run with TwelveMonkeys on the class path:
//   python3 -c "import numpy as n, tifffile as t
//   a = (n.random.default_rng(1).random((600, 900, 3)) * 255).astype('uint8')
//   for big, f in [(True, 'big.ome.tif'), (False, 'classic.ome.tif')]:
//       with t.TiffWriter(f, bigtiff=big, ome=True) as w:
//           w.write(a, subifds=2, tile=(128, 128), photometric='rgb')
//           for k in (2, 4): w.write(a[::k, ::k], subfiletype=1, tile=(128, 128), photometric='rgb')"
//   -> big.ome.tif: native tree IllegalArgumentException: IFD8; standard tree ok
//      classic.ome.tif: native tree IllegalArgumentException: IFD; standard tree ok   (2026-12-06; with subifds=1, both ok)
//   M=~/.m2/repository/com/twelvemonkeys
//   CP=$(ls $M/imageio/imageio-{tiff,core,metadata}/3.14.0/*.jar $M/common/common-{image,io,lang}/3.14.0/*.jar | tr '\n' :)
//   java -cp "$CP" scripts/repro/Ifd8MetadataRepro.java big.ome.tif classic.ome.tif
import java.io.File;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;

public class Ifd8MetadataRepro {
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
                IIOMetadata m = reader.getImageMetadata(0);
                String nativeTree;
                try {
                    m.getAsTree(m.getNativeMetadataFormatName());
                    nativeTree = "ok";
                } catch (Exception e) {
                    nativeTree = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                String standard;
                try {
                    m.getAsTree("javax_imageio_1.0");
                    standard = "ok";
                } catch (Exception e) {
                    standard = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                System.out.println(name + ": native tree " + nativeTree + "; standard tree " + standard);
            }
        }
    }
}
