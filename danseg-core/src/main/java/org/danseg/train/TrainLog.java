package org.danseg.train;

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

/** MODEL_DIR/train_log.csv, one row per iteration; flushed at every checkpoint. */
final class TrainLog implements AutoCloseable {
    static final String HEADER = "iteration,phase,lambda,lr_sn,lr_en,supervised_loss,en_loss,adversarial_loss,"
            + "en_score_annotated,en_score_unannotated,val_dice,consistency_loss,pseudo_labelled,seconds";
    private final BufferedWriter out;

    /**
     * Opens the log; on resume keeps only whole rows before the checkpoint's iteration (later rows
     * will be redone; a kill may have left a partial last row) and swaps the kept rows in atomically.
     */
    TrainLog(Path file, int keepBelowIteration, boolean resume) throws IOException {
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

    void row(int iteration, String phase, double lambda, double lrSn, double lrEn, StepResult r, double valDice, double seconds) throws IOException {
        out.write(String.join(",", Integer.toString(iteration), phase, num(lambda), num(lrSn), num(lrEn), num(r.supervisedLoss()),
                num(r.enLoss()), num(r.adversarialLoss()), num(r.scoreAnnotated()), num(r.scoreUnannotated()), num(valDice),
                num(r.consistencyLoss()), num(r.pseudoLabelled()), String.format(Locale.ROOT, "%.3f", seconds)));
        out.newLine();
    }

    void flush() throws IOException {
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
