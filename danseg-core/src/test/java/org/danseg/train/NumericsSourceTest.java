package org.danseg.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps Java memory out of autograd graphs, checked in the source as ArchitectureTest
 * checks imports: in the code that builds graphs (train, nn), no multiplicative or comparison
 * operation takes a Java number (DJL wraps it in a 0-d tensor over a Java buffer that it closes at
 * once, and autograd keeps it for backward; use {@code Scalars.of}), and no {@code copyTo}, which
 * rebinds a tensor's storage to a Java buffer (use {@code InPlace.copy}). Adam is exempt: it updates
 * with gradient recording off and builds no graph.
 */
class NumericsSourceTest {
    private static final Path MAIN = Path.of("src/main/java/org/danseg");
    private static final Pattern NUMBER_OP = Pattern.compile("\\.(mul|div|maximum|minimum|pow|muli|divi)\\(\\s*(\\(float\\)|\\(double\\)|-?[0-9.])");
    private static final Pattern COPY_TO = Pattern.compile("\\.copyTo\\(");
    private static final List<String> EXEMPT = List.of("train/Adam.java");

    @Test
    void graphCodeTakesNoJavaOwnedTensors() throws Exception {
        List<String> found = new ArrayList<>();
        for (String pkg : new String[] {"train", "nn"}) {
            try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String name = MAIN.relativize(f).toString().replace('\\', '/');
                    if (EXEMPT.contains(name)) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = lines.get(i).replaceAll("//.*", "");
                        if (code.trim().startsWith("*") || code.trim().startsWith("/*")) {
                            continue; // javadoc may name the forbidden forms
                        }
                        if (NUMBER_OP.matcher(code).find() || COPY_TO.matcher(code).find()) {
                            found.add(name + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(found).as("Java numbers or copyTo in graph code (use Scalars.of / InPlace.copy)").isEmpty();
    }
}
