package org.danseg.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

/**
 * PyTorch's use of oneDNN (its {@code torch.backends.mkldnn.enabled} flag), which DJL does not
 * expose: read and set through {@code at::globalContext()} in the libtorch that DJL loaded, with
 * Java 17's foreign linker. Off, PyTorch runs its own convolutions (im2col and a matrix product).
 * The flag is read at every call, so it can change after the library loaded.
 */
public final class OneDnn {
    /** What the JVM needs for the switch. */
    public static final String JVM_FLAGS = "--add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED";
    private static final String MODULE = "jdk.incubator.foreign";

    private OneDnn() {
    }

    /** Why the switch cannot be used in this JVM, or null when it can. */
    public static String unavailable() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "the JVM runs without " + JVM_FLAGS;
        }
        try {
            Linked.get();
            return null;
        } catch (Throwable e) {
            // IllegalCallerException without --enable-native-access, a missing symbol in another libtorch.
            return "the switch could not be linked (" + e.getMessage() + ")";
        }
    }

    /** Whether PyTorch uses oneDNN now (true where the switch is unavailable: that is PyTorch's default). */
    public static boolean enabled() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return true;
        }
        try {
            return Linked.get().enabled();
        } catch (Throwable e) {
            return true;
        }
    }

    /** Switches PyTorch's use of oneDNN on or off; throws IllegalStateException with the reason where it cannot. */
    public static void setEnabled(boolean on) {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException("cannot switch oneDNN " + (on ? "on" : "off") + ": " + why);
        }
        Linked.get().set(on);
    }

    /** The two C++ calls, linked once; a separate class, so the JVM loads the foreign API only where the module is present. */
    private static final class Linked {
        private static Linked instance;
        private final MemoryAddress context;
        private final MethodHandle get;
        private final MethodHandle set;

        private Linked() throws Throwable {
            ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch into the application class loader
            SymbolLookup lookup = SymbolLookup.loaderLookup();
            CLinker linker = CLinker.getInstance();
            MethodHandle global = linker.downcallHandle(symbol(lookup, "_ZN2at13globalContextEv"), // at::globalContext()
                    MethodType.methodType(MemoryAddress.class), FunctionDescriptor.of(CLinker.C_POINTER));
            context = (MemoryAddress) global.invokeExact();
            get = linker.downcallHandle(symbol(lookup, "_ZNK2at7Context17userEnabledMkldnnEv"), // bool Context::userEnabledMkldnn() const
                    MethodType.methodType(byte.class, MemoryAddress.class), FunctionDescriptor.of(CLinker.C_CHAR, CLinker.C_POINTER));
            set = linker.downcallHandle(symbol(lookup, "_ZN2at7Context20setUserEnabledMkldnnEb"), // void Context::setUserEnabledMkldnn(bool)
                    MethodType.methodType(void.class, MemoryAddress.class, byte.class), FunctionDescriptor.ofVoid(CLinker.C_POINTER, CLinker.C_CHAR));
        }

        private static MemoryAddress symbol(SymbolLookup lookup, String name) {
            return lookup.lookup(name).orElseThrow(() -> new IllegalStateException("libtorch has no symbol " + name));
        }

        static synchronized Linked get() {
            if (instance == null) {
                try {
                    instance = new Linked();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return instance;
        }

        boolean enabled() {
            try {
                return (byte) get.invokeExact(context) != 0;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        void set(boolean on) {
            try {
                set.invokeExact(context, (byte) (on ? 1 : 0));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
