package org.danseg.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Which of the pool's images a seed annotates: a seeded random order of the pool (sorted by name
 * first, so the order does not depend on the file system), of which budget N takes the first N.
 * A seed's budget-N images are among its budget-(N+1) images, as a lab that annotates one more.
 */
final class AnnotatedSubset {

    private AnnotatedSubset() {
    }

    /** {@code n} of {@code pool} for {@code seed}, sorted by name. */
    static List<Path> drawn(List<Path> pool, int n, long seed) {
        List<Path> order = new ArrayList<>(pool);
        order.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Collections.shuffle(order, new Random(seed));
        List<Path> chosen = new ArrayList<>(order.subList(0, n));
        chosen.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return chosen;
    }
}
