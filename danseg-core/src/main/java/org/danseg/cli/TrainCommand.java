package org.danseg.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.danseg.config.Setting;
import org.danseg.config.TrainConfig;
import org.danseg.model.CheckpointState;
import org.danseg.model.ModelFolder;
import org.danseg.train.StepResult;
import org.danseg.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = TrainCommand.SettingOptions.class,
        description = {"Train a segmentation network with DAN (annotated + unannotated images) or SN alone (the baseline).",
                "Settings come from defaults, then --config FILE.json (same names as config.json), then these flags."})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Where the model, logs and checkpoints go.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE.json", description = "Settings file; flags override it.")
    Path configFile;

    @Option(names = "--resume", description = "Continue the interrupted run in MODEL_DIR from its last checkpoint.")
    boolean resume;

    @Option(names = "--force", description = "Replace an existing non-empty MODEL_DIR.")
    boolean force;

    /** The training settings' options, generated from {@link Setting}: each is defined there once. */
    static final class SettingOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec command) {
            for (Setting s : Setting.values()) {
                CommandLine.Model.OptionSpec.Builder option = CommandLine.Model.OptionSpec.builder(s.flag())
                        .paramLabel(s.paramLabel()).description(s.help());
                if (s.type() == List.class) {
                    option.type(List.class).auxiliaryTypes(String.class);
                } else if (s.type() == Boolean.class) {
                    option.type(Boolean.class).arity("0..1");
                } else if (s.type().isEnum()) {
                    option.type(String.class);
                } else {
                    option.type(s.type());
                }
                command.addOption(option.build());
            }
            return command;
        }
    }

    /** The settings given on the command line (absent flags are not in the map). */
    private Map<Setting, Object> flags() {
        Map<Setting, Object> m = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            CommandLine.Model.OptionSpec option = spec.findOption(s.flag());
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                m.put(s, option.getValue());
            }
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        deviceOption.select();
        if (resume && force) {
            throw new UserInputException("--resume and --force contradict each other: continue the run, or replace it");
        }
        if (configFile != null) {
            org.danseg.io.OutputGuard.refuseOverlap(out, "--out", List.of(configFile));
        }
        TrainingRun run = TrainingRun.prepare(resume ? resumedConfig() : TrainConfig.resolve(configFile, flags()), out, resume, force);
        TrainConfig config = run.config(); // an nnU-Net dataset of volumes is now its volume files
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        stdout.println((resume ? "resuming " : "training ") + out + " with:");
        stdout.println(config.toJson());
        stdout.flush();
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        CheckpointState state;
        try (ProgressBar bar = interactive ? new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("train")
                .setInitialMax(config.optimisation().iterations()).continuousUpdate().setUpdateIntervalMillis(500).build() : null) {
            state = run.run(new TrainingRun.Listener() {
                @Override
                public void started(TrainConfig c, int first) {
                    if (bar != null) {
                        bar.stepTo(first);
                    }
                }

                @Override
                public void iteration(int it, String phase, double lambda, StepResult r, double valDice, NDManager root) {
                    if (bar != null) {
                        bar.stepTo(it + 1);
                        bar.setExtraMessage(String.format(Locale.ROOT, " %s sup %.3f%s%s", phase, r.supervisedLoss(),
                                Double.isNaN(r.enLoss()) ? "" : String.format(Locale.ROOT, " en %.3f lam %.2f", r.enLoss(), lambda),
                                Double.isNaN(valDice) ? "" : String.format(Locale.ROOT, " val %.3f", valDice)));
                    } else if ((it + 1) % 100 == 0 || !Double.isNaN(valDice)) {
                        stdout.printf(Locale.ROOT, "iteration %d/%d %s supervised %.4f%s%s%n", it + 1, config.optimisation().iterations(), phase,
                                r.supervisedLoss(), Double.isNaN(r.enLoss()) ? "" : String.format(Locale.ROOT, " en %.4f lambda %.3f", r.enLoss(), lambda),
                                Double.isNaN(valDice) ? "" : String.format(Locale.ROOT, " val Dice %.4f", valDice));
                        stdout.flush();
                    }
                }

                @Override
                public void warning(String message) {
                    stderr.println("warning: " + message);
                    stderr.flush();
                }
            });
        }
        if (run.stoppedBy() != null) {
            stdout.printf(Locale.ROOT, "stopped by %s; the last checkpoint (iteration %d) is kept: continue with danseg train --resume --out %s%n",
                    run.stoppedBy(), state.nextIteration(), out);
            stdout.flush();
            return run.stoppedBy().equals("SIGINT") ? 130 : 143;
        }
        stdout.printf(Locale.ROOT, "done: %d iterations in %.0f s%s; model in %s%n", state.nextIteration(), state.seconds(),
                Double.isNaN(state.bestValDice()) ? "" : String.format(Locale.ROOT, ", best validation Dice %.4f at iteration %d",
                        state.bestValDice(), state.bestIteration() + 1), out.toAbsolutePath().normalize());
        stdout.flush();
        return ExitCodes.OK;
    }

    /** A resumed run keeps its saved settings; {@link TrainConfig#resumed} says what may change. */
    private TrainConfig resumedConfig() throws Exception {
        ModelFolder dir = new ModelFolder(out);
        if (!Files.isRegularFile(dir.config())) {
            throw new UserInputException(out + ": nothing to resume (no " + dir.config().getFileName() + ")");
        }
        return TrainConfig.resumed(dir.readConfig(), configFile, flags(), out.toString());
    }
}
