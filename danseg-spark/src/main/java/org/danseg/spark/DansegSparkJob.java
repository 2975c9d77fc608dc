package org.danseg.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Segments a collection with a trained danseg model on Apache Spark (docs/scale.md):
 * {@code spark-submit --class org.danseg.spark.DansegSparkJob danseg-spark.jar --model M --inputs I --out O},
 * or {@link #run} from Java. Writes one mask (or label volume) per input, as {@code danseg predict}
 * does, and {@code OUT/results.parquet}: input, output, status, message, EN score, foreground
 * fraction, size, seconds. Bad inputs become error rows; a rerun skips finished inputs. With
 * {@code --slides}, whole-slide images, their tiles spread over every task ({@link SlideJob}).
 */
@Command(name = "danseg-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Segment a collection of images or volumes with a danseg model on Apache Spark.")
public final class DansegSparkJob implements Callable<Integer> {
    public static final String RESULTS = "results.parquet";

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model folder written by danseg train (any Hadoop path).")
    String model;

    @Option(names = "--inputs", required = true, paramLabel = "DIR|GLOB|LIST.txt", description = "A folder, a glob, or a text file of paths.")
    String inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder: masks and " + RESULTS + ".")
    String out;

    @Option(names = "--format", defaultValue = "png", paramLabel = "png|tif", description = "2D mask format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--tile", defaultValue = "0", paramLabel = "PX", description = "Sliding-window tile, as danseg predict (default 0: the model's).")
    int tile;

    @Option(names = "--overlap", defaultValue = "0.25", paramLabel = "F", description = "Tile overlap (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Option(names = "--tta", description = "Flip test-time augmentation, as danseg predict --tta.")
    boolean tta;

    @Option(names = "--probabilities", description = "Also write each foreground class's probability map (NAME_prob<k>), as danseg predict does.")
    boolean probabilities;

    @Option(names = "--force", description = "Redo inputs whose outputs exist (default: skip them).")
    boolean force;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Tasks (default 0: Spark's default parallelism).")
    int partitions;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "T", description = "PyTorch threads per task (default 0: spark.task.cpus).")
    int threads;

    @Option(names = "--slides", description = {"The inputs are whole-slide images (.svs, tiled pyramidal .tif): each is cut into parts of",
            "--band-rows tile rows predicted as separate tasks and joined into NAME.mask.tif and NAME.geojson (docs/scale.md)."})
    boolean slides;

    @Option(names = "--keep-glass", description = "Slides: run every tile, glass too (danseg predict --keep-glass).")
    boolean keepGlass;

    @Option(names = "--band-rows", defaultValue = "" + SparkJobSettings.DEFAULT_BAND_ROWS, paramLabel = "N",
            description = "Slides: tile rows per task (default: ${DEFAULT-VALUE}).")
    int bandRows;

    public static void main(String[] args) {
        int code = new CommandLine(new DansegSparkJob()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws IOException {
        SparkJobSettings settings = new SparkJobSettings(model, inputs, out, format, tile, overlap, tta, probabilities, force, partitions, threads,
                slides, keepGlass, bandRows);
        SparkSession spark = SparkSession.builder().appName("danseg").getOrCreate();
        try {
            List<SegmentationResult> results = run(spark, settings).collectAsList();
            long ok = results.stream().filter(r -> r.getStatus().equals(SegmentationResult.OK)).count();
            long skipped = results.stream().filter(r -> r.getStatus().equals(SegmentationResult.SKIPPED)).count();
            long errors = results.size() - ok - skipped;
            System.out.printf("segmented %d, skipped %d (done before), %d error(s); results in %s/%s%n", ok, skipped, errors, out, RESULTS);
            return errors > 0 ? 2 : 0;
        } finally {
            spark.stop();
        }
    }

    /** Runs the job and writes OUT/results.parquet; returns the results. */
    public static Dataset<SegmentationResult> run(SparkSession spark, SparkJobSettings settings) throws IOException {
        var conf = spark.sparkContext().hadoopConfiguration();
        Map<String, String> outputs = InputListing.list(settings.inputs(), settings.out(), settings.format(), settings.slides(), conf);
        if (settings.slides()) {
            List<SegmentationResult> slideResults = SlideJob.run(spark, settings, outputs);
            Dataset<SegmentationResult> results = spark.createDataset(slideResults, Encoders.bean(SegmentationResult.class)).cache();
            results.orderBy("input").write().mode(SaveMode.Overwrite).parquet(new org.apache.hadoop.fs.Path(settings.out(), RESULTS).toString());
            return results;
        }
        List<Row> rows = new ArrayList<>();
        outputs.forEach((in, o) -> rows.add(RowFactory.create(in, o)));
        StructType schema = new StructType().add("input", DataTypes.StringType).add("output", DataTypes.StringType);
        int n = settings.partitions() > 0 ? settings.partitions() : Math.min(rows.size(), spark.sparkContext().defaultParallelism());
        Dataset<Row> work = spark.createDataFrame(rows, schema).repartition(Math.max(1, n));
        Dataset<SegmentationResult> results = work.mapPartitions(new SegmentPartition(settings, new SerializableConfiguration(conf)),
                Encoders.bean(SegmentationResult.class)).cache();
        results.orderBy("input").write().mode(SaveMode.Overwrite).parquet(new org.apache.hadoop.fs.Path(settings.out(), RESULTS).toString());
        return results;
    }
}
