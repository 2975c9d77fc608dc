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

    private static final int MAX_POINTS = 150;

    private Charts() {
    }

    static String png(String title, String yLabel, List<Line> lines) throws IOException {
        XYChart chart = new XYChartBuilder().width(620).height(330).title(title).xAxisTitle("iteration").yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(lines.size() > 1);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisDecimalPattern("#");
        boolean any = false;
        for (Line l : lines) {
            if (l.xy()[0].length == 0) {
                continue;
            }
            double[][] xy = thinned(l.xy());
            XYSeries s = chart.addSeries(l.name(), xy[0], xy[1]);
            s.setMarker(xy[0].length < 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            any = true;
        }
        if (!any) {
            return null;
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A long curve as about 150 points (a 620-pixel chart shows no more), always with its last
     * point. XChart labels equally spaced x values at data points, every k-th for the smallest k
     * whose labels it judges to fit, and ran a curve's 800 iteration labels into each other; a
     * thinned curve that ends off the grid is not equally spaced, so it gets round-number ticks.
     */
    static double[][] thinned(double[][] xy) {
        int n = xy[0].length;
        int step = (n + MAX_POINTS - 1) / MAX_POINTS;
        if (step <= 1) {
            return xy;
        }
        while ((n - 1) % step == 0) {
            step++; // the last point on the grid would leave the curve equally spaced
        }
        int kept = (n - 1) / step + 2; // every step-th point, then the last
        double[][] out = new double[2][kept];
        for (int j = 0; j < kept; j++) {
            int i = j == kept - 1 ? n - 1 : j * step;
            out[0][j] = xy[0][i];
            out[1][j] = xy[1][i];
        }
        return out;
    }
}
