package org.danseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time goes, from a PyTorch profiler trace (Chrome trace format, as DJL's
 * {@code stopProfile} and PyTorch's {@code export_chrome_trace} write it): each operator's self
 * time, i.e. its duration minus that of the operators nested directly inside it on the same
 * thread, so that the rows add up to the time spent inside operators.
 */
public record OpProfile(double insideOperatorsSeconds, List<Op> ops) {

    /** One operator name: calls and self time, summed over the whole trace. */
    public record Op(String name, long calls, double selfSeconds) {
    }

    private record Event(String name, double start, double duration) {
    }

    public static OpProfile read(Path trace) throws IOException {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<Event>> byThread = new HashMap<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText())) {
                byThread.computeIfAbsent(e.path("pid").asText() + "/" + e.path("tid").asText(), t -> new ArrayList<>())
                        .add(new Event(e.path("name").asText(), e.path("ts").asDouble(), e.path("dur").asDouble()));
            }
        }
        Map<String, double[]> totals = new HashMap<>(); // name -> {calls, self microseconds}
        double topLevel = 0;
        for (List<Event> thread : byThread.values()) {
            // Parents start no later than their children and last longer: visit them first.
            thread.sort(Comparator.comparingDouble(Event::start).thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
            Deque<Event> open = new ArrayDeque<>();
            for (Event e : thread) {
                while (!open.isEmpty() && open.peek().start() + open.peek().duration() <= e.start()) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    topLevel += e.duration();
                } else {
                    totals.get(open.peek().name())[1] -= e.duration();
                }
                double[] t = totals.computeIfAbsent(e.name(), n -> new double[2]);
                t[0]++;
                t[1] += e.duration();
                open.push(e);
            }
        }
        List<Op> ops = new ArrayList<>();
        totals.forEach((name, t) -> ops.add(new Op(name, (long) t[0], t[1] / 1e6)));
        ops.sort(Comparator.comparingDouble(Op::selfSeconds).reversed().thenComparing(Op::name));
        return new OpProfile(topLevel / 1e6, List.copyOf(ops));
    }

    /**
     * The profile per timed iteration, for bench's JSON: time inside operators, what the mean
     * iteration took beyond them (Java, JNI, copies between the two), and the {@code top}
     * operators by self time.
     */
    public Map<String, Object> perIteration(int iterations, double meanIterationSeconds, int top) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("note", "seconds per timed iteration; the profiled iterations ran a little slower than unprofiled ones");
        m.put("inside_operators_s", round(insideOperatorsSeconds / iterations));
        m.put("mean_iteration_s", round(meanIterationSeconds));
        m.put("outside_operators_s", round(Math.max(0, meanIterationSeconds - insideOperatorsSeconds / iterations)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Op op : ops.subList(0, Math.min(top, ops.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("operator", op.name());
            row.put("self_s", round(op.selfSeconds() / iterations));
            row.put("share", round(op.selfSeconds() / insideOperatorsSeconds));
            row.put("calls", (double) op.calls() / iterations);
            rows.add(row);
        }
        m.put("top_operators", rows);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
