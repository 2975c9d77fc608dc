package org.danseg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.danseg.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --mode data: reads a synth folder, times the sampler, refuses a folder without the parts. */
class DataPipelineBenchTest {

    @TempDir
    Path dir;

    @Test
    void timesTheSamplerOnASynthFolder() throws Exception {
        Path data = dir.resolve("syn");
        assertThat(Cli.run("synth", "--out", data.toString(), "--annotated", "2", "--unannotated", "3", "--test", "0", "--size", "64").exitCode()).isZero();
        Path json = dir.resolve("data.json");
        Cli r = Cli.run("bench", "--mode", "data", "--data", data.toString(), "--size", "32", "--annotated", "2", "--unannotated", "2",
                "--iters", "3", "--warmup", "1", "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(Files.readString(json));
        assertThat(result.get("images_loaded").asInt()).isEqualTo(5);
        assertThat(result.get("patches_per_batch").asInt()).isEqualTo(4);
        assertThat(result.get("iteration_seconds")).hasSize(3);
        double median = result.get("median_s").asDouble(); // rounded to 0.1 microsecond: hence the 1% below
        assertThat(result.get("patches_per_second").asDouble()).isCloseTo(4 / median, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void aFolderWithoutTheDatasetPartsIsOneLine() {
        Cli r = Cli.run("bench", "--mode", "data", "--data", dir.toString(), "--iters", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("danseg: --mode data needs --data DIR holding annotated/ and unannotated/ (as danseg synth writes)");
    }
}
