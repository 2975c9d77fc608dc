package org.danseg.infer;

import ai.djl.ndarray.NDManager;

/**
 * A network that turns tiles into class probabilities: SN through DJL ({@link DjlTileNetwork}) or
 * its ONNX export through ONNX Runtime ({@link OnnxTileNetwork}). Tiles come as raw samples
 * (count, C, tile, tile) that {@code scale} maps to [0, 1]; the result is (count, K, tile, tile). With {@code flips}, the
 * probabilities are the mean over the four flips (test-time augmentation).
 */
public interface TileNetwork {
    int classes();

    /** Tile sides must be a multiple of this. */
    int sizeMultiple();

    float[] probabilities(NDManager manager, float[] tiles, float scale, int count, int channels, int tile, boolean flips);
}
