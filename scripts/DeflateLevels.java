// The zlib levels for the pyramidal mask's tiles (docs/slides.md, "The mask"): time and size of one 256 x 256 label
// tile of round glands, and of an empty (glass) tile, at each level. Run: java scripts/DeflateLevels.java
import java.util.zip.Deflater;

public class DeflateLevels {
    public static void main(String[] args) {
        byte[] glass = new byte[256 * 256];
        byte[] labels = new byte[256 * 256];
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int cx = x % 97 - 48;
                int cy = y % 89 - 44;
                labels[y * 256 + x] = (byte) (cx * cx + cy * cy < 900 ? 1 : 0);
            }
        }
        byte[] out = new byte[100_000];
        for (int level = 1; level <= 9; level++) {
            for (byte[] tile : new byte[][] {glass, labels}) {
                Deflater d = new Deflater(level);
                long t0 = System.nanoTime();
                int n = 0;
                for (int k = 0; k < 3000; k++) {
                    d.setInput(tile);
                    d.finish();
                    n = d.deflate(out);
                    d.reset();
                }
                d.end();
                System.out.printf("level %d %s: %.1f us, %d bytes%n", level, tile == glass ? "glass " : "labels", (System.nanoTime() - t0) / 3000 / 1e3, n);
            }
        }
    }
}
