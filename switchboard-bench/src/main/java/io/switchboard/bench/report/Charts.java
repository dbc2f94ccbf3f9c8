package io.switchboard.bench.report;

import io.switchboard.bench.scenario.Result;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's PNG charts, drawn with XChart. */
final class Charts {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 450;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private Charts() {
    }

    /** Latency at p50 ... p99.99 for each result (one bar group per percentile, one bar per peer). */
    static void latencyPercentiles(Path file, String title, List<Result> results) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile").yAxisTitle("milliseconds").build();
        style(chart.getStyler());
        List<String> labels = new ArrayList<>();
        for (double p : PERCENTILES) {
            labels.add("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)));
        }
        for (Result result : results) {
            Histogram h = result.latency();
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (double p : PERCENTILES) {
                values.add(h.getValueAtPercentile(p) / 1e6);
            }
            chart.addSeries(result.peer(), labels, values);
        }
        save(chart, file);
    }

    /** One line per peer: {@code y} against {@code x} (log scale), e.g. messages/s against connections. */
    static void lines(Path file, String title, String xTitle, String yTitle, Map<String, double[][]> seriesByPeer) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        for (Map.Entry<String, double[][]> series : seriesByPeer.entrySet()) {
            chart.addSeries(series.getKey(), series.getValue()[0], series.getValue()[1]).setMarker(SeriesMarkers.CIRCLE);
        }
        save(chart, file);
    }

    /** Grouped bars: one group per category, one bar per peer. */
    static void bars(Path file, String title, String xTitle, String yTitle, List<String> categories, Map<String, List<Double>> valuesByPeer)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        for (Map.Entry<String, List<Double>> series : valuesByPeer.entrySet()) {
            List<Double> values = series.getValue().stream().map(v -> v.isNaN() ? 0.0 : v).toList();
            chart.addSeries(series.getKey(), categories, values);
        }
        save(chart, file);
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setPlotGridLinesVisible(true);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
