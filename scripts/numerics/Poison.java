import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.convolutional.Conv2d;
/**
 * Is freed memory read? Fill the heap's free lists with NaN (PyTorch tensors of the sizes oneDNN's
 * reorder buffers will take, then freed), run one fp32 conv2d, count NaNs in its output.
 */
public class Poison {
    public static void main(String[] a) {
        int ic = Integer.parseInt(a[0]), oc = Integer.parseInt(a[1]), h = Integer.parseInt(a[2]);
        boolean poison = a.length > 3 && a[3].equals("poison");
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(1, ic, h, h)), w = m.randomNormal(new Shape(oc, ic, 3, 3));
            NDArray y64 = Conv2d.conv2d(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true), null, new Shape(1,1), new Shape(1,1), new Shape(1,1)).singletonOrThrow();
            for (int t = 0; t < 3; t++) {
                if (poison) {
                    for (long n : new long[] {1L * 32 * h * h, 1L * oc * 32 * 9, 32L * 32 * 9, 16L * 32 * 9, 1L * 16 * h * h}) {
                        NDArray[] junk = new NDArray[64];
                        for (int i = 0; i < junk.length; i++) junk[i] = m.full(new Shape(n), Float.NaN);
                        for (NDArray j : junk) j.close();
                    }
                }
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1,1), new Shape(1,1), new Shape(1,1)).singletonOrThrow();
                long nan = y.isNaN().sum().getLong();
                double err = y.toType(DataType.FLOAT64, true).sub(y64).abs().max().getDouble() / y64.abs().max().getDouble();
                System.out.printf("ic=%d oc=%d %dx%d %s run %d: NaN outputs %d of %d, max rel err (finite) %.3g%n", ic, oc, h, h, poison ? "after NaN-filled frees" : "plain", t, nan, y.size(), err);
            }
        }
    }
}
