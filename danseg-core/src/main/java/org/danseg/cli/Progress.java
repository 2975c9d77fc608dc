package org.danseg.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on the terminal; silent when output goes to a file or a CI log, where a
 * redrawn bar would only add noise.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, long total) {
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        bar = interactive ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200).continuousUpdate().build() : null;
    }

    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Moves the bar to {@code done} of its total (for work counted in rows rather than steps). */
    void to(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
