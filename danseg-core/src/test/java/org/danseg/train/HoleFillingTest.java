package org.danseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HoleFillingTest {

    private static int[] map(String... rows) {
        int w = rows[0].length();
        int[] m = new int[rows.length * w];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = rows[y].charAt(x) - '0';
            }
        }
        return m;
    }

    @Test
    void enclosedBackgroundTakesTheRingsClassAndOpenGroundStays() {
        int[] in = map(
                "000000",
                "011100",
                "010100",
                "011100",
                "000010",
                "000010");
        int[] want = map(
                "000000",
                "011100",
                "011100",
                "011100",
                "000010",
                "000010");
        assertArrayEquals(want, HoleFilling.fill(in, 6, 6, 2));
    }

    @Test
    void aRingOpenToTheBorderOrByAnEdgeIsNoHole() {
        int[] atBorder = map(
                "01010",
                "01010",
                "01110",
                "00000");
        assertArrayEquals(atBorder, HoleFilling.fill(atBorder, 4, 5, 2));
        int[] gap = map(
                "00000",
                "01110",
                "01000",
                "01110",
                "00000");
        assertArrayEquals(gap, HoleFilling.fill(gap, 5, 5, 2));
    }

    @Test
    void aRingClosedAtACornerEnclosesItsInside() {
        int[] in = map(
                "00100",
                "01010",
                "00100",
                "00000");
        int[] want = map(
                "00100",
                "01110",
                "00100",
                "00000");
        assertArrayEquals(want, HoleFilling.fill(in, 4, 5, 2));
    }

    @Test
    void aHoleTakesTheClassMostOfItsBorderHas() {
        int[] in = map(
                "00000",
                "02220",
                "01020",
                "02220",
                "00000");
        int[] out = HoleFilling.fill(in, 5, 5, 3);
        assertTrue(out[2 * 5 + 2] == 2, "the hole borders three pixels of class 2 and one of class 1");
    }

    @Test
    void hasHolesIgnoresTheIgnoreLabel() {
        int[] filled = map(
                "0000",
                "0110",
                "0110",
                "0000");
        assertFalse(HoleFilling.hasHoles(filled, 4, 4, 255));
        int[] ring = map(
                "11100",
                "10100",
                "11100");
        assertTrue(HoleFilling.hasHoles(ring, 3, 5, 255));
        int[] unlabelledInside = ring.clone();
        unlabelledInside[6] = 255;
        assertFalse(HoleFilling.hasHoles(unlabelledInside, 3, 5, 255));
    }
}
