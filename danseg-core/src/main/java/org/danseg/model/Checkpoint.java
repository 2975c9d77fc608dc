package org.danseg.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.io.ImageFormatException;

/**
 * One checkpoint folder of a model ({@code last/} or {@code best/}): the networks' weights, the
 * optimizers' state and {@link CheckpointState}. Networks are named by role; their files are
 * ROLE.params ({@code sn}, {@code en}, {@code teacher}), optimizers ROLE_optimizer.ndlist.
 */
public record Checkpoint(Path dir) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** The networks a checkpoint can hold. */
    public enum Network {
        SN, EN, TEACHER;

        String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT) + ".params";
        }
    }

    public Path weights(Network network) {
        return dir.resolve(network.fileName());
    }

    /** The Adam state of the optimizer training {@code network} (SN or EN). */
    public Path optimizer(Network network) {
        return dir.resolve(network.name().toLowerCase(java.util.Locale.ROOT) + "_optimizer.ndlist");
    }

    public Path state() {
        return dir.resolve("state.json");
    }

    public boolean exists() {
        return Files.isRegularFile(state());
    }

    public void writeState(CheckpointState state) throws IOException {
        Files.writeString(state(), JSON.writeValueAsString(state) + "\n");
    }

    /** The saved state, checked against the run's length; a damaged file is named. */
    public CheckpointState readState(int iterations) throws ImageFormatException {
        try {
            CheckpointState state = JSON.readValue(state().toFile(), CheckpointState.class);
            if (state == null || state.nextIteration() < 0 || state.nextIteration() > iterations) {
                throw new IOException("iteration out of range");
            }
            return state;
        } catch (IOException e) {
            throw new ImageFormatException(state(), "damaged checkpoint state ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }
}
