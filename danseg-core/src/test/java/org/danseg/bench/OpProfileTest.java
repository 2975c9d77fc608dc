package org.danseg.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self times from a profiler trace: hand-computed nesting, both file layouts, and a real trace. */
class OpProfileTest {

    @TempDir
    Path dir;

    private static String event(String name, int tid, double ts, double dur) {
        return "{\"name\": \"" + name + "\", \"ph\": \"X\", \"ts\": " + ts + ", \"dur\": " + dur + ", \"tid\": " + tid + ", \"pid\": \"CPU\"}";
    }

    private static final String EVENTS = String.join(",\n",
            // thread 1: A [0,100) holds B [10,40) (which holds C [15,25)) and D [50,70); E [200,210) stands alone
            event("C", 1, 15, 10), event("A", 1, 0, 100), event("B", 1, 10, 30), event("D", 1, 50, 20), event("E", 1, 200, 10),
            // thread 2: another A [0,30) at the same time, nested in nothing
            event("A", 2, 0, 30),
            "{\"name\": \"flow\", \"ph\": \"s\", \"ts\": 0, \"tid\": 1, \"pid\": \"CPU\"}");

    private static Map<String, Double> selfMicros(OpProfile p) {
        return p.ops().stream().collect(Collectors.toMap(OpProfile.Op::name, op -> op.selfSeconds() * 1e6));
    }

    @Test
    void selfTimeIsDurationMinusDirectChildren() throws Exception {
        Path trace = dir.resolve("t.json");
        Files.writeString(trace, "[\n" + EVENTS + "\n]\n");
        OpProfile p = OpProfile.read(trace);
        Map<String, Double> self = selfMicros(p);
        assertThat(self.get("A")).isCloseTo(100 - 30 - 20 + 30, within(1e-9));
        assertThat(self.get("B")).isCloseTo(20, within(1e-9));
        assertThat(self.get("C")).isCloseTo(10, within(1e-9));
        assertThat(self.get("D")).isCloseTo(20, within(1e-9));
        assertThat(self.get("E")).isCloseTo(10, within(1e-9));
        assertThat(self).doesNotContainKey("flow");
        assertThat(p.insideOperatorsSeconds() * 1e6).isCloseTo(100 + 10 + 30, within(1e-9));
        assertThat(self.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(140, within(1e-9));
        assertThat(p.ops().get(0).name()).isEqualTo("A");
        assertThat(p.ops().get(0).calls()).isEqualTo(2);
    }

    @Test
    void readsTheTraceEventsLayoutToo() throws Exception {
        Path trace = dir.resolve("t.json");
        Files.writeString(trace, "{\"traceEvents\": [\n" + EVENTS + "\n]}\n");
        assertThat(selfMicros(OpProfile.read(trace)).get("A")).isCloseTo(80, within(1e-9));
    }

    @Test
    void benchProfileOfDanseg() throws Exception {
        Path trace = dir.resolve("trace.json");
        Path json = dir.resolve("bench.json");
        Cli r = Cli.run("bench", "--mode", "supervised", "--width", "1", "--size", "64", "--annotated", "2", "--unannotated", "0",
                "--iters", "2", "--warmup", "1", "--profile", trace.toString(), "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        OpProfile p = OpProfile.read(trace);
        // Both convolution directions of a training step are in the profile, and self times add up.
        assertThat(p.ops()).anySatisfy(op -> assertThat(op.name()).contains("convolution_backward"));
        assertThat(p.ops().stream().mapToDouble(OpProfile.Op::selfSeconds).sum()).isCloseTo(p.insideOperatorsSeconds(), within(1e-6));
        assertThat(Files.readString(json)).contains("\"top_operators\"").contains("\"inside_operators_s\"");
        Cli again = Cli.run("bench", "--mode", "infer", "--width", "1", "--size", "64", "--iters", "1", "--warmup", "0", "--profile", trace.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("trace.json: already exists");
    }
}
