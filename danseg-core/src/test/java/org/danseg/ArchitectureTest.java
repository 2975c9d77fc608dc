package org.danseg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules of docs/architecture.md, read from the sources: packages depend one way (no
 * cycle, and only on the packages the table allows), and the model folder's file names are spelt
 * in the model package alone.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/org/danseg");
    private static final Pattern REFERENCE = Pattern.compile("org\\.danseg\\.([a-z]+)");

    /** What each package may import (docs/architecture.md), in data-flow order. */
    private static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("raster", Set.of()),
            Map.entry("runtime", Set.of("io")),
            Map.entry("io", Set.of("raster")),
            Map.entry("nn", Set.of("io", "runtime")),
            Map.entry("config", Set.of("io", "nn")),
            Map.entry("data", Set.of("io", "raster", "config")),
            Map.entry("metrics", Set.of("io", "raster", "data")),
            Map.entry("model", Set.of("io", "nn", "config", "data", "runtime")),
            Map.entry("infer", Set.of("io", "nn", "config", "data", "model", "runtime")),
            Map.entry("train", Set.of("io", "nn", "config", "data", "model", "infer", "metrics", "runtime")),
            Map.entry("export", Set.of("io", "nn", "config", "model", "infer", "runtime")),
            Map.entry("report", Set.of("io", "raster", "metrics", "model", "runtime")),
            Map.entry("bench", Set.of("io", "nn", "config", "data", "infer", "train", "runtime")),
            Map.entry("experiment", Set.of("io", "config", "data", "metrics", "model", "infer", "train", "report", "runtime")),
            Map.entry("demo", Set.of("io", "config", "data", "metrics", "model", "infer", "train", "report", "experiment")),
            Map.entry("cli", Set.of("io", "nn", "config", "data", "metrics", "model", "infer", "export", "train", "report", "bench", "experiment",
                    "demo", "runtime"))));

    /** Package -> the danseg packages its sources name (imports and fully qualified names), subpackages folded in. */
    static Map<String, Set<String>> dependencies(Path root) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f).getName(0).toString();
                Set<String> used = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return deps;
    }

    /** A cycle in the graph as "a -> b -> a", or null. */
    static String cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            List<String> path = new ArrayList<>();
            String found = visit(start, graph, state, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 1) {
            return String.join(" -> ", path.subList(path.indexOf(node), path.size())) + " -> " + node;
        }
        if (s != null) {
            return null;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            String found = visit(next, graph, state, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return null;
    }

    @Test
    void packagesDependOneWayAsTheTableSays() throws IOException {
        Map<String, Set<String>> deps = dependencies(MAIN);
        assertThat(cycle(deps)).as("an import cycle between packages").isNull();
        assertThat(deps.keySet()).as("every package has a row in the table (and docs/architecture.md)").isSubsetOf(ALLOWED.keySet());
        deps.forEach((pkg, used) -> assertThat(used).as(pkg + " may import only " + ALLOWED.get(pkg)).isSubsetOf(ALLOWED.get(pkg)));
    }

    @Test
    void theCycleFinderFindsACycle() {
        assertThat(cycle(Map.of("train", Set.of("infer"), "infer", Set.of("model", "train"), "model", Set.of()))).isEqualTo("infer -> train -> infer");
        assertThat(cycle(Map.of("train", Set.of("infer"), "infer", Set.of("model"), "model", Set.of()))).isNull();
    }

    /** A string literal that is one of the model folder's file or checkpoint names. */
    private static final Pattern MODEL_FILE_NAME = Pattern.compile(
            "\"((config|model|normalization|provenance|state)\\.json|train_log\\.csv|\\w*\\.params|\\w*_optimizer\\.ndlist|(last|best)(\\.old|\\.tmp)?)\"");

    @Test
    void onlyTheModelPackageSpellsTheModelFolderFormat() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !MAIN.relativize(p).startsWith("model")).toList()) {
                Matcher m = MODEL_FILE_NAME.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(MAIN.relativize(f) + ": " + m.group());
                }
            }
        }
        assertThat(found).as("model folder file names outside org.danseg.model").isEmpty();
    }
}
