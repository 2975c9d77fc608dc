package org.danseg.data;

import java.util.SplittableRandom;

/**
 * Draws the training batch of a given iteration. Every batch is a pure function of (seed,
 * iteration): the annotated and unannotated parts come from separate random streams, so a
 * supervised run and a DAN run with one seed see the very same annotated patches, and a resumed
 * run continues exactly where the interrupted one stopped.
 */
public final class PatchSampler {
    private static final long ANNOTATED_STREAM = 0x9E3779B97F4A7C15L;
    private static final long UNANNOTATED_STREAM = 0xC2B2AE3D27D4EB4FL;
    private static final long STRONG_STREAM = 0x165667B19E3779F9L;

    private final TrainingSet annotated;
    private final TrainingSet unannotated;
    private final int patch;
    private final long seed;
    private final Augmentation augmentation;

    public PatchSampler(TrainingSet annotated, TrainingSet unannotated, int patch, long seed, Augmentation augmentation) {
        this.annotated = annotated;
        this.unannotated = unannotated;
        this.patch = patch;
        this.seed = seed;
        this.augmentation = augmentation;
    }

    /** The batch of iteration {@code it}: {@code a} annotated patches, then {@code u} unannotated ones. */
    public Batch batch(int it, int a, int u) {
        return batch(it, a, u, null);
    }

    /**
     * The same batch plus, when {@code strong} is given, a strong view of every unannotated patch
     * drawn from a third random stream: the weak patches are identical with and without it.
     */
    public Batch batch(int it, int a, int u, StrongAugmentation strong) {
        if (u > 0 && (unannotated == null || unannotated.items().isEmpty())) {
            throw new IllegalStateException("unannotated patches requested but there are no unannotated images");
        }
        int c = annotated.channels();
        int k = annotated.classes();
        int plane = patch * patch;
        float[] images = new float[(a + u) * c * plane];
        float[] oneHot = new float[a * k * plane];
        long labelled = 0;
        SplittableRandom ra = new SplittableRandom(mix(seed, it, ANNOTATED_STREAM));
        for (int b = 0; b < a; b++) {
            TrainingSet.Item item = annotated.items().get(ra.nextInt(annotated.items().size()));
            labelled += extract(item, ra, images, b * c * plane, oneHot, b * k * plane, c, k);
        }
        SplittableRandom ru = new SplittableRandom(mix(seed, it, UNANNOTATED_STREAM));
        for (int b = 0; b < u; b++) {
            TrainingSet.Item item = unannotated.items().get(ru.nextInt(unannotated.items().size()));
            extract(item, ru, images, (a + b) * c * plane, null, 0, c, k);
        }
        float[] strongImages = null;
        CutMixBox mix = null;
        if (strong != null && u > 0) {
            float[] weak = java.util.Arrays.copyOfRange(images, a * c * plane, (a + u) * c * plane);
            strongImages = new float[weak.length];
            SplittableRandom rs = new SplittableRandom(mix(seed, it, STRONG_STREAM));
            for (int b = 0; b < u; b++) {
                strong.apply(weak, strongImages, b * c * plane, c, patch, rs);
            }
            mix = CutMixBox.draw(u, patch, rs);
        }
        return new Batch(it, a, u, c, k, patch, images, oneHot, labelled, strongImages, mix);
    }

    /** Crops, flips, rotates and jitters one patch into the batch arrays; returns its labelled pixel count. */
    private long extract(TrainingSet.Item item, SplittableRandom rng, float[] images, int imageOffset,
                         float[] oneHot, int labelOffset, int channels, int classes) {
        int w = item.width();
        int h = item.height();
        int x0 = w > patch ? rng.nextInt(w - patch + 1) : 0;
        int y0 = h > patch ? rng.nextInt(h - patch + 1) : 0;
        boolean flipX = augmentation.flips() && rng.nextBoolean();
        boolean flipY = augmentation.flips() && rng.nextBoolean();
        int rot = augmentation.rotations() ? rng.nextInt(4) : 0;
        float[] gain = new float[channels];
        float[] offset = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            gain[ch] = (float) (1 + augmentation.gainJitter() * (2 * rng.nextDouble() - 1));
            offset[ch] = (float) (augmentation.offsetJitter() * (2 * rng.nextDouble() - 1));
        }
        int plane = patch * patch;
        long labelled = 0;
        for (int py = 0; py < patch; py++) {
            for (int px = 0; px < patch; px++) {
                // Map the output pixel back through rotation and flips to a source pixel.
                int qx = px;
                int qy = py;
                for (int r = 0; r < rot; r++) {
                    int t = qx;
                    qx = patch - 1 - qy;
                    qy = t;
                }
                if (flipX) {
                    qx = patch - 1 - qx;
                }
                if (flipY) {
                    qy = patch - 1 - qy;
                }
                int sx = x0 + qx;
                int sy = y0 + qy;
                int o = py * patch + px;
                if (sx >= w || sy >= h) {
                    continue; // padding: image 0, no label
                }
                int s = sy * w + sx;
                for (int ch = 0; ch < channels; ch++) {
                    float v = item.pixels()[ch * w * h + s] * gain[ch] + offset[ch];
                    images[imageOffset + ch * plane + o] = Math.max(0f, Math.min(1f, v));
                }
                if (oneHot != null) {
                    int cls = item.labels()[s];
                    if (cls >= 0 && cls < classes) {
                        oneHot[labelOffset + cls * plane + o] = 1f;
                        labelled++;
                    }
                }
            }
        }
        return labelled;
    }

    static long mix(long seed, long it, long stream) {
        long z = seed * 0xBF58476D1CE4E5B9L + it * 0x94D049BB133111EBL + stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
