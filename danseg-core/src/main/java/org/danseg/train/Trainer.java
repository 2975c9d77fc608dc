package org.danseg.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.danseg.config.TrainConfig;
import org.danseg.data.Batch;
import org.danseg.data.BatchPrefetcher;
import org.danseg.data.PatchSampler;
import org.danseg.data.StrongAugmentation;
import org.danseg.model.CheckpointState;
import org.danseg.model.ModelFolder;
import org.danseg.model.TrainLogWriter;

/**
 * The training loop: batches in, one recipe step per iteration, the schedules (lambda, SN's
 * learning rate), validation, the log, checkpoints, divergence and stop signals. Everything it
 * touches is built by {@link TrainingRun}; it only runs it.
 */
final class Trainer {
    /** Consecutive non-finite losses that mean divergence rather than a transient fault. */
    static final int DIVERGED_AFTER = 10;

    private final TrainConfig config;
    private final ModelFolder dir;
    private final TrainingSteps steps;
    private final Adam snOpt;
    private final Adam enOpt;
    private final Checkpointer checkpointer;
    private final PatchSampler sampler;
    private final Validator validator;
    private final LambdaSchedule lambda;
    private String stoppedBy;

    Trainer(TrainConfig config, ModelFolder dir, TrainingSteps steps, Adam snOpt, Adam enOpt, Checkpointer checkpointer,
            PatchSampler sampler, Validator validator) {
        this.config = config;
        this.dir = dir;
        this.steps = steps;
        this.snOpt = snOpt;
        this.enOpt = enOpt;
        this.checkpointer = checkpointer;
        this.sampler = sampler;
        this.validator = validator;
        this.lambda = LambdaSchedule.of(config.recipe());
    }

    /** The signal that stopped {@link #run} early ("SIGTERM", "SIGINT"), or null when it ran to its end. */
    String stoppedBy() {
        return stoppedBy;
    }

    CheckpointState run(CheckpointState state, boolean resume, NDManager root, TrainingRun.Listener listener) throws IOException, InterruptedException {
        int iterations = config.optimisation().iterations();
        int pretrain = config.recipe().pretrainIterations();
        HealthMonitor health = new HealthMonitor(Math.min(100, Math.max(10, (iterations - pretrain) / 5)),
                !config.recipe().mode().enJudgesCorrectness(), listener::warning);
        long skippedReported = 0;
        int nonFiniteStreak = 0;
        double bestDice = state.bestValDice();
        int bestIteration = state.bestIteration();
        long started = System.nanoTime();
        double secondsBefore = state.seconds();
        TrainConfig.Data data = config.data();
        try (StopSignals signals = new StopSignals();
             TrainLogWriter log = new TrainLogWriter(dir.log(), state.nextIteration(), resume);
             BatchPrefetcher batches = new BatchPrefetcher(state.nextIteration(), iterations,
                     it -> sampler.batch(it, data.batchAnnotated(), adversarialAt(it) ? data.batchUnannotated() : 0,
                             steps.needsStrongViews() ? StrongAugmentation.DEFAULT : null))) {
            for (int it = state.nextIteration(); it < iterations; it++) {
                if (signals.received() != null) {
                    // Between two steps: no native call is running, the last checkpoint is whole.
                    stoppedBy = signals.received();
                    break;
                }
                Batch batch = batches.next();
                boolean adversarial = adversarialAt(it);
                double lam = adversarial ? lambda.at(it - pretrain) : 0;
                snOpt.setLearningRate(config.optimisation().lrSchedule().at(config.optimisation().lr(), it, iterations));
                StepResult r;
                try (NDManager iteration = root.newSubManager()) {
                    r = adversarial ? steps.semiSupervised(batch, iteration, lam) : steps.supervised(batch, iteration);
                }
                // A single non-finite loss is PyTorch's transient NaN (docs/training.md): its step was
                // skipped and the weights are intact. Only a run of them, or weights gone bad, is divergence.
                nonFiniteStreak = Double.isFinite(r.supervisedLoss()) ? 0 : nonFiniteStreak + 1;
                if (nonFiniteStreak >= DIVERGED_AFTER || !Double.isFinite(r.supervisedLoss()) && !checkpointer.snFinite()) {
                    throw diverged(it, "supervised loss " + r.supervisedLoss(), state);
                }
                health.observe(it, r);
                long skipped = snOpt.skippedSteps() + enOpt.skippedSteps();
                if (skipped > skippedReported && (skippedReported == 0 || it == iterations - 1)) {
                    listener.warning("iteration " + it + ": " + skipped + " optimizer step(s) skipped so far because a gradient was "
                            + "not finite (a sign of a numerical fault: please report it with train_log.csv; docs/training.md)");
                    skippedReported = skipped;
                }
                boolean last = it == iterations - 1;
                double valDice = Double.NaN;
                if (validator != null && ((it + 1) % config.run().validateEvery() == 0 || last)) {
                    valDice = validator.dice(root);
                }
                double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                String phase = it < pretrain ? "pretrain" : adversarial ? "dan" : "supervised";
                log.row(new TrainLogWriter.Row(it, phase, lam, snOpt.learningRate(), adversarial ? enOpt.learningRate() : Double.NaN,
                        r.supervisedLoss(), r.enLoss(), r.adversarialLoss(), r.scoreAnnotated(), r.scoreUnannotated(), valDice,
                        r.consistencyLoss(), r.pseudoLabelled(), seconds));
                listener.iteration(it, phase, lam, r, valDice, root);
                boolean better = !Double.isNaN(valDice) && (Double.isNaN(bestDice) || valDice > bestDice);
                boolean periodic = (it + 1) % config.run().checkpointEvery() == 0 || last;
                if ((better || periodic) && !checkpointer.weightsFinite()) {
                    // Never written: a checkpoint with non-finite weights would only spread the divergence.
                    throw diverged(it, "weights or statistics became non-finite", state);
                }
                if (better) {
                    bestDice = valDice;
                    bestIteration = it;
                    checkpointer.save(ModelFolder.BEST, new CheckpointState(it + 1, bestDice, bestIteration, seconds));
                }
                if (periodic) {
                    log.flush();
                    CheckpointState now = new CheckpointState(it + 1, bestDice, bestIteration, seconds);
                    checkpointer.save(ModelFolder.LAST, now);
                    state = now;
                }
            }
        }
        if (stoppedBy == null) {
            dir.finishProvenance();
        }
        return state;
    }

    private boolean adversarialAt(int it) {
        return config.recipe().mode().semiSupervised() && it >= config.recipe().pretrainIterations();
    }

    /**
     * The run stops; what is on disk is the last good checkpoint (or, before the first one, a
     * folder the same command may reuse), and the advice says so.
     */
    private TrainingDivergedException diverged(int iteration, String what, CheckpointState lastSaved) {
        String kept = lastSaved.nextIteration() > 0
                ? "the last good checkpoint (iteration " + lastSaved.nextIteration() + ") is kept in " + dir.root()
                        + "; continue from it with --resume and a lower --lr (or --lambda-max), or start over with --force"
                : "no checkpoint was reached; run the same command again with a lower --lr (or --lambda-max)";
        return new TrainingDivergedException("training diverged at iteration " + iteration + " (" + what + "); " + kept);
    }

    /** Training produced non-finite numbers; nothing non-finite was saved. */
    public static final class TrainingDivergedException extends IllegalStateException {
        TrainingDivergedException(String message) {
            super(message);
        }
    }
}
