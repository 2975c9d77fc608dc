import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
/** Args: two image sizes, two batch sizes. Is oneDNN right whenever oc % 16 == 0 and (ic < 16 or ic % 16 == 0)? */
public class Rule {
    public static void main(String[] a) {
        Engine.getInstance();
        int[] ics = {1, 2, 3, 4, 5, 8, 12, 15, 16, 17, 24, 32, 33, 48, 64, 96};
        int[] ocs = {1, 2, 3, 4, 8, 15, 16, 17, 24, 32, 48, 64};
        int[] sizes = {Integer.parseInt(a[0]), Integer.parseInt(a[1])};
        int[] batches = {Integer.parseInt(a[2]), Integer.parseInt(a[3])};
        int n = 0, predictedOkWrong = 0, predictedBadRight = 0, predictedBad = 0;
        StringBuilder bad = new StringBuilder();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k : new int[] {1, 3}) for (int h : sizes) for (int b : batches) for (int ic : ics) for (int oc : ocs) {
                if (h >= 32 && ic * oc > 2048 || h >= 64 && ic * oc > 512) continue;
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.randomUniform(0, 1, new Shape(b, ic, h, h)), w = s.randomNormal(new Shape(oc, ic, k, k)), g = s.randomNormal(new Shape(b, oc, h, h));
                    NDArray[] ref = run(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true), g.toType(DataType.FLOAT64, true), k);
                    NDArray[] r = run(x, w, g, k);
                    double e = Math.max(rel(r[0], ref[0]), Math.max(rel(r[1], ref[1]), rel(r[2], ref[2])));
                    boolean right = e < 1e-4;
                    boolean predicted = oc % 16 == 0 && (ic < 16 || ic % 16 == 0);
                    n++;
                    if (!predicted) predictedBad++;
                    if (predicted && !right) { predictedOkWrong++; bad.append(String.format("  k=%d %dx%d b=%d ic=%d oc=%d err %.2g%n", k, h, h, b, ic, oc, e)); }
                    if (!predicted && right) predictedBadRight++;
                }
            }
        }
        System.out.printf("%d shapes; rule says safe but wrong: %d; rule says unsafe: %d, of them right anyway: %d%n%s", n, predictedOkWrong, predictedBad, predictedBadRight, bad);
    }
    static double rel(NDArray a, NDArray ref) { return a.toType(DataType.FLOAT64, true).sub(ref).abs().max().getDouble() / ref.abs().max().getDouble(); }
    static NDArray[] run(NDArray x0, NDArray w0, NDArray g, int k) {
        NDArray x = x0.duplicate(), w = w0.duplicate();
        x.setRequiresGradient(true); w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Conv2d.conv2d(x, w, null, new Shape(1,1), new Shape(k/2,k/2), new Shape(1,1)).singletonOrThrow();
            gc.backward(y.mul(g).sum());
            return new NDArray[] {y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate()};
        }
    }
}
