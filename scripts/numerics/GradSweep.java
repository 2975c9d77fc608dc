import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Random;
/** fp32 conv2d forward, input gradient and weight gradient against float64, for a sweep of shapes. */
public class GradSweep {
    static double rel(NDArray a, NDArray ref) { return a.toType(DataType.FLOAT64, true).sub(ref).abs().max().getDouble() / Math.max(1e-12, ref.abs().max().getDouble()); }
    public static void main(String[] args) {
        int k = Integer.parseInt(args[0]), h = Integer.parseInt(args[1]);
        int[] ocs = {3, 8, 16, 32};
        Random r = new Random(1);
        int tested = 0;
        StringBuilder bad = new StringBuilder();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int oc : ocs) for (int ic = 1; ic <= 80; ic++) {
                NDArray[] out = new NDArray[6];
                for (int d = 0; d < 2; d++) {
                    DataType t = d == 0 ? DataType.FLOAT32 : DataType.FLOAT64;
                    Random rr = new Random(ic * 1000 + oc);
                    float[] x = new float[2*ic*h*h]; for (int i=0;i<x.length;i++) x[i]=rr.nextFloat();
                    float[] w = new float[oc*ic*k*k]; for (int i=0;i<w.length;i++) w[i]=(float)rr.nextGaussian();
                    float[] g = new float[2*oc*h*h]; for (int i=0;i<g.length;i++) g[i]=(float)rr.nextGaussian();
                    NDArray X = m.create(x, new Shape(2,ic,h,h)).toType(t, true), W = m.create(w, new Shape(oc,ic,k,k)).toType(t, true), G = m.create(g, new Shape(2,oc,h,h)).toType(t, true);
                    X.setRequiresGradient(true); W.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = Conv2d.conv2d(X, W, null, new Shape(1,1), new Shape(k/2,k/2), new Shape(1,1)).singletonOrThrow();
                        gc.backward(y.mul(G).sum());
                        out[d*3] = y.duplicate(); out[d*3+1] = X.getGradient().duplicate(); out[d*3+2] = W.getGradient().duplicate();
                    }
                }
                tested++;
                double ef = rel(out[0], out[3]), ex = rel(out[1], out[4]), ew = rel(out[2], out[5]);
                if (ef > 1e-4 || ex > 1e-4 || ew > 1e-4) bad.append(String.format("  ic=%d oc=%d: fwd %.2g, grad input %.2g, grad weight %.2g%n", ic, oc, ef, ex, ew));
            }
        }
        System.out.printf("k=%d %dx%d batch 2: %d shapes, wrong:%n%s", k, h, h, tested, bad.length() == 0 ? "  none\n" : bad);
    }
}
