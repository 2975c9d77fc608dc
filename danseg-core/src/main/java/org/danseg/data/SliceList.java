package org.danseg.data;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Slice lists as users write them: comma-separated 0-based indices and inclusive ranges, e.g. {@code 85-89,91-95}. */
public final class SliceList {

    private SliceList() {
    }

    public static List<Integer> parse(String text) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-', 1);
                if (dash < 0) {
                    out.add(nonNegative(Integer.parseInt(p), text));
                } else {
                    int a = nonNegative(Integer.parseInt(p.substring(0, dash).trim()), text);
                    int b = nonNegative(Integer.parseInt(p.substring(dash + 1).trim()), text);
                    if (b < a) {
                        throw new org.danseg.io.BadInputException("slice range '" + p + "' runs backwards");
                    }
                    for (int i = a; i <= b; i++) {
                        out.add(i);
                    }
                }
            } catch (NumberFormatException e) {
                throw new org.danseg.io.BadInputException("'" + p + "' in slice list '" + text + "' is not an index or a range like 85-89");
            }
        }
        if (out.isEmpty()) {
            throw new org.danseg.io.BadInputException("empty slice list '" + text + "'");
        }
        return new ArrayList<>(out);
    }

    private static int nonNegative(int i, String text) {
        if (i < 0) {
            throw new org.danseg.io.BadInputException("negative slice index in '" + text + "'");
        }
        return i;
    }
}
