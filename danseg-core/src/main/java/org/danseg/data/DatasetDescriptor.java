package org.danseg.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.danseg.io.AtomicFiles;

/**
 * Optional {@code dataset.json} beside {@code images/} and {@code masks/} (nnU-Net keeps the same
 * idea): says how to read the masks, so users need not repeat {@code --mask-type} on every command.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetDescriptor(String maskType, List<String> classNames, String description) {

    public static final String FILE_NAME = "dataset.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The descriptor in {@code dir}, or {@code null} when there is none. */
    public static DatasetDescriptor read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), DatasetDescriptor.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new org.danseg.io.ImageFormatException(file, "not a valid dataset descriptor (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            // Not only JSON errors: an undecodable character set (CharConversionException) too.
            throw new org.danseg.io.ImageFormatException(file, "not a readable dataset descriptor (" + e.getMessage() + ")", e);
        }
    }

    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), JSON.writeValueAsString(this) + "\n");
    }
}
