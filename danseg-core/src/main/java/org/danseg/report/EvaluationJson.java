package org.danseg.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.danseg.io.AtomicFiles;
import org.danseg.metrics.SetEvaluation;

/** The evaluation JSON: {@link SetEvaluation}'s fields as keys, written atomically. */
public final class EvaluationJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationJson() {
    }

    public static String toJson(SetEvaluation evaluation) throws IOException {
        return JSON.writeValueAsString(evaluation);
    }

    public static void write(SetEvaluation evaluation, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(evaluation) + "\n");
    }

    public static SetEvaluation read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), SetEvaluation.class);
    }
}
