package org.danseg.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.io.ImageFormatException;

/**
 * A network's weights file ({@code sn.params}, {@code en.params}, ...), loaded with every way it
 * can be damaged named: missing, truncated, saved from another network, or holding non-finite
 * numbers. DJL's own messages ("shape '[..]' is invalid", an index out of bounds) say none of that.
 */
public final class WeightFiles {

    private WeightFiles() {
    }

    /**
     * Loads {@code file} into {@code block} (already initialized with its shapes).
     *
     * @param network what the model folder says the network is, for the message ("dan-fcn, width 8, ...")
     */
    public static void load(Block block, NDManager manager, Path file, String network) throws ImageFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, "missing (the model folder is incomplete)");
        }
        // DJL takes the shapes from the file: weights of another width load "fine" and fail at the first forward pass.
        java.util.Map<String, ai.djl.ndarray.types.Shape> expected = new java.util.LinkedHashMap<>();
        block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new ImageFormatException(file, "holds more than the weights of " + network + "; it was saved from another network");
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new ImageFormatException(file, "truncated (it ends before the weights of " + network + " do)");
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new ImageFormatException(file, "not the weights of " + network + " (damaged, or saved from another network: " + why + ")");
        }
        for (var p : block.getParameters()) {
            ai.djl.ndarray.types.Shape shape = p.getValue().getArray().getShape();
            if (!shape.equals(expected.get(p.getKey()))) {
                throw new ImageFormatException(file, "holds " + p.getKey() + " of shape " + shape + " where " + network + " has "
                        + expected.get(p.getKey()) + "; it was saved from another network, or the model folder's settings were edited");
            }
        }
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            for (var p : block.getParameters()) {
                if (!Float.isFinite(p.getValue().getArray().sum().getFloat())) {
                    throw new ImageFormatException(file, "holds non-finite weights (" + p.getKey() + "); the training that wrote it diverged");
                }
            }
        }
    }
}
