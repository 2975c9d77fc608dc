package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.runtime.ComputeDevice;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device}: parsed strictly, a missing GPU is one line and exit 2, and bench records where it ran. */
class DeviceOptionTest {

    @TempDir
    Path dir;

    @AfterEach
    void backToAuto() {
        ComputeDevice.AUTO.select();
    }

    @Test
    void unknownDeviceIsOneLineAndExitTwo() {
        Cli r = Cli.run("bench", "--device", "tpu", "--width", "1", "--size", "32", "--iters", "1", "--warmup", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("danseg: --device must be cpu, gpu or auto, not tpu");
    }

    @Test
    void gpuWithoutOneIsRefusedBeforeAnyWork() {
        // The refusal is what a CPU build must say; on a CUDA machine this is reported as skipped, not passed.
        org.junit.jupiter.api.Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "a GPU is present");
        Path json = dir.resolve("b.json");
        Cli r = Cli.run("bench", "--device", "gpu", "--width", "1", "--size", "32", "--iters", "1", "--warmup", "0", "--json", json.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("--device gpu").contains("no CUDA GPU").contains("-Pcuda");
        assertThat(json).doesNotExist();
    }

    @Test
    void benchRecordsTheDeviceItRanOn() throws Exception {
        String device = Engine.getEngine("PyTorch").getGpuCount() > 0 ? "gpu" : "cpu";
        Path json = dir.resolve("b.json");
        Cli r = Cli.run("bench", "--device", device, "--mode", "supervised", "--width", "1", "--size", "64",
                "--annotated", "1", "--unannotated", "0", "--iters", "1", "--warmup", "0", "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(Files.readString(json));
        assertThat(result.get("device").asText()).isEqualTo(device.equals("gpu") ? "gpu0" : "cpu");
        assertThat(ComputeDevice.describe(ComputeDevice.current())).isEqualTo(result.get("device").asText());
    }
}
