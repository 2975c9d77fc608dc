package org.danseg.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.danseg.testing.Masks;
import org.junit.jupiter.api.Test;

class MaskInterpreterTest {

    @Test
    void binaryForegroundIsTheNonZeroValue() {
        for (String fg : new String[] {"1", "9"}) {
            LabelMap raw = Masks.labels("." + fg, fg + ".");
            assertThat(MaskInterpreter.problem(raw, MaskType.BINARY, 0)).isNull();
            Mask m = MaskInterpreter.interpret(raw, MaskType.BINARY);
            assertThat(m.classes()).containsExactly(0, 1, 1, 0);
        }
    }

    @Test
    void binaryRefusesTwoNonZeroValuesAndMoreThanTwoValues() {
        assertThat(MaskInterpreter.problem(Masks.labels("12"), MaskType.BINARY, 0)).contains("two non-zero values");
        assertThat(MaskInterpreter.problem(Masks.labels(".12"), MaskType.BINARY, 0)).contains("3 distinct values").contains("--mask-type");
        assertThat(MaskInterpreter.guess(new int[] {0, 1, 2})).isNull();
        assertThat(MaskInterpreter.guess(new int[] {0, 255})).isEqualTo(MaskType.BINARY);
    }

    @Test
    void instancesAreRenumberedAndAllForeground() {
        Mask m = MaskInterpreter.interpret(Masks.labels("5.9", "5.."), MaskType.INSTANCE);
        assertThat(m.objectCount()).isEqualTo(2);
        assertThat(m.objects()).containsExactly(1, 0, 2, 1, 0, 0);
        assertThat(m.classes()).containsExactly(1, 0, 1, 1, 0, 0);
    }

    @Test
    void classesKeepLabelsAndObjectsAreComponentsOfTheForeground() {
        Mask m = MaskInterpreter.interpret(Masks.labels("12.3"), MaskType.CLASSES);
        assertThat(m.classes()).containsExactly(1, 2, 0, 3);
        assertThat(m.objectCount()).isEqualTo(2);
        assertThat(MaskInterpreter.problem(Masks.labels("13"), MaskType.CLASSES, 3)).contains("class label 3");
    }
}
