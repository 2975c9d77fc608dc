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

/** MODEL_DIR/train_log.csv, one row per iteration; flushed at every checkpoint. */
final class TrainLog implements AutoCloseable {
    static final String HEADER = "iteration,phase,lambda,lr_sn,lr_en,supervised_loss,en_loss,adversarial_loss,"
            + "en_score_annotated,en_score_unannotated,val_dice,consistency_loss,pseudo_labelled,seconds";
    private final BufferedWriter out;

    /** Opens the log; on resume, drops rows after the checkpoint's iteration (they will be redone). */
    TrainLog(Path file, int keepBelowIteration, boolean resume) throws IOException {
        if (resume && Files.exists(file)) {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("iteration") || line.isBlank()) {
                    continue;
                }
                int it = Integer.parseInt(line.substring(0, line.indexOf(',')));
                if (it < keepBelowIteration) {
                    kept.add(line);
                }
            }
            Files.write(file, prepend(HEADER, kept), StandardCharsets.UTF_8);
        } else {
            Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
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
