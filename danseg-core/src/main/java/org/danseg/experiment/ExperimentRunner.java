package org.danseg.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.danseg.config.TrainConfig;
import org.danseg.data.AtlasStructure;
import org.danseg.data.DatasetException;
import org.danseg.data.SliceList;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.infer.SavedModel;
import org.danseg.io.AtomicFiles;
import org.danseg.io.ImageFiles;
import org.danseg.io.nifti.NiftiDataType;
import org.danseg.io.nifti.NiftiReader;
import org.danseg.io.nifti.NiftiVolume;
import org.danseg.io.nifti.NiftiWriter;
import org.danseg.io.nifti.VolumeReader;
import org.danseg.metrics.SetEvaluation;
import org.danseg.metrics.VolumeEvaluation;
import org.danseg.metrics.VolumeEvaluator;
import org.danseg.model.CheckpointState;
import org.danseg.model.ModelFolder;
import org.danseg.train.TrainingRun;

/**
 * Runs an experiment grid into DIR: DIR/data (generated or derived inputs), DIR/cells/ID (model,
 * predictions, result.json per cell), and after every cell DIR/results.csv, DIR/results.md and
 * DIR/results.png over the cells finished so far. A cell whose result.json exists is skipped (it
 * must have been run with the same resolved settings); an interrupted cell resumes from its last
 * checkpoint.
 */
public final class ExperimentRunner {

    private record CellRecord(String cell, Map<String, Object> settings, List<CellResult> results) {
    }

    private final ExperimentConfig config;
    private final Path base;
    private final Path out;
    private final PrintWriter log;
    /** The volume and its labels, read once for every cell's evaluation. */
    private NiftiVolume volumeImage;
    private NiftiVolume volumeTruth;

    /** @param base the folder relative paths in the config are resolved against (the config file's) */
    public ExperimentRunner(ExperimentConfig config, Path base, Path out, PrintWriter log) {
        this.config = config;
        this.base = base.toAbsolutePath().normalize();
        this.out = out.toAbsolutePath().normalize();
        this.log = log;
    }

