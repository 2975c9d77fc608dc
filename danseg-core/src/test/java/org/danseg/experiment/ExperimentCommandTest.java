package org.danseg.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment grid end to end on tiny settings: outputs, skipping finished cells, refusing stale ones. */
@Tag("slow")
class ExperimentCommandTest {

    private static final String GRID = """
            {
              "train": {"iterations": 6, "pretrainIterations": 3, "lambdaRamp": 2, "width": 8, "patch": 64, "checkpointEvery": 6, "threads": 1},
              "seeds": [1, 2],
              "budgets": [{"annotated": 1}, {"annotated": 2}],
              "synth": {"annotated": 2, "unannotated": 3, "test": 2, "size": 48, "seed": 3, "malignantFraction": 0.4}
            }
            """;

    @Test
    void runsEveryCellThenSkipsFinishedOnesAndRefusesChangedSettings(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("grid.json");
        Files.writeString(config, GRID);
        Path out = tmp.resolve("out");
        Cli first = Cli.run("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(1 + 8); // 2 budgets x 2 seeds x 2 modes, one test evaluation each
        assertThat(csv.get(0)).isEqualTo(CellResult.CSV_HEADER);
        assertThat(csv).anyMatch(l -> l.startsWith("2 annotated,2,default,dan,2,test,"));
        assertThat(Files.readString(out.resolve("results.md"))).contains("mode - baseline (paired)").contains("| dan |").contains("#### test: HD95");
        assertThat(Files.size(out.resolve("results.png"))).isGreaterThan(1000);
        // Each seed draws its own annotated images (nested across budgets), the same for every mode, named in results.csv.
        try (var one = Files.list(out.resolve("data/annotated-1-seed1/images")); var two = Files.list(out.resolve("data/annotated-2-seed1/images"))) {
            List<String> budget1 = one.map(p -> p.getFileName().toString()).toList();
            assertThat(budget1).hasSize(1);
            assertThat(two.map(p -> p.getFileName().toString()).toList()).hasSize(2).containsAll(budget1);
        }
        int column = List.of(CellResult.CSV_HEADER.split(",")).indexOf("annotated_images");
        List<String> seed1Budget1 = csv.stream().filter(l -> l.startsWith("1 annotated,1,default,")).filter(l -> l.split(",")[4].equals("1"))
                .map(l -> l.split(",", -1)[column]).distinct().toList();
        assertThat(seed1Budget1).as("baseline and dan of one seed train on the same image").hasSize(1);
        assertThat(seed1Budget1.get(0)).isNotBlank().doesNotContain(";");

        // Rerun: finished cells are skipped (their result files are not rewritten); a deleted one is redone.
        Path kept = out.resolve("cells/a1_default_dan_s1/result.json");
        FileTime before = Files.getLastModifiedTime(kept);
        Path redo = out.resolve("cells/a2_default_supervised_s2");
        String redoResult = Files.readString(redo.resolve("result.json"));
        Files.delete(redo.resolve("result.json"));
        Cli second = Cli.run("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("a1_default_dan_s1: done before, skipped").contains("[8/8] a2_default_dan_s2: done before, skipped");
        assertThat(second.out()).doesNotContain("a2_default_supervised_s2: done before");
        assertThat(Files.getLastModifiedTime(kept)).isEqualTo(before);
        assertThat(Files.readString(redo.resolve("result.json"))).isEqualTo(redoResult); // deterministic per seed
        assertThat(Files.readAllLines(out.resolve("results.csv"))).containsExactlyElementsOf(csv);

        // Changed training settings make finished cells stale: refused, with the file named.
        Files.writeString(config, GRID.replace("\"width\": 8", "\"width\": 4"));
        Cli third = Cli.run("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(third.exitCode()).isNotZero();
        assertThat(third.err()).contains("result.json").contains("other settings");
    }

    @Test
    void runsTheReferenceOnEachCellsImagesAndSeedBesideDanseg(@TempDir Path tmp) throws Exception {
        // A stand-in for a Python with torch: checks what the reference would be given and prints its JSON line.
        Path python = tmp.resolve("python");
        Files.writeString(python, """
                #!/bin/sh
                if [ "$1" = "-c" ]; then exit 0; fi
                n=$(ls "$2/annotated/images" | wc -l)
                [ "$n" -eq "$4" ] || { echo "budget $4 but $n annotated images" >&2; exit 3; }
                [ -d "$2/test/images" ] && [ -d "$2/test/masks" ] && [ -d "$2/unannotated" ] || { echo "no test or unannotated" >&2; exit 3; }
                echo "$3 $4 $5 $6 THREADS=$THREADS $(ls "$2/annotated/images" | tr "\\\\n" " ")" >> "$(dirname "$0")/calls.txt"
                echo "{\\"dice\\": 0.5$5, \\"mean_image_dice\\": 0.4, \\"seconds\\": 1.5}"
                """);
        python.toFile().setExecutable(true);
        Files.writeString(tmp.resolve("ref.py"), "# stands for ssl_anchor.py\n");
        Path config = tmp.resolve("grid.json");
        Files.writeString(config, GRID.replace("\"seeds\"", "\"modes\": [\"supervised\"], \"reference\": {\"script\": \"ref.py\", \"python\": \""
                + python + "\", \"iterations\": 7}, \"seeds\"").replace("{\"annotated\": 1}, ", ""));
        Path out = tmp.resolve("out");
        Cli first = Cli.run("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(1 + 2 + 4); // budget 2: 2 danseg baselines, 2 seeds x (sup, fixmatch) of the reference
        assertThat(csv).anyMatch(l -> l.startsWith("2 annotated,2,reference,fixmatch,2,test,0.520000,NaN,"));
        List<String> calls = Files.readAllLines(tmp.resolve("calls.txt"));
        assertThat(calls).hasSize(4).anyMatch(l -> l.startsWith("sup 2 1 7 THREADS=1 ")).anyMatch(l -> l.startsWith("fixmatch 2 2 7 THREADS=1 "));
        int column = List.of(CellResult.CSV_HEADER.split(",")).indexOf("annotated_images");
        for (String seed : new String[] {"1", "2"}) {
            List<String> images = csv.stream().skip(1).filter(l -> l.split(",")[4].equals(seed)).map(l -> l.split(",", -1)[column]).distinct().toList();
            assertThat(images).as("danseg and the reference of seed " + seed + " train on the same images").hasSize(1);
        }
        assertThat(Files.readString(out.resolve("results.md"))).contains("danseg next to the reference")
                .contains("| 2 annotated | default | supervised |").contains("| supervised | 0.515 ± 0.007 |");

        Cli second = Cli.run("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("a2_reference_fixmatch_s2: done before, skipped");
        assertThat(Files.readAllLines(tmp.resolve("calls.txt"))).hasSize(4);

        // Without a Python that imports torch the reference's cells are left out, said in the log; danseg's still run.
        Files.writeString(config, Files.readString(config).replace(python.toString(), tmp.resolve("no-python").toString()));
        Path out2 = tmp.resolve("out2");
        Cli none = Cli.run("experiment", "--config", config.toString(), "--out", out2.toString());
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(none.out()).contains("a2_reference_supervised_s1: reference skipped").contains("DANSEG_REFERENCE_PYTHON");
        assertThat(Files.readAllLines(out2.resolve("results.csv"))).hasSize(1 + 2);
    }

    @Test
    void badConfigsGetOneLineErrors(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, GRID.replace("\"seeds\"", "\"seedz\""));
        Cli unknown = Cli.run("experiment", "--config", config.toString(), "--out", tmp.resolve("o").toString());
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("bad.json").contains("seedz").doesNotContain("\tat ");

        Files.writeString(config, GRID.replace("{\"annotated\": 2}", "{\"annotated\": 5}"));
        Cli tooMany = Cli.run("experiment", "--config", config.toString(), "--out", tmp.resolve("o").toString());
        assertThat(tooMany.exitCode()).isNotZero();
        assertThat(tooMany.err()).contains("5 annotated images, but synth.annotated makes only 2");

        Files.writeString(config, GRID.replace("\"threads\": 1", "\"threads\": 1, \"mode\": \"dan\""));
        Cli reserved = Cli.run("experiment", "--config", config.toString(), "--out", tmp.resolve("o").toString());
        assertThat(reserved.err()).contains("'mode' is set by the grid itself");

        Files.createDirectories(tmp.resolve("o2"));
        Files.writeString(tmp.resolve("o2/file.txt"), "x");
        Files.writeString(config, GRID);
        Cli notOurs = Cli.run("experiment", "--config", config.toString(), "--out", tmp.resolve("o2").toString());
        assertThat(notOurs.exitCode()).isNotZero();
        assertThat(notOurs.err()).contains("did not write").contains("not an experiment folder");
    }
}
