package org.danseg.runtime;

/** danseg's version, from the jar manifest ("dev" when run from compiled classes). */
public final class Version {
    private Version() {
    }

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
