package fr.sante.workbench.studies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

/**
 * Bar and line charts written as PNG and SVG (XChart), from published figures only. A missing value (a
 * suppressed cell) is left out of the chart, never drawn as zero.
 */
public final class Charts {
  private Charts() {}

  /** A chart written to disk. */
  public record Chart(String name, String title, Path png, Path svg) {}

  /** Kind of chart. */
  public enum Kind {
    BARS,
    LINES
  }

  /**
   * Writes {@code <dir>/<name>.png} and {@code .svg}.
   *
   * @param series series name → one value per category (null = not published)
   */
  public static Chart write(
      Path dir, String name, String title, String xTitle, String yTitle, Kind kind, List<String> categories, Map<String, List<? extends Number>> series) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart =
        new CategoryChartBuilder().width(900).height(480).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setLegendVisible(series.size() > 1);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 8 ? 90 : 0);
    chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, categories.size() > 30 ? 9 : 11));
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setDefaultSeriesRenderStyle(kind == Kind.LINES ? CategorySeries.CategorySeriesRenderStyle.Line : CategorySeries.CategorySeriesRenderStyle.Bar);
    chart.getStyler().setOverlapped(false);
    for (Map.Entry<String, List<? extends Number>> s : series.entrySet()) {
      if (s.getValue().size() != categories.size()) {
        throw new IllegalArgumentException("Series '" + s.getKey() + "' has " + s.getValue().size() + " values for " + categories.size() + " categories");
      }
      List<String> xs = new ArrayList<>();
      List<Number> ys = new ArrayList<>();
      for (int i = 0; i < categories.size(); i++) {
        // XChart draws nulls of a line series as gaps; for bars an absent category is a gap as well
        if (s.getValue().get(i) != null || kind == Kind.LINES) {
          xs.add(categories.get(i));
          ys.add(s.getValue().get(i));
        }
      }
      if (!xs.isEmpty()) {
        chart.addSeries(s.getKey(), xs, ys);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      // nothing published to draw (every value hidden): say so instead of drawing zeros
      chart.setTitle(title + " (no published value)");
      chart.getStyler().setLegendVisible(false);
      chart.addSeries("none", List.of("no published value"), List.of(0));
    }
    return save(chart, dir, name, title);
  }

  /**
   * A forest plot of multiplicative effects: each term's ratio {@code exp(estimate)} with its interval
   * {@code exp(estimate ± halfWidth)} (estimates on the natural log scale), on a logarithmic axis (drawn on the log
   * scale, where the interval is symmetric, with ticks labelled as ratios), and the no-effect line at 1.
   */
  public static Chart effects(Path dir, String name, String title, List<String> terms, List<Double> estimates, List<Double> halfWidths) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart =
        new CategoryChartBuilder().width(900).height(520).title(title).xAxisTitle("term (vs its reference level)").yAxisTitle("ratio, log scale").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setXAxisLabelRotation(terms.size() > 8 ? 90 : 0);
    chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, terms.size() > 30 ? 9 : 11));
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    // drawn in log2 units, so that the ticks fall on ratios of 1/4, 1/2, 1, 2, 4...
    double ln2 = Math.log(2);
    chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> String.format(java.util.Locale.ROOT, "%.3g", Math.pow(2, v)));
    CategorySeries effects =
        chart.addSeries("ratio with its interval", terms, estimates.stream().map(e -> e / ln2).toList(), halfWidths.stream().map(h -> h / ln2).toList());
    effects.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    CategorySeries none = chart.addSeries("no effect (ratio 1)", terms, java.util.Collections.nCopies(terms.size(), 0.0));
    none.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    none.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    none.setLineColor(java.awt.Color.GRAY);
    return save(chart, dir, name, title);
  }

  private static Chart save(CategoryChart chart, Path dir, String name, String title) {
    try {
      Files.createDirectories(dir);
      Path base = dir.resolve(name);
      BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
      VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      return new Chart(name, title, dir.resolve(name + ".png"), dir.resolve(name + ".svg"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write chart " + name + " to " + dir, e);
    }
  }

  /** One series. */
  public static Map<String, List<? extends Number>> single(String name, List<? extends Number> values) {
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    series.put(name, values);
    return series;
  }
}
