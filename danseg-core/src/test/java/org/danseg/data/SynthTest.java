package org.danseg.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.danseg.io.MaskType;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthTest {

    @TempDir
    Path dir;

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void sameSeedGivesByteIdenticalOutput() throws Exception {
        String[] args = {"--annotated", "2", "--unannotated", "2", "--test", "2", "--size", "96", "--seed", "5"};
        assertThat(Cli.run(concat("synth", "--out", dir.resolve("a").toString(), args)).exitCode()).isZero();
        assertThat(Cli.run(concat("synth", "--out", dir.resolve("b").toString(), args)).exitCode()).isZero();
        List<Path> a = files(dir.resolve("a"));
        assertThat(a).isEqualTo(files(dir.resolve("b"))).hasSize(2 * 6 + 3 + 1 + 1); // + the output marker
        for (Path p : a) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(p))).as(p.toString()).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(p)));
        }
        args[args.length - 1] = "6";
        assertThat(Cli.run(concat("synth", "--out", dir.resolve("c").toString(), args)).exitCode()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("c/test/images/test_000.png")))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("a/test/images/test_000.png")));
    }

    @Test
    void outputIsAValidInstanceLabelledDatasetWithGlands() throws Exception {
        Path out = dir.resolve("s");
        assertThat(Cli.run("synth", "--out", out.toString(), "--annotated", "3", "--unannotated", "2", "--test", "2", "--size", "128").exitCode()).isZero();
        AnnotatedDataset d = DatasetLoader.annotated(out.resolve("annotated"), null);
        assertThat(d.maskType()).isEqualTo(MaskType.INSTANCE);
        assertThat(d.channels()).isEqualTo(3);
        assertThat(d.samples()).hasSize(3);
        assertThat(DatasetLoader.unannotated(out.resolve("unannotated")).images()).hasSize(2);
        MaskCollection truth = MaskCollection.load(out.resolve("test"), null, "--mask-type");
        assertThat(truth.masks().values()).allSatisfy(m -> assertThat(m.objectCount()).isPositive());
    }

    @Test
    void refusesToOverwriteWithoutForceAndNeverReplacesForeignFiles() throws Exception {
        Path out = dir.resolve("s");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        String[] args = {"synth", "--out", out.toString(), "--annotated", "1", "--unannotated", "0", "--test", "0", "--size", "64"};
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("did not write");
        Cli forced = Cli.run(concat(args, "--force"));
        assertThat(forced.exitCode()).as("--force never deletes someone's files").isEqualTo(2);
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");

        Path ours = dir.resolve("ours");
        assertThat(Cli.run(concat(new String[] {"synth", "--out", ours.toString(), "--annotated", "1", "--unannotated", "0", "--test", "0", "--size", "64"})).exitCode()).isZero();
        Cli again = Cli.run("synth", "--out", ours.toString(), "--annotated", "2", "--unannotated", "0", "--test", "0", "--size", "64");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("--force");
        Cli replaced = Cli.run("synth", "--out", ours.toString(), "--annotated", "2", "--unannotated", "0", "--test", "0", "--size", "64", "--force");
        assertThat(replaced.exitCode()).isZero();
        assertThat(ours.resolve("annotated/images/annotated_001.png")).exists();
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static String[] concat(String a, String b, String c, String[] rest) {
        String[] all = new String[3 + rest.length];
        all[0] = a;
        all[1] = b;
        all[2] = c;
        System.arraycopy(rest, 0, all, 3, rest.length);
        return all;
    }
}
