package org.danseg.model;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.danseg.io.AtomicFiles;

/** Writes MODEL_DIR/train_log.csv ({@link TrainLogColumn}), one row per iteration; flushed at every checkpoint. */
public final class TrainLogWriter implements AutoCloseable {
    private static final String HEADER = TrainLogColumn.headerLine();
    private final BufferedWriter out;

    /**
     * Opens the log; on resume keeps only whole rows before the checkpoint's iteration (later rows
     * will be redone; a kill may have left a partial last row) and swaps the kept rows in atomically.
     */
    public TrainLogWriter(Path file, int keepBelowIteration, boolean resume) throws IOException {
        if (resume && Files.exists(file)) {
            int columns = HEADER.split(",").length;
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] cells = line.split(",", -1);
                if (line.startsWith("iteration") || cells.length != columns) {
                    continue;
                }
                try {
                    if (Integer.parseInt(cells[0]) < keepBelowIteration && !cells[columns - 1].isEmpty()) {
                        kept.add(line);
                    }
                } catch (NumberFormatException partialRow) {
                    // a row cut by a kill: dropped, it will be redone
                }
            }
            AtomicFiles.write(file, o -> o.write(String.join("\n", prepend(HEADER, kept)).concat("\n").getBytes(StandardCharsets.UTF_8)));
        } else {
            AtomicFiles.writeString(file, HEADER + "\n");
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static List<String> prepend(String head, List<String> rows) {
        List<String> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        return all;
    }

    /** One iteration's numbers; NaN is written as an empty cell. */
    public record Row(int iteration, String phase, double lambda, double lrSn, double lrEn, double supervisedLoss, double enLoss,
                      double adversarialLoss, double scoreAnnotated, double scoreUnannotated, double valDice, double consistencyLoss,
                      double pseudoLabelled, double seconds) {
    }

    public void row(Row r) throws IOException {
        out.write(String.join(",", Integer.toString(r.iteration()), r.phase(), num(r.lambda()), num(r.lrSn()), num(r.lrEn()), num(r.supervisedLoss()),
                num(r.enLoss()), num(r.adversarialLoss()), num(r.scoreAnnotated()), num(r.scoreUnannotated()), num(r.valDice()),
                num(r.consistencyLoss()), num(r.pseudoLabelled()), String.format(Locale.ROOT, "%.3f", r.seconds())));
        out.newLine();
    }

    public void flush() throws IOException {
        out.flush();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
