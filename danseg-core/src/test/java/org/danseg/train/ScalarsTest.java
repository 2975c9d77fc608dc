package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    @Test
    void aScalarHoldsItsValueAndBroadcasts() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f, 3f});
            for (int i = 0; i < 200; i++) {
                NDArray s = Scalars.of(x, 2.5);
                assertThat(s.getShape().dimension()).isZero();
                assertThat(s.getFloat()).isEqualTo(2.5f);
                assertThat(x.mul(s).toFloatArray()).containsExactly(2.5f, 5f, 7.5f);
                assertThat(x.div(Scalars.of(x, 4)).toFloatArray()).containsExactly(0.25f, 0.5f, 0.75f);
            }
        }
    }
}
