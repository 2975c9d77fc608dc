package org.danseg.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.danseg.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * results.png: for every evaluation, Dice and object F1 against the number of annotated images
 * (or slices), mean over seeds with +-1 standard deviation as error bars, one line per mode and variant.
 */
final class ResultsPlot {

    private ResultsPlot() {
    }

    static void write(ResultsSummary summary, List<String> modes, Path file) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        Set<String> evaluations = new LinkedHashSet<>();
        Set<String> variants = new LinkedHashSet<>();
        for (ResultsSummary.Group g : summary.groups()) {
            evaluations.add(g.evaluation());
            variants.add(g.variant());
        }
        for (String evaluation : evaluations) {
            for (CellResult.Metric metric : new CellResult.Metric[] {CellResult.Metric.DICE, CellResult.Metric.OBJECT_F1}) {
                XYChart chart = new XYChartBuilder().width(560).height(360).title(evaluation + ": " + metric.title)
                        .xAxisTitle("annotated").yAxisTitle(metric.title).build();
                chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
                chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
                for (String variant : variants) {
                    for (String mode : modes) {
                        List<Double> x = new ArrayList<>();
                        List<Double> y = new ArrayList<>();
                        List<Double> err = new ArrayList<>();
                        for (ResultsSummary.Group g : summary.groups()) {
                            ResultsSummary.Spread s = g.evaluation().equals(evaluation) && g.variant().equals(variant) ? summary.spread(g, mode, metric) : null;
                            if (s != null) {
                                x.add((double) g.annotated());
                                y.add(s.mean());
                                err.add(Double.isNaN(s.sd()) ? 0 : s.sd());
                            }
                        }
                        if (!x.isEmpty()) {
                            String name = (mode.equals("supervised") ? "baseline" : mode) + (variants.size() > 1 ? " (" + variant + ")" : "");
                            XYSeries series = chart.addSeries(name, x, y, err);
                            series.setMarker(SeriesMarkers.CIRCLE);
                        }
                    }
                }
                charts.add(chart);
            }
        }
        if (charts.isEmpty()) {
            return;
        }
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(charts, evaluations.size(), 2, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
