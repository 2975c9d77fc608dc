package org.danseg.model;

import java.util.Locale;

/** The columns of MODEL_DIR/train_log.csv, in file order; the writer and every reader go by these. */
public enum TrainLogColumn {
    ITERATION, PHASE, LAMBDA, LR_SN, LR_EN, SUPERVISED_LOSS, EN_LOSS, ADVERSARIAL_LOSS,
    EN_SCORE_ANNOTATED, EN_SCORE_UNANNOTATED, VAL_DICE, CONSISTENCY_LOSS, PSEUDO_LABELLED, SECONDS;

    /** The header cell. */
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String headerLine() {
        StringBuilder b = new StringBuilder();
        for (TrainLogColumn c : values()) {
            b.append(b.length() == 0 ? "" : ",").append(c.header());
        }
        return b.toString();
    }
}
