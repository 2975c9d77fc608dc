package org.danseg.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** MODEL_DIR/train_log.csv as columns of numbers (NaN for empty cells). */
public record TrainingLog(Map<String, double[]> columns) {

    public static TrainingLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty training log");
        }
        String[] header = lines.get(0).split(",", -1);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            double[] v = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                String cell = c < rows.get(r).length ? rows.get(r)[c] : "";
                v[r] = parse(cell);
            }
            cols.put(header[c], v);
        }
        return new TrainingLog(cols);
    }

    private static double parse(String cell) {
        try {
            return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN; // the phase column
        }
    }

    public double[] column(TrainLogColumn column) {
        double[] v = columns.get(column.header());
        return v == null ? new double[0] : v;
    }

    /** (x, y) pairs of a column where it has values, optionally smoothed by a trailing moving average. */
    public double[][] series(TrainLogColumn name, int smooth) {
        double[] it = column(TrainLogColumn.ITERATION);
        double[] y = column(name);
        List<double[]> points = new ArrayList<>();
        double sum = 0;
        ArrayList<Double> window = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i])) {
                continue;
            }
            window.add(y[i]);
            sum += y[i];
            if (window.size() > smooth) {
                sum -= window.remove(0);
            }
            points.add(new double[] {it[i], sum / window.size()});
        }
        double[][] out = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
        }
        return out;
    }

    public boolean has(TrainLogColumn name) {
        return Arrays.stream(column(name)).anyMatch(v -> !Double.isNaN(v));
    }
}
