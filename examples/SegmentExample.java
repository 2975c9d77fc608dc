import java.nio.file.Path;
import org.danseg.infer.SavedModel;
import org.danseg.io.Image2D;
import org.danseg.io.ImageFileReader;

/**
 * Segments one image with a trained danseg model from plain Java, no command line involved.
 * Run from the repository root after a build (./danseg builds on first use):
 *   java -Dai.djl.offline=true -cp "danseg-core/target/danseg.jar:danseg-core/target/lib/*" examples/SegmentExample.java MODEL_DIR IMAGE
 */
public class SegmentExample {
    public static void main(String[] args) throws Exception {
        try (SavedModel model = SavedModel.load(Path.of(args[0]))) { // thread-safe: share it between threads
            Image2D image = ImageFileReader.read(Path.of(args[1]));
            int[] labels = model.segment(image); // row-major, one class label (0..K-1) per pixel
            long foreground = java.util.Arrays.stream(labels).filter(l -> l != 0).count();
            System.out.printf("%s: %d x %d, %.1f%% foreground%n", args[1], image.width(), image.height(), 100.0 * foreground / labels.length);
        }
    }
}
