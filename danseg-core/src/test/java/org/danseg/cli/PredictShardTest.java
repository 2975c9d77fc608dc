package org.danseg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.danseg.data.synth.SynthConfig;
import org.danseg.data.synth.SynthDatasetWriter;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict --shard K/N: N tasks cover a collection exactly once, with the masks one task would write. */
class PredictShardTest {

    @TempDir
    Path dir;

    @Test
    void shardsPartitionASortedListExactly() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        List<Integer> seen = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            List<Integer> part = new Shard(k, 3).of(items);
            assertThat(part.size()).isBetween(3, 4);
            seen.addAll(part);
        }
        assertThat(seen).hasSize(10).containsExactlyInAnyOrderElementsOf(items);
        assertThat(new Shard(4, 4).of(List.of(1, 2))).isEmpty();
        assertThat(Shard.parse(null)).isEqualTo(Shard.ALL);
        assertThat(Shard.parse("2/8")).isEqualTo(new Shard(2, 8));
        for (String bad : new String[] {"0/3", "4/3", "3", "a/b", "1/0", "-1/2"}) {
            assertThrows(UserInputException.class, () -> Shard.parse(bad), bad);
        }
    }

    @Test
    void threeShardsWriteEveryMaskOnceAndTheSameBytesAsOneRun() throws Exception {
        SynthDatasetWriter.write(new SynthConfig(2, 7, 0, 64, 3, 0.4), dir.resolve("data"), true, null);
        Path model = dir.resolve("m");
        Cli train = Cli.run("train", "--annotated", dir.resolve("data/annotated").toString(), "--out", model.toString(), "--mode", "supervised",
                "--width", "8", "--patch", "64", "--iterations", "3", "--pretrain-iterations", "0", "--threads", "2");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path input = dir.resolve("data/unannotated/images");
        Cli whole = Cli.run("predict", "--model", model.toString(), "--input", input.toString(), "--out", dir.resolve("whole").toString());
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        Set<String> written = new HashSet<>();
        for (int k = 1; k <= 3; k++) {
            Path out = dir.resolve("shard" + k);
            Cli r = Cli.run("predict", "--model", model.toString(), "--input", input.toString(), "--out", out.toString(), "--shard", k + "/3");
            assertThat(r.exitCode()).as(r.err()).isZero();
            for (String mask : masks(out)) {
                assertThat(written.add(mask)).as("%s written by two shards", mask).isTrue();
                assertThat(Files.readAllBytes(out.resolve(mask))).as(mask).isEqualTo(Files.readAllBytes(dir.resolve("whole").resolve(mask)));
            }
        }
        assertThat(written).containsExactlyInAnyOrderElementsOf(masks(dir.resolve("whole"))).hasSize(7);
        Cli bad = Cli.run("predict", "--model", model.toString(), "--input", input.toString(), "--out", dir.resolve("x").toString(), "--shard", "4/3");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err()).contains("--shard");
    }

    private static List<String> masks(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }
}