    public List<CellResult> run() throws IOException, DatasetException, InterruptedException {
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("experiment.json"), ExperimentConfig.JSON.writeValueAsString(config) + "\n");
        List<Cell> cells = config.cells();
        requireReferenceScript();
        // Every cell's settings are resolved (and so validated) before the first one trains.
        Map<Cell, TrainConfig> settings = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (!c.reference()) {
                settings.put(c, trainConfig(c, true));
            }
        }
        List<CellResult> all = new ArrayList<>();
        int done = 0;
        for (Cell c : cells) {
            done++;
            Path dir = out.resolve("cells").resolve(c.id());
            Path resultFile = dir.resolve("result.json");
            if (c.reference()) {
                List<CellResult> results = runReference(c, dir, resultFile, done, cells.size());
                if (results != null) {
                    all.addAll(results);
                    writeResults(all);
                }
                continue;
            }
            TrainConfig tc = trainConfig(c, false);
            Map<String, Object> resolved = asMap(tc);
            if (Files.exists(resultFile)) {
                CellRecord previous = ExperimentConfig.JSON.readValue(resultFile.toFile(), CellRecord.class);
                if (!sameSettings(previous.settings(), resolved)) {
                    throw new org.danseg.io.BadInputException(resultFile + ": this cell finished with other settings than the config now gives; "
                            + "use a new --out, or delete " + dir + " to rerun it");
                }
                all.addAll(previous.results());
                log.printf("[%d/%d] %s: done before, skipped%n", done, cells.size(), c.id());
                log.flush();
                continue;
            }
            log.printf("[%d/%d] %s: training %d iterations%n", done, cells.size(), c.id(), tc.optimisation().iterations());
            log.flush();
            List<CellResult> results = runCell(c, tc, dir);
            AtomicFiles.writeString(resultFile, ExperimentConfig.JSON.writeValueAsString(new CellRecord(c.id(), resolved, results)) + "\n");
            for (CellResult r : results) {
                log.printf(Locale.ROOT, "      %s: Dice %.4f, object F1 %.4f, object Dice %.4f, HD95 %.2f %s (%.0f s training)%n",
                        r.evaluation(), r.dice(), r.objectF1(), r.objectDice(), r.hd95(), r.distanceUnit(), r.trainSeconds());
            }
            log.flush();
            all.addAll(results);
            writeResults(all);
        }
        writeResults(all);
        return all;
    }

    private ReferenceRun referenceRun;

    /** A reference cell: skipped before, run now, or left out (null) where its Python cannot run it. */
    private List<CellResult> runReference(Cell c, Path dir, Path resultFile, int done, int total) throws IOException, DatasetException, InterruptedException {
        ReferenceRun ref = referenceRun();
        Path subset = budgetDataset(c.budget().annotated(), c.seed());
        List<String> names = annotatedNames(c);
        Map<String, Object> settings = ref.settings(c.mode(), c.seed(), names);
        if (Files.exists(resultFile)) {
            CellRecord previous = ExperimentConfig.JSON.readValue(resultFile.toFile(), CellRecord.class);
            if (!previous.settings().equals(settings)) {
                throw new org.danseg.io.BadInputException(resultFile + ": this reference cell finished with another script, mode, seed or images "
                        + "than the config now gives; use a new --out, or delete " + dir + " to rerun it");
            }
            log.printf("[%d/%d] %s: done before, skipped%n", done, total, c.id());
            log.flush();
            return previous.results();
        }
        String unavailable = ref.unavailable();
        if (unavailable != null) {
            log.printf("[%d/%d] %s: reference skipped: %s (set DANSEG_REFERENCE_PYTHON to a Python with torch)%n", done, total, c.id(), unavailable);
            log.flush();
            return null;
        }
        log.printf("[%d/%d] %s: the reference, %d iterations%n", done, total, c.id(), config.reference().iterations());
        log.flush();
        Path data = out.resolve("data").resolve("reference-" + c.budget().annotated() + "-seed" + c.seed());
        ReferenceRun.Result r = ref.run(c.mode(), c.budget().annotated(), c.seed(), subset, unannotatedImages(), testImages(), data, dir);
        List<CellResult> results = List.of(new CellResult(c.budget().label(), c.budget().annotated(), c.variant().name(), c.mode(), c.seed(), "test",
                r.dice(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, "px", r.seconds(), null, String.join(";", names)));
        AtomicFiles.writeString(resultFile, ExperimentConfig.JSON.writeValueAsString(new CellRecord(c.id(), settings, results)) + "\n");
        log.printf(Locale.ROOT, "      test: Dice %.4f (mean per image %.4f) (%.0f s training)%n", r.dice(), r.meanImageDice(), r.seconds());
        log.flush();
        return results;
    }

    private ReferenceRun referenceRun() {
        if (referenceRun == null) {
            ExperimentConfig.Reference r = config.reference();
            String env = System.getenv("DANSEG_REFERENCE_PYTHON");
            String python = env != null && !env.isBlank() ? env : r.python();
            int threads = Integer.parseInt(String.valueOf(config.train().getOrDefault("threads", 0)));
            referenceRun = new ReferenceRun(Path.of(python), resolve(r.script()), r.iterations(),
                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors()); // danseg's 0 = all cores
        }
        return referenceRun;
    }

    private void requireReferenceScript() {
        if (config.reference() != null && !Files.isRegularFile(resolve(config.reference().script()))) {
            throw new org.danseg.io.BadInputException(resolve(config.reference().script()) + ": reference.script: no such file");
        }
    }

    private static Map<String, Object> asMap(TrainConfig tc) throws IOException {
        return ExperimentConfig.JSON.readValue(tc.toJson(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private void writeResults(List<CellResult> rows) throws IOException {
        StringBuilder csv = new StringBuilder(CellResult.CSV_HEADER).append('\n');
        rows.forEach(r -> csv.append(r.csv()).append('\n'));
        AtomicFiles.writeString(out.resolve("results.csv"), csv.toString());
        ResultsSummary summary = new ResultsSummary(rows);
        AtomicFiles.writeString(out.resolve("results.md"), summary.markdown());
        ResultsPlot.write(summary, config.modes(), out.resolve("results.png"));
    }

    /** The cell's training settings; {@code dryRun} resolves data paths without preparing data. */
    private TrainConfig trainConfig(Cell c, boolean dryRun) throws IOException, DatasetException {
        Map<String, Object> keys = config.trainingKeys(c.variant());
        keys.put("mode", c.mode());
        keys.put("seed", c.seed());
        if (config.volume() != null) {
            keys.put("volume", List.of(resolve(config.volume().image()).toString()));
            keys.put("labels", List.of(dryRun ? resolve(config.volume().image()).toString() : labels().toString()));
            if (config.volume().axis() != null) {
                keys.put("axis", config.volume().axis());
            }
            keys.put("annotatedSlices", c.budget().annotatedSlices());
            keys.put("unannotatedSlices", c.budget().unannotatedSlices());
        } else {
            keys.put("annotated", dryRun ? out.toString() : budgetDataset(c.budget().annotated(), c.seed()).toString());
            keys.put("unannotated", dryRun ? out.toString() : unannotatedImages().toString());
        }
        return TrainConfig.resolve(null, TrainConfig.fromKeys(keys, "experiment config: train setting"));
    }

    /**
     * Whether a finished cell's settings are the config's: equal, except that a setting danseg gained since
     * may be missing from the older record when the config gives it its default (it changes nothing then).
     */
    static boolean sameSettings(Map<String, Object> previous, Map<String, Object> now) {
        for (Map.Entry<String, Object> e : now.entrySet()) {
            if (previous.containsKey(e.getKey())) {
                if (!java.util.Objects.equals(previous.get(e.getKey()), e.getValue())) {
                    return false;
                }
            } else {
                org.danseg.config.Setting s = org.danseg.config.Setting.ofKey(e.getKey());
                if (s == null || s.defaultValue() == null || !org.danseg.config.Setting.text(s.defaultValue()).equals(String.valueOf(e.getValue()))) {
                    return false;
                }
            }
        }
        return now.keySet().containsAll(previous.keySet());
    }

    /** A cell's training was stopped by a signal: nothing of it is scored, and a rerun continues it. */
    public static final class Stopped extends RuntimeException {
        private final String signal;

        Stopped(String signal, String message) {
            super(message);
            this.signal = signal;
        }

        public String signal() {
            return signal;
        }
    }

    private Path resolve(String path) {
        return base.resolve(path).normalize();
    }

    private List<CellResult> runCell(Cell c, TrainConfig tc, Path dir) throws IOException, DatasetException, InterruptedException {
        Path model = dir.resolve("model");
        boolean resume = new ModelFolder(model).hasCheckpoint(ModelFolder.LAST);
        TrainingRun run = TrainingRun.prepare(tc, model, resume, !resume);
        CheckpointState state = run.run(new TrainingRun.Listener() {
            @Override
            public void warning(String message) {
                log.println("      warning: " + message);
                log.flush();
            }
        });
        if (run.stoppedBy() != null) {
            // A stopped training is not a result: scoring it recorded a half-trained model as the cell's.
            throw new Stopped(run.stoppedBy(), c.id() + " stopped by " + run.stoppedBy() + " at iteration " + state.nextIteration()
                    + "; run the same command again to continue it");
        }
        return config.volume() != null ? evaluateVolume(c, tc, model, state.seconds()) : evaluateImages(c, model, dir, state.seconds());
    }

    private List<CellResult> evaluateImages(Cell c, Path model, Path dir, double seconds) throws IOException, DatasetException {
        Path test = testImages();
        Path predictions = dir.resolve("test-predictions");
        java.util.Map<String, Double> scores = TestSetEvaluation.segment(model, test, predictions);
        SetEvaluation e = TestSetEvaluation.score(predictions, test);
        String annotated = String.join(";", annotatedNames(c));
        return List.of(new CellResult(c.budget().label(), c.budget().annotated(), c.variant().name(), c.mode(), c.seed(), "test",
                e.dice(), e.objectF1(), e.objectDice(), e.objectHausdorff(), e.hd95(), e.distanceUnit(), seconds,
                scores.isEmpty() ? null : TestSetEvaluation.spearman(scores, e), annotated));
    }

    private List<CellResult> evaluateVolume(Cell c, TrainConfig tc, Path model, double seconds) throws IOException {
        if (volumeImage == null) {
            volumeImage = VolumeReader.read(resolve(config.volume().image()));
            volumeTruth = NiftiReader.read(labels());
        }
        NiftiVolume image = volumeImage;
        NiftiVolume truth = volumeTruth;
        NiftiVolume seg;
        try (SavedModel m = SavedModel.load(model)) {
            seg = m.segmentVolume(image, m.predictor(0, 0.25, 0, false));
        }
        // Written for inspection; the evaluation uses the segmentation in memory (no second read).
        NiftiWriter.write(seg, NiftiDataType.UINT8, model.getParent().resolve("prediction.nii.gz"));
        int annotated = SliceList.parse(c.budget().annotatedSlices()).size();
        List<CellResult> rows = new ArrayList<>();
        for (String evaluation : new String[] {"unannotated-slices", "volume"}) {
            List<Integer> slices = evaluation.equals("volume") ? null : SliceList.parse(c.budget().unannotatedSlices());
            VolumeEvaluation e = VolumeEvaluator.evaluate(seg.values(), truth.values(), truth.nx(), truth.ny(), truth.nz(), truth.spacing(),
                    tc.data().axis().index(), slices);
            rows.add(new CellResult(c.budget().label(), annotated, c.variant().name(), c.mode(), c.seed(), evaluation,
                    e.dice(), e.objectF1(), e.objectDice(), e.objectHausdorff(), e.hd95(), e.distanceUnit(), seconds, null,
                    c.budget().annotatedSlices().replace(',', ';')));
        }
        return rows;
    }

    // ---- data: generated once, reused by every cell and by a resumed experiment ----

    private Path synthPool() throws IOException {
        Path pool = out.resolve("data").resolve("pool");
        if (!Files.isDirectory(pool)) {
            Path tmp = out.resolve("data").resolve("pool.part");
            log.println("generating synthetic data in " + pool);
            log.flush();
            SynthDatasetWriter.write(config.synth(), tmp, true, null);
            Files.move(tmp, pool, StandardCopyOption.ATOMIC_MOVE);
        }
        return pool;
    }

    private Path annotatedPool() throws IOException {
        return config.synth() != null ? synthPool().resolve("annotated") : resolve(config.images().annotated());
    }

    private Path unannotatedImages() throws IOException {
        return config.synth() != null ? synthPool().resolve("unannotated") : resolve(config.images().unannotated());
    }

    private Path testImages() throws IOException {
        return config.synth() != null ? synthPool().resolve("test") : resolve(config.images().test());
    }

    /**
     * DIR/data/annotated-N-seedS (per seed) or DIR/data/annotated-N (first N by name): budget N's annotated
     * images of the pool with their masks ({@link AnnotatedSubset}).
     */
    private Path budgetDataset(int n, long seed) throws IOException, DatasetException {
        boolean perSeed = config.annotatedSubset().equals(ExperimentConfig.PER_SEED);
        String name = "annotated-" + n + (perSeed ? "-seed" + seed : "");
        Path target = out.resolve("data").resolve(name);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path pool = annotatedPool();
        List<Path> images = ImageFiles.list(pool.resolve("images"));
        if (images.size() < n) {
            throw new org.danseg.io.BadInputException(pool + ": budget " + n + " needs " + n + " annotated images, the pool has " + images.size());
        }
        Map<String, Path> masks = new LinkedHashMap<>();
        for (Path m : ImageFiles.list(pool.resolve("masks"))) {
            masks.put(ImageFiles.baseName(m), m);
        }
        Path tmp = out.resolve("data").resolve(name + ".part");
        if (Files.exists(tmp)) {
            org.danseg.io.Directories.deleteTree(tmp);
        }
        Files.createDirectories(tmp.resolve("images"));
        Files.createDirectories(tmp.resolve("masks"));
        for (Path image : perSeed ? AnnotatedSubset.drawn(images, n, seed) : images.subList(0, n)) {
            Path mask = masks.get(ImageFiles.baseName(image));
            if (mask == null) {
                throw new org.danseg.io.BadInputException(image + ": no mask with this name in " + pool.resolve("masks"));
            }
            Files.copy(image, tmp.resolve("images").resolve(image.getFileName()));
            Files.copy(mask, tmp.resolve("masks").resolve(mask.getFileName()));
        }
        if (Files.exists(pool.resolve("dataset.json"))) {
            Files.copy(pool.resolve("dataset.json"), tmp.resolve("dataset.json"));
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The base names of the cell's annotated images, as results.csv names them. */
    private List<String> annotatedNames(Cell c) throws IOException, DatasetException {
        return ImageFiles.list(budgetDataset(c.budget().annotated(), c.seed()).resolve("images")).stream().map(ImageFiles::baseName).toList();
    }

    /** The volume's label map: given, or derived from the atlas into DIR/data/labels.nii.gz. */
    private Path labels() throws IOException {
        ExperimentConfig.Volume v = config.volume();
        if (v.labels() != null) {
            return resolve(v.labels());
        }
        Path target = out.resolve("data").resolve("labels.nii.gz");
        if (!Files.exists(target)) {
            NiftiVolume selected = AtlasStructure.select(NiftiReader.read(resolve(v.atlas())), SliceList.parse(v.structure()));
            if (AtlasStructure.count(selected) == 0) {
                throw new org.danseg.io.BadInputException(resolve(v.atlas()) + ": no voxel has a value in " + v.structure());
            }
            Path tmp = out.resolve("data").resolve("labels.part.nii.gz");
            NiftiWriter.write(selected, NiftiDataType.UINT8, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }
}
