package org.danseg.data.synth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FluorescenceTileGeneratorTest {

    @Test
    void deterministicOneChannelNucleiBrighterThanBackground() {
        HistologyTileGenerator.Tile a = FluorescenceTileGenerator.generate(42, 128, false);
        HistologyTileGenerator.Tile b = FluorescenceTileGenerator.generate(42, 128, false);
        assertThat(a.image().data()).isEqualTo(b.image().data());
        assertThat(a.instances().labels()).isEqualTo(b.instances().labels());
        assertThat(a.image().channels()).isEqualTo(1);
        double in = 0;
        double out = 0;
        int nIn = 0;
        int max = 0;
        for (int i = 0; i < a.image().data().length; i++) {
            int l = a.instances().labels()[i];
            max = Math.max(max, l);
            if (l > 0) {
                in += a.image().data()[i];
                nIn++;
            } else {
                out += a.image().data()[i];
            }
        }
        assertThat(nIn).isPositive();
        assertThat(in / nIn).as("mean nucleus intensity vs background").isGreaterThan(2 * out / (a.image().data().length - nIn));
        assertThat(max).as("instance ids are compact 1..n").isEqualTo(a.glands());
    }

    @Test
    void denseTilesHoldMoreNuclei() {
        int sparse = 0;
        int dense = 0;
        for (long seed = 0; seed < 20; seed++) {
            sparse += FluorescenceTileGenerator.generate(seed, 128, false).glands();
            dense += FluorescenceTileGenerator.generate(seed, 128, true).glands();
        }
        assertThat(dense).isGreaterThan(sparse);
    }
}
