package org.danseg.spark;

import java.io.Serializable;

/**
 * What one batch job segments, and how: shipped to every task, so it holds strings and numbers only.
 *
 * @param model     a model folder written by danseg train (a local or shared path, or any Hadoop URI)
 * @param inputs    a folder, a glob, or a text file listing one input path per line
 * @param out       the output folder: masks (or label volumes) and results.parquet
 * @param probabilities also each foreground class's probability map beside a 2D mask, as danseg predict --probabilities
 * @param threads   PyTorch threads per task (0: spark.task.cpus)
 * @param slides    the inputs are whole-slide images: each is cut into parts of {@code bandRows} tile rows, predicted as
 *                  separate tasks and joined into NAME.mask.tif and NAME.geojson, as danseg predict writes them
 * @param keepGlass run every tile of a slide (danseg predict --keep-glass)
 * @param bandRows  tile rows per task for slides (a 256-pixel tile at overlap 0.25 steps 192 pixels)
 */
public record SparkJobSettings(String model, String inputs, String out, String format, int tile, double overlap, boolean tta,
                               boolean probabilities, boolean force, int partitions, int threads, boolean slides, boolean keepGlass,
                               int bandRows) implements Serializable {

    /** Tile rows per slide part when not chosen: 16 (about 3 000 pixels at the default tiling; a few percent run twice). */
    public static final int DEFAULT_BAND_ROWS = 16;

    /** Settings for images and volumes. */
    public SparkJobSettings(String model, String inputs, String out, String format, int tile, double overlap, boolean tta, boolean probabilities,
                            boolean force, int partitions, int threads) {
        this(model, inputs, out, format, tile, overlap, tta, probabilities, force, partitions, threads, false, false, DEFAULT_BAND_ROWS);
    }

    public SparkJobSettings {
        require(model != null && inputs != null && out != null, "--model, --inputs and --out are required");
        require("png".equals(format) || "tif".equals(format), "--format must be png or tif, not " + format);
        require(tile >= 0, "--tile must be 0 (the default) or a positive number of pixels, not " + tile);
        require(overlap >= 0 && overlap <= 0.9, "--overlap must be a fraction in [0, 0.9], not " + overlap);
        require(partitions >= 0, "--partitions must be 0 (Spark's default parallelism) or positive, not " + partitions);
        require(threads >= 0, "--threads must be 0 (spark.task.cpus) or positive, not " + threads);
        require(bandRows >= 1, "--band-rows must be a positive number of tile rows, not " + bandRows);
        require(!(slides && probabilities), "--probabilities applies to images; a slide gets its pyramidal mask");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
