package org.danseg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.danseg.io.BadInputException;
import org.danseg.model.ModelFolder;
import org.danseg.nn.EvaluationNet;
import org.danseg.nn.Fusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @TempDir
    Path dir;

    private static TrainConfig keys(Map<String, Object> values) throws Exception {
        return TrainConfig.resolve(null, TrainConfig.fromKeys(values, "test: setting"));
    }

    @Test
    void flagsOverrideFileOverrideDefaults() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"width\": 8, \"lr\": 0.01, \"fusion\": \"product\"}");
        Map<Setting, Object> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.WIDTH, 4);
        flags.put(Setting.FUSION, null);
        TrainConfig c = TrainConfig.resolve(file, flags);
        assertThat(c.network().width()).isEqualTo(4);
        assertThat(c.optimisation().lr()).isEqualTo(0.01);
        assertThat(c.network().fusion()).as("a null flag leaves the file's value").isEqualTo(Fusion.PRODUCT);
        assertThat(c.optimisation().iterations()).isEqualTo(Setting.ITERATIONS.defaultValue());
        assertThat(Path.of(c.data().annotated())).isAbsolute();
        // The saved config reads back to the same record.
        Files.writeString(dir.resolve("saved.json"), c.toJson());
        assertThat(ModelFolder.readConfig(dir.resolve("saved.json"))).isEqualTo(c);
    }

    @Test
    void patchesTooSmallForTheNetworkAreRefusedForNewRuns() throws Exception {
        // dan-fcn on 64-pixel patches (a 2 x 2 bottleneck) trained a network that did not segment on larger tiles (issue 21).
        TrainConfig fcn = keys(Map.of("annotated", "a", "unannotated", "u", "sn", "dan-fcn", "patch", 64));
        assertThatThrownBy(fcn::checkTrainable).isInstanceOf(BadInputException.class).hasMessageContaining("--patch must be at least 128");
        keys(Map.of("annotated", "a", "unannotated", "u", "sn", "dan-fcn", "patch", 128)).checkTrainable();
        assertThatThrownBy(keys(Map.of("annotated", "a", "unannotated", "u", "sn", "unet", "patch", 32))::checkTrainable)
                .hasMessageContaining("--patch must be at least 64 for --sn unet");
        keys(Map.of("annotated", "a", "unannotated", "u", "sn", "unet", "patch", 64)).checkTrainable();
    }

    @Test
    void aShortSupervisedRunIgnoresPreTraining() throws Exception {
        // Pre-training means nothing to SN alone: its default must not make --iterations 60 an error.
        TrainConfig c = keys(Map.of("annotated", "a", "mode", "supervised", "iterations", 60));
        assertThat(c.optimisation().iterations()).isEqualTo(60);
        assertThat(c.recipe().pretrainIterations()).isLessThanOrEqualTo(60);
        assertThatThrownBy(() -> keys(Map.of("annotated", "a", "unannotated", "u", "mode", "paper", "iterations", 60, "pretrainIterations", 61)))
                .hasMessageContaining("--pretrain-iterations");
    }

    @Test
    void unknownSettingsAndBadValuesAreRefusedByName() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"widht\": 8}");
        assertThatThrownBy(() -> TrainConfig.resolve(file, Map.of())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("widht").hasMessageContaining("c.json");
        assertThatThrownBy(() -> keys(Map.of("annotated", "a", "unannotated", "u", "patch", 100)))
                .hasMessageContaining("--patch").hasMessageContaining("16");
        assertThatThrownBy(() -> keys(Map.of("annotated", "a"))).hasMessageContaining("--unannotated");
        assertThat(keys(Map.of("annotated", "a", "mode", "supervised")).data().unannotated()).isNull();
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"iterations\": 2.7, \"mode\": \"adversarial\"}");
        assertThatThrownBy(() -> TrainConfig.resolve(file, Map.of())).hasMessageContaining("c.json: setting 'iterations' must be a whole number");
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"mode\": \"adversarial\"}");
        assertThatThrownBy(() -> TrainConfig.resolve(file, Map.of())).hasMessageContaining("c.json: setting 'mode' must be one of supervised, balanced");
        Files.writeString(file, "{\"annotated\": \"a\", \"unannotated\": \"u\", \"iterations\": 99999999999}");
        assertThatThrownBy(() -> TrainConfig.resolve(file, Map.of())).as("no silent overflow").hasMessageContaining("'iterations'");
        Map<Setting, Object> flag = new EnumMap<>(Setting.class);
        flag.put(Setting.SN, "resnet");
        assertThatThrownBy(() -> TrainConfig.resolve(file.resolveSibling("none.json"), flag)).isInstanceOf(BadInputException.class);
        Files.writeString(file, "{\"annotated\": \"a\"}");
        assertThatThrownBy(() -> TrainConfig.resolve(file, flag)).hasMessageContaining("--sn must be one of dan-fcn, unet, unet4, not resnet");
    }

    @Test
    void intensityJitterDefaultsToTheShippedAugmentationAndCanBeTurnedOff() throws Exception {
        // The reference trains without it; issue 35's parity runs need danseg without it too.
        TrainConfig c = keys(Map.of("annotated", "a", "mode", "supervised"));
        assertThat(org.danseg.data.Augmentation.withIntensityJitter(c.data().intensityJitter()))
                .as("the default is the augmentation every earlier run trained with").isEqualTo(org.danseg.data.Augmentation.DEFAULT);
        assertThat(keys(Map.of("annotated", "a", "mode", "supervised", "intensityJitter", 0)).data().intensityJitter()).isZero();
        assertThatThrownBy(() -> keys(Map.of("annotated", "a", "mode", "supervised", "intensityJitter", -0.1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--intensity-jitter");
    }

    @Test
    void eachModeGetsItsEvaluatorAndScheduleAndOnlyBalancedBalancesByDefault() throws Exception {
        Map<String, Object> base = Map.of("annotated", "a", "unannotated", "u");
        TrainConfig def = keys(base);
        assertThat(def.recipe().mode()).isEqualTo(Mode.DAN);
        assertThat(def.recipe().balancedGradient()).isFalse();
        assertThat(def.network().evaluator()).isEqualTo(EvaluationNet.Kind.PIXEL);
        assertThat(def.recipe().pretrainIterations()).isEqualTo(50);
        assertThat(def.recipe().lambdaStart()).isEqualTo(1.0);
        assertThat(def.recipe().lambdaRamp()).isZero();
        Map<String, Object> balanced = new HashMap<>(base);
        balanced.put("mode", "balanced");
        assertThat(keys(balanced).recipe().balancedGradient()).isTrue();
        assertThat(keys(balanced).network().evaluator()).isEqualTo(EvaluationNet.Kind.IMAGE);
        assertThat(keys(balanced).recipe().pretrainIterations()).as("the paper's slow start").isEqualTo(300);
        assertThat(keys(balanced).recipe().lambdaStart()).isEqualTo(0.1);
        assertThat(keys(balanced).recipe().lambdaRamp()).isEqualTo(300);
        Map<String, Object> given = new HashMap<>(base);
        given.put("pretrainIterations", 7);
        assertThat(keys(given).recipe().pretrainIterations()).as("a given value wins").isEqualTo(7);
        Map<String, Object> paper = new HashMap<>(base);
        paper.put("mode", "paper");
        assertThat(keys(paper).recipe().balancedGradient()).as("the paper's plain sum").isFalse();
        Map<String, Object> dan = new HashMap<>(base);
        dan.put("mode", "dan");
        TrainConfig d = keys(dan);
        assertThat(d.network().evaluator()).isEqualTo(EvaluationNet.Kind.PIXEL);
        assertThat(d.recipe().mode().adversarial()).isTrue();
        Map<String, Object> mt = new HashMap<>(base);
        mt.put("mode", "mean-teacher");
        TrainConfig m = keys(mt);
        assertThat(m.recipe().mode().adversarial()).as("Mean Teacher has no EN to score with").isFalse();
        assertThat(m.recipe().mode().semiSupervised()).isTrue();
        // A model saved before these settings existed used the image EN and the balanced gradient.
        Files.writeString(dir.resolve("old.json"), "{\"annotated\": \"a\", \"unannotated\": \"u\", \"mode\": \"dan\"}");
        TrainConfig old = ModelFolder.readConfig(dir.resolve("old.json"));
        assertThat(old.network().evaluator()).isEqualTo(EvaluationNet.Kind.IMAGE);
        assertThat(old.recipe().adversarialBalance()).isEqualTo(AdversarialBalance.GRADIENT);
    }

    @Test
    void configJsonKeepsItsKeysAndChoiceNames() throws Exception {
        TrainConfig c = keys(Map.of("annotated", "a", "unannotated", "u", "sn", "unet", "patch", 64, "mode", "mean-teacher"));
        Map<String, Object> json = c.toJsonMap();
        assertThat(json.keySet()).containsExactlyElementsOf(Setting.keys());
        assertThat(json).containsEntry("sn", "unet").containsEntry("mode", "mean-teacher").containsEntry("lrSchedule", "poly")
                .containsEntry("axis", "z").containsEntry("intensity", "mri").containsEntry("evaluator", null);
    }

    @Test
    void resumeMayChangeOnlyTheRunLengthAndStepSizes() throws Exception {
        TrainConfig saved = keys(Map.of("annotated", "a", "unannotated", "u", "iterations", 100, "pretrainIterations", 50));
        Map<Setting, Object> longer = new EnumMap<>(Setting.class);
        longer.put(Setting.ITERATIONS, 200);
        longer.put(Setting.LR, 1e-4);
        TrainConfig resumed = TrainConfig.resumed(saved, null, longer, "m");
        assertThat(resumed.optimisation().iterations()).isEqualTo(200);
        assertThat(resumed.optimisation().lr()).isEqualTo(1e-4);
        assertThat(resumed.network()).isEqualTo(saved.network());
        Map<Setting, Object> wider = new EnumMap<>(Setting.class);
        wider.put(Setting.WIDTH, 32);
        assertThatThrownBy(() -> TrainConfig.resumed(saved, null, wider, "m")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("width differs (16 saved, 32 given)");
        // A --config on resume is read over the saved settings: its keys count, the others stay as saved.
        Path file = dir.resolve("more.json");
        Files.writeString(file, "{\"iterations\": 300}");
        assertThat(TrainConfig.resumed(saved, file, Map.of(), "m").optimisation().iterations()).isEqualTo(300);
        Files.writeString(file, "{\"iterations\": 300, \"fusion\": \"mask\"}");
        assertThatThrownBy(() -> TrainConfig.resumed(saved, file, Map.of(), "m")).hasMessageContaining("fusion differs");
    }
}
