package org.danseg.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code danseg doctor} checks: the facts a user (or a bug report) needs when training is
 * slow or will not start, and the problems among them, each with what to do.
 */
public record SystemReport(Map<String, String> facts, List<String> problems, List<String> warnings) {

    /** CPU feature flags that matter for PyTorch's CPU kernels, as /proc/cpuinfo names them. */
    private static final List<String> CPU_FLAGS = List.of("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile", "amx_bf16", "amx_fp16", "amx_int8");

    public static SystemReport collect() {
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        facts.put("danseg", Version.get());
        facts.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        facts.put("offline mode", String.valueOf(Boolean.getBoolean("ai.djl.offline")));
        if (!Boolean.getBoolean("ai.djl.offline")) {
            warnings.add("ai.djl.offline is not set: DJL may try to download native libraries (run danseg through ./danseg)");
        }
        EngineProbe.Result engine = EngineProbe.run();
        facts.putAll(engine.facts());
        problems.addAll(engine.problems());
        if (engine.problems().isEmpty()) {
            NumericsGuard.Status numerics = NumericsGuard.status();
            facts.put("numerics", numerics.line());
            if (!numerics.usable()) {
                problems.add("numerics " + numerics.line());
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        facts.put("cpu cores available", String.valueOf(cores));
        cpuInfo(facts, warnings);
        facts.put("memory", memory());
        facts.put("jvm heap max", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        return new SystemReport(facts, problems, warnings);
    }

    private static void cpuInfo(Map<String, String> facts, List<String> warnings) {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            facts.put("cpu", "unknown (/proc/cpuinfo not readable)");
            return;
        }
        try {
            String model = cpuModel();
            Set<String> flags = new TreeSet<>();
            for (String line : Files.readAllLines(cpuinfo)) {
                if (flags.isEmpty() && line.startsWith("flags")) {
                    for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                        flags.add(f.toLowerCase(Locale.ROOT));
                    }
                }
            }
            facts.put("cpu", cpuIdentity());
            List<String> present = CPU_FLAGS.stream().filter(flags::contains).toList();
            facts.put("cpu features", present.isEmpty() ? "none of " + CPU_FLAGS : String.join(" ", present));
            String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
            facts.put("onednn isa cap", cap == null ? "none" : cap + " (ONEDNN_MAX_CPU_ISA)");
            if (!flags.contains("avx2")) {
                warnings.add("CPU lacks AVX2: PyTorch runs its slow generic kernels; expect long training times");
            }
        } catch (IOException e) {
            facts.put("cpu", "unknown (" + e.getMessage() + ")");
        }
    }

    /** The CPU's model name from /proc/cpuinfo (the first processor's); null where it is not there. */
    public static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return null;
    }

    /** The CPU's model name with its family and model numbers ("AMD EPYC, family 26 model 2"): names alone hide generations. */
    public static String cpuIdentity() {
        try {
            String name = null;
            String family = null;
            String model = null;
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (name == null && line.startsWith("model name")) {
                        name = line.substring(line.indexOf(':') + 1).trim();
                    } else if (family == null && line.startsWith("cpu family")) {
                        family = line.substring(line.indexOf(':') + 1).trim();
                    } else if (model == null && line.matches("model\\s*:.*")) {
                        model = line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
            return (name == null ? "unknown CPU" : name) + (family == null ? "" : ", family " + family + (model == null ? "" : " model " + model));
        } catch (IOException e) {
            return "unknown CPU (" + e.getMessage() + ")";
        }
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB total", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through: memory is informative only
        }
        return "unknown";
    }

    public String verdict() {
        if (!problems.isEmpty()) {
            return "NOT READY: " + problems.get(0);
        }
        String engine = facts.getOrDefault("engine", "?");
        return "OK: danseg can train and predict (" + engine + ", " + facts.getOrDefault("torch threads", "?") + " threads)"
                + (warnings.isEmpty() ? "" : "; " + warnings.size() + " warning(s) above");
    }
}
