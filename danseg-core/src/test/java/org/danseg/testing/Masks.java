package org.danseg.testing;

import org.danseg.io.LabelMap;
import org.danseg.io.Mask;
import org.danseg.io.MaskInterpreter;
import org.danseg.io.MaskType;
import org.danseg.io.PixelSpacing;

/** Builds small masks for tests from ASCII art: '.' background, digits/letters = labels. */
public final class Masks {
    private Masks() {
    }

    /** Rows of equal length; '.' is 0, '1'..'9' are 1..9, 'a'..'z' are 10..35. */
    public static LabelMap labels(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        int[] v = new int[w * h];
        for (int y = 0; y < h; y++) {
            if (rows[y].length() != w) {
                throw new IllegalArgumentException("ragged row " + y);
            }
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                v[y * w + x] = c == '.' ? 0 : Character.isDigit(c) ? c - '0' : c - 'a' + 10;
            }
        }
        return new LabelMap(w, h, v, PixelSpacing.UNIT);
    }

    public static Mask binary(String... rows) {
        return MaskInterpreter.interpret(binarize(labels(rows)), MaskType.BINARY);
    }

    public static Mask instances(String... rows) {
        return MaskInterpreter.interpret(labels(rows), MaskType.INSTANCE);
    }

    private static LabelMap binarize(LabelMap m) {
        int[] v = m.labels().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] != 0 ? 1 : 0;
        }
        return new LabelMap(m.width(), m.height(), v, m.spacing());
    }

    public static Mask withSpacing(Mask m, PixelSpacing s) {
        return new Mask(m.width(), m.height(), m.classes(), m.objects(), m.objectCount(), s);
    }
}
