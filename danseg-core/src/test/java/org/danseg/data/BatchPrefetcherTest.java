package org.danseg.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchPrefetcherTest {

    private static Batch batch(int it) {
        return new Batch(it, 1, 0, 1, 2, 1, new float[] {it}, new float[2], 1, null, null);
    }

    @Test
    void deliversBatchesInOrder() throws Exception {
        try (BatchPrefetcher p = new BatchPrefetcher(3, 7, BatchPrefetcherTest::batch)) {
            for (int it = 3; it < 7; it++) {
                assertThat(p.next().iteration()).isEqualTo(it);
            }
        }
    }

    @Test
    void anErrorInTheWorkerReachesTheTrainingThreadInsteadOfHangingIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (BatchPrefetcher p = new BatchPrefetcher(0, 10, it -> {
                if (it == 2) {
                    throw new OutOfMemoryError("simulated");
                }
                return batch(it);
            })) {
                p.next();
                p.next();
                OutOfMemoryError e = assertThrows(OutOfMemoryError.class, p::next);
                assertThat(e).hasMessage("simulated");
            }
        });
    }

    @Test
    void anExceptionInTheWorkerIsReportedWithItsMessage() throws Exception {
        try (BatchPrefetcher p = new BatchPrefetcher(0, 10, it -> {
            throw new IllegalArgumentException("bad crop");
        })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, p::next);
            assertThat(e).hasMessageContaining("bad crop");
        }
    }
}
