// Usage: java -Dai.djl.offline=true -cp "danseg-core/target/danseg.jar:danseg-core/target/lib/*" scripts/OnnxSessionTiming.java MODEL_DIR
import java.nio.file.Path;
import org.danseg.infer.*;
/** Times loading a model, exporting it to ONNX in memory, and building an ONNX Runtime session at each optimisation level (docs/performance.md). */
public class OnnxSessionTiming {
  public static void main(String[] a) throws Exception {
    long t0 = System.nanoTime();
    try (SavedModel m = SavedModel.load(Path.of(a[0]))) {
      long t1 = System.nanoTime();
      byte[] onnx = m.exportOnnx();
      long t2 = System.nanoTime();
      for (var lvl : ai.onnxruntime.OrtSession.SessionOptions.OptLevel.values()) {
        long s = System.nanoTime();
        try (OnnxTileNetwork n = new OnnxTileNetwork(onnx, 2, 32, 0, lvl)) { }
        System.out.printf("session %s %.2f s%n", lvl, (System.nanoTime() - s) / 1e9);
      }
      System.out.printf("load %.2f s, export %.2f s (%d bytes)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, onnx.length);
    }
  }
}
