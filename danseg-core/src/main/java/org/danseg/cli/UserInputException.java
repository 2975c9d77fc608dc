package org.danseg.cli;

/** Bad input from the user: reported as one line, exit code 2. */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }
}
