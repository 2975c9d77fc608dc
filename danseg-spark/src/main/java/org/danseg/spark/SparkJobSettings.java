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
 */
public record SparkJobSettings(String model, String inputs, String out, String format, int tile, double overlap, boolean tta,
                               boolean probabilities, boolean force, int partitions, int threads) implements Serializable {

    public SparkJobSettings {
        require(model != null && inputs != null && out != null, "--model, --inputs and --out are required");
        require("png".equals(format) || "tif".equals(format), "--format must be png or tif, not " + format);
        require(tile >= 0, "--tile must be 0 (the default) or a positive number of pixels, not " + tile);
        require(overlap >= 0 && overlap <= 0.9, "--overlap must be a fraction in [0, 0.9], not " + overlap);
        require(partitions >= 0, "--partitions must be 0 (Spark's default parallelism) or positive, not " + partitions);
        require(threads >= 0, "--threads must be 0 (spark.task.cpus) or positive, not " + threads);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
