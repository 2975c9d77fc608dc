package org.danseg.io;

/**
 * The user's input is wrong (a setting, a file, a combination of options): the command exits 2
 * with this message. Any other exception is danseg's or the engine's failure and exits 1, so a
 * bug is never reported as the user's mistake.
 */
public class BadInputException extends IllegalArgumentException {
    public BadInputException(String message) {
        super(message);
    }
}
