package org.danseg.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.danseg.data.synth.SynthConfig;

/**
 * A grid of training runs: every (label budget, variant, mode, seed) on one dataset, each trained
 * with {@code train} (TrainConfig keys) overlaid by its variant's keys, then evaluated on held-out
 * data. The dataset is exactly one of {@code synth} (generated: a pool of annotated images from
 * which budget N draws N, unannotated and test images), {@code images} (a lab's own folders, same
 * roles) or {@code volume} (a real volume; budgets name annotated and unannotated slices).
 * {@code annotatedSubset}: {@code per-seed} (default) draws each seed's N images from the pool at
 * random, seeded (the same for every mode and variant of that seed, and budget N's images among
 * budget N+1's), so seeds measure what a lab gets from the images it happened to annotate;
 * {@code first} takes the first N by name for every seed, as grids before 2026-12-04 did.
 * {@code reference}, optional: the independent plain-PyTorch reference run on each (budget, seed)'s exact
 * images and seed beside danseg's cells, as variant {@code reference} (images only; skipped with a line in the
 * log where its Python cannot import torch).
 */
public record ExperimentConfig(
        Map<String, Object> train,
        List<String> modes,
        List<Long> seeds,
        List<Variant> variants,
        List<Budget> budgets,
        SynthConfig synth,
        Images images,
        Volume volume,
        String annotatedSubset,
        Reference reference) {

    /** How a budget's annotated images are chosen from the pool. */
    public static final String PER_SEED = "per-seed";
    public static final String FIRST = "first";

    /** A named set of training settings under study (e.g. context 0 vs 1); empty keys = the defaults. */
    public record Variant(String name, Map<String, Object> train) {
    }

    /**
     * Images: {@code annotated} = how many of the pool's images are annotated ({@code annotatedSubset} says which).
     * Volumes: {@code name}, {@code annotatedSlices} and {@code unannotatedSlices} (danseg's slice lists).
     */
    public record Budget(String name, Integer annotated, String annotatedSlices, String unannotatedSlices) {

        public String label() {
            return name != null ? name : annotated + " annotated";
        }
    }

    /**
     * The reference script ({@code ssl_anchor.py DATA MODE BUDGET SEED ITERS}; relative to the config file), the
     * Python to run it with (the environment's DANSEG_REFERENCE_PYTHON wins; default python3), the danseg modes
     * it runs (default supervised and fixmatch) and its iterations (default 1000).
     */
    public record Reference(String script, String python, List<String> modes, Integer iterations) {

        public Reference {
            modes = modes == null ? List.of("supervised", "fixmatch") : modes;
            iterations = iterations == null ? 1000 : iterations;
            python = python == null ? "python3" : python;
        }
    }

    /** The variant name the reference's cells and results go under. */
    public static final String REFERENCE_VARIANT = "reference";

    /** A lab's own data: an annotated pool (DIR/images + DIR/masks), unannotated images and a test set. */
    public record Images(String annotated, String unannotated, String test) {
    }

    /**
     * A volume and its labels, or an atlas from which {@code structure} (atlas values, e.g. 1-116)
     * becomes the binary label; evaluated on the unannotated slices and on the whole volume.
     */
    public record Volume(String image, String labels, String atlas, String structure, String axis) {
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    public ExperimentConfig {
        train = train == null ? Map.of() : train;
        modes = modes == null ? List.of("supervised", "dan") : modes;
        seeds = seeds == null ? List.of(1L) : seeds;
        variants = variants == null || variants.isEmpty() ? List.of(new Variant("default", Map.of())) : variants;
        annotatedSubset = annotatedSubset == null ? PER_SEED : annotatedSubset;
        require(annotatedSubset.equals(PER_SEED) || annotatedSubset.equals(FIRST), "annotatedSubset: per-seed or first, not " + annotatedSubset);
        int sources = (synth != null ? 1 : 0) + (images != null ? 1 : 0) + (volume != null ? 1 : 0);
        require(sources == 1, "give exactly one dataset: synth, images or volume");
        require(budgets != null && !budgets.isEmpty(), "budgets: at least one label budget is required");
        for (String m : modes) {
            require(org.danseg.config.Setting.MODE.choices().contains(m), "modes: one of " + String.join(", ", org.danseg.config.Setting.MODE.choices()) + ", not " + m);
        }
        require(!seeds.isEmpty(), "seeds: at least one seed");
        require(new LinkedHashSet<>(seeds).size() == seeds.size(), "seeds: each seed once");
        List<String> names = new ArrayList<>();
        for (Variant v : variants) {
            require(v.name() != null && v.name().matches("[A-Za-z0-9._-]+"), "variants: each needs a name of letters, digits, '.', '_' or '-'");
            names.add(v.name());
        }
        require(new LinkedHashSet<>(names).size() == names.size(), "variants: names must be unique");
        for (Budget b : budgets) {
            if (volume != null) {
                require(b.name() != null && b.name().matches("[A-Za-z0-9._+-]+") && b.annotatedSlices() != null && b.unannotatedSlices() != null,
                        "budgets: for a volume each needs name (letters, digits, . _ + -), annotatedSlices and unannotatedSlices");
            } else {
                require(b.annotated() != null && b.annotated() > 0, "budgets: for images each needs annotated > 0");
                require(synth == null || b.annotated() <= synth.annotated(),
                        "budgets: " + b.annotated() + " annotated images, but synth.annotated makes only " + synth.annotated());
            }
        }
        if (reference != null) {
            require(volume == null, "reference: runs on images only, not on a volume");
            require(reference.script() != null, "reference: needs script (the path of ssl_anchor.py)");
            require(reference.iterations() > 0, "reference: iterations must be > 0");
            for (String m : reference.modes()) {
                require(ReferenceRun.MODES.containsKey(m), "reference.modes: one of " + String.join(", ", new java.util.TreeSet<>(ReferenceRun.MODES.keySet())) + ", not " + m);
            }
            require(!names.contains(REFERENCE_VARIANT), "variants: '" + REFERENCE_VARIANT + "' names the reference's cells");
        }
        require(volume == null || volume.image() != null && (volume.labels() != null) != (volume.atlas() != null && volume.structure() != null),
                "volume: needs image and either labels or atlas + structure");
        require(images == null || images.annotated() != null && images.unannotated() != null && images.test() != null,
                "images: needs annotated, unannotated and test folders");
        for (String reserved : new String[] {"mode", "seed", "annotated", "unannotated", "val", "volume", "labels", "annotatedSlices", "unannotatedSlices"}) {
            require(!train.containsKey(reserved), "train: '" + reserved + "' is set by the grid itself, not in train");
            for (Variant v : variants) {
                require(v.train() == null || !v.train().containsKey(reserved), "variants." + v.name() + ": '" + reserved + "' is set by the grid itself");
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new org.danseg.io.BadInputException(message);
        }
    }

    public static ExperimentConfig read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), ExperimentConfig.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new org.danseg.io.BadInputException(file + ": " + cause.getMessage());
        } catch (IOException e) {
            throw new org.danseg.io.BadInputException(file + ": not a valid experiment config (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * Every cell in a fixed order: budget, variant, seed, mode (so a partial grid compares pairs early), each
     * budget's reference cells (seed, mode) after its variants.
     */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (Budget b : budgets) {
            for (Variant v : variants) {
                for (long seed : seeds) {
                    for (String mode : modes) {
                        cells.add(new Cell(b, v, mode, seed));
                    }
                }
            }
            if (reference != null) {
                Variant r = new Variant(REFERENCE_VARIANT, Map.of());
                for (long seed : seeds) {
                    for (String mode : reference.modes()) {
                        cells.add(new Cell(b, r, mode, seed));
                    }
                }
            }
        }
        return cells;
    }

    /** The training keys of a cell: train, then the variant's. */
    Map<String, Object> trainingKeys(Variant v) {
        Map<String, Object> m = new LinkedHashMap<>(train);
        if (v.train() != null) {
            m.putAll(v.train());
        }
        return m;
    }
}
