package org.danseg.cli;

/** danseg's exit codes: 0 ok, 1 runtime failure, 2 usage or bad input. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
