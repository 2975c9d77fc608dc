package org.danseg.io;

import java.util.Locale;

/**
 * How the integer values of a mask file are meant.
 * <ul>
 *   <li>{@code BINARY}: two values (e.g. 0/255 or 0/1); foreground is the non-zero one.</li>
 *   <li>{@code CLASSES}: a label map, value k = class k (0 = background).</li>
 *   <li>{@code INSTANCE}: every object its own integer (GlaS style), all of them foreground.</li>
 * </ul>
 */
public enum MaskType {
    BINARY, CLASSES, INSTANCE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MaskType parse(String text) {
        for (MaskType t : values()) {
            if (t.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new BadInputException("unknown mask type '" + text + "' (binary, classes or instance)");
    }
}
