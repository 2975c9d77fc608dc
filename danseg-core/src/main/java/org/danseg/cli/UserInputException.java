package org.danseg.cli;

/** Bad input from the user: reported as one line, exit code 2. */
public class UserInputException extends org.danseg.io.BadInputException {
    public UserInputException(String message) {
        super(message);
    }
}
