package org.danseg.data;

import java.util.List;

/** Everything wrong with a dataset, file by file, found before any work starts. */
public class DatasetException extends Exception {
    private final List<String> problems;

    public DatasetException(String summary, List<String> problems) {
        super(summary + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
