package org.danseg.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where tensors live: the user's {@code --device cpu|gpu|auto}, resolved once per process. DJL
 * has one default device per engine and no setter for it, so danseg keeps its own choice here
 * and every root {@code NDManager} (training, inference, bench) is made on it.
 */
public enum ComputeDevice {
    CPU, GPU, AUTO;

    private static volatile Device selected;

    public static ComputeDevice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new org.danseg.io.BadInputException("--device must be cpu, gpu or auto, not " + text);
        }
    }

    /** Resolves this choice against the loaded engine and makes it the process's device. */
    public Device select() {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        Device device = switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new org.danseg.io.BadInputException("--device gpu: PyTorch sees no CUDA GPU (a CPU build, or no driver); "
                            + "build with mvn -Pcuda -DskipTests package on a machine with an NVIDIA driver for CUDA 12.4, or use --device cpu");
                }
                yield Device.gpu();
            }
        };
        selected = device;
        return device;
    }

    /** The selected device; before any selection, what {@code auto} gives. */
    public static Device current() {
        Device d = selected;
        return d != null ? d : AUTO.select();
    }

    /** Short name for logs and JSON: "cpu" or "gpu0". */
    public static String describe(Device device) {
        return device.isGpu() ? "gpu" + device.getDeviceId() : "cpu";
    }
}
