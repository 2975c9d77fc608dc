package org.danseg.cli;

import ai.djl.Device;
import org.danseg.runtime.ComputeDevice;
import picocli.CommandLine.Option;

/** {@code --device cpu|gpu|auto}, shared by every command that runs a network. */
final class DeviceOption {

    @Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|gpu|auto",
            description = "Where the networks run: gpu needs the CUDA build (mvn -Pcuda package); auto = gpu if PyTorch sees one (default: ${DEFAULT-VALUE}).")
    String device;

    /** Resolves and selects the device; a bad choice or a missing GPU becomes one line, exit 2. */
    Device select() {
        try {
            return ComputeDevice.parse(device).select();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }
}
