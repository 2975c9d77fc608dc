package org.danseg.nn;

import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A VGG-like layer specification ({@code c64 c64 P c128 ...}) split at its pools: stage 0 works at
 * full size, stage i (which starts with its pool) at 1/2^i.
 */
final class VggStages {
    static final int POOL = -1;
    static final int[] SN_SPEC = {64, 64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL, 1024, 1024};
    static final int[] EN_SPEC = {64, 64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512};

    final List<SequentialBlock> stages = new ArrayList<>();
    final List<Integer> channels = new ArrayList<>();

    VggStages(int[] spec, int width) {
        SequentialBlock stage = new SequentialBlock();
        int c = 0;
        for (int item : spec) {
            if (item == POOL) {
                stages.add(stage);
                channels.add(c);
                stage = new SequentialBlock();
                stage.add(Layers.maxPool());
            } else {
                c = Layers.scaled(item, width);
                Layers.convBnRelu(stage, c);
            }
        }
        stages.add(stage);
        channels.add(c);
    }
}
