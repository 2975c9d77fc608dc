import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.lang.invoke.*;
import jdk.incubator.foreign.*;
/** Does zero-filling every PyTorch CPU allocation (c10's caffe2_cpu_allocator_do_zero_fill flag) cure oneDNN's wrong convolutions? */
public class Fill {
    public static void main(String[] a) throws Throwable {
        Engine.getInstance();
        SymbolLookup look = SymbolLookup.loaderLookup();
        MemoryAddress flag = look.lookup("FLAGS_caffe2_cpu_allocator_do_" + a[0] + "_fill").get();
        MemorySegment seg = flag.asSegment(1, ResourceScope.globalScope());
        MemoryAccess.setByte(seg, (byte) 1);
        System.out.println(a[0] + " fill on");
        int[][] cases = {{24, 8, 16}, {24, 8, 32}, {4, 8, 16}, {3, 8, 16}, {10, 3, 16}, {24, 16, 16}, {48, 2, 32}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : cases) {
                int ic = c[0], oc = c[1], h = c[2];
                NDArray x = m.randomUniform(0, 1, new Shape(2, ic, h, h)), w = m.randomNormal(new Shape(oc, ic, 3, 3)), g = m.randomNormal(new Shape(2, oc, h, h));
                NDArray[] ref = run(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true), g.toType(DataType.FLOAT64, true));
                NDArray[] r = run(x, w, g);
                System.out.printf("ic=%d oc=%d %dx%d: fwd %.3g, grad input %.3g, grad weight %.3g%n", ic, oc, h, h, rel(r[0], ref[0]), rel(r[1], ref[1]), rel(r[2], ref[2]));
            }
        }
    }
    static double rel(NDArray a, NDArray ref) { return a.toType(DataType.FLOAT64, true).sub(ref).abs().max().getDouble() / ref.abs().max().getDouble(); }
    static NDArray[] run(NDArray x0, NDArray w0, NDArray g) {
        NDArray x = x0.duplicate(), w = w0.duplicate();
        x.setRequiresGradient(true); w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Conv2d.conv2d(x, w, null, new Shape(1,1), new Shape(1,1), new Shape(1,1)).singletonOrThrow();
            gc.backward(y.mul(g).sum());
            return new NDArray[] {y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate()};
        }
    }
}
