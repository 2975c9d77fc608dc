package org.danseg.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.danseg.io.BadInputException;
import org.junit.jupiter.api.Test;

class PredictionPlanTest {
    private static final Path OUT = Path.of("/out");

    @Test
    void imagesVolumesAndSlidesAreNamedByOneRule() {
        assertThat(PredictionPlan.of(List.of(Path.of("/in/a.jpeg"), Path.of("/in/b.tif")), PredictionPlan.Kind.IMAGE, OUT, "png").masks())
                .containsExactly(OUT.resolve("a.png"), OUT.resolve("b.png"));
        assertThat(PredictionPlan.outputNames("scan.nii.gz", PredictionPlan.Kind.VOLUME, "png")).containsExactly("scan.nii.gz");
        assertThat(PredictionPlan.outputNames("scan.nii", PredictionPlan.Kind.VOLUME, "png")).containsExactly("scan.nii.gz");
        assertThat(PredictionPlan.outputNames("CMU-1.svs", PredictionPlan.Kind.SLIDE, "png")).containsExactly("CMU-1.mask.tif", "CMU-1.geojson");
        assertThat(PredictionPlan.outputNames("case.ome.tif", PredictionPlan.Kind.SLIDE, "png")).containsExactly("case.mask.tif", "case.geojson");
        assertThat(PredictionPlan.isInputName("x.PNG")).isTrue();
        assertThat(PredictionPlan.isInputName("x.nii.gz")).isTrue();
        assertThat(PredictionPlan.isInputName(".hidden.png")).isFalse();
        assertThat(PredictionPlan.isInputName("notes.txt")).isFalse();
    }

    @Test
    void inputsThatWouldShareAnOutputAreRefusedNamingBoth() {
        assertThatThrownBy(() -> PredictionPlan.of(List.of(Path.of("/in/a.png"), Path.of("/in/a.tif")), PredictionPlan.Kind.IMAGE, OUT, "png"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("/in/a.tif").hasMessageContaining("a.png");
        assertThatThrownBy(() -> PredictionPlan.of(List.of(Path.of("/in/s.svs"), Path.of("/in/s.ome.tif")), PredictionPlan.Kind.SLIDE, OUT, "png"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("s.mask.tif");
    }
}
