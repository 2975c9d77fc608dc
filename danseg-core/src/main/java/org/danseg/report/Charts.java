package org.danseg.report;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training-curve charts (XChart), rendered to PNG and embedded as data URIs. */
final class Charts {

    record Line(String name, double[][] xy) {
    }

    private Charts() {
    }

    static String png(String title, String yLabel, List<Line> lines) throws IOException {
        XYChart chart = new XYChartBuilder().width(620).height(330).title(title).xAxisTitle("iteration").yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(lines.size() > 1);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        // Iterations are whole numbers; the default pattern and spacing crowded labels like "1,000.0" into each other.
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        boolean any = false;
        for (Line l : lines) {
            if (l.xy()[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(l.name(), l.xy()[0], l.xy()[1]);
            s.setMarker(l.xy()[0].length < 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            any = true;
        }
        if (!any) {
            return null;
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    }
}
