package fr.sante.workbench.studies;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import fr.sante.workbench.anonymisation.ReportText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Bar and line charts written as PNG and SVG (XChart), from published figures only. A missing value (a
 * suppressed cell) is left out of the chart, never drawn as zero; a chart with nothing published to draw is not
 * drawn at all, and the report says why.
 */
public final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 480;
  /** Pixels per character of a rotated category label (11 pt sans serif), added below the plot. */
  private static final int LABEL_PIXELS_PER_CHAR = 6;

  private Charts() {}

  /** A chart of a report: drawn, or left out with the reason. */
  public sealed interface Figure permits Chart, Omitted {
    String name();

    String title();
  }

  /** A chart written to disk. */
  public record Chart(String name, String title, Path png, Path svg) implements Figure {}

  /** A chart not drawn, and why (said in the report in its place). */
  public record Omitted(String name, String title, String reason) implements Figure {}

  /** The drawn charts among {@code figures}. */
  public static List<Chart> drawn(List<? extends Figure> figures) {
    List<Chart> out = new ArrayList<>();
    for (Figure f : figures) {
      if (f instanceof Chart d) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * Monthly lines: one series per name, each point on its month's tick (an XY chart whose x counts months,
   * labelled yyyy-MM), legend below the plot. Not drawn when no value is published.
   *
   * @param months the months, yyyy-MM, strictly increasing
   * @param series series name → one value per month (null = not published: a gap in the line)
   */
  public static Figure months(Path dir, String name, String title, String yTitle, List<String> months, Map<String, List<? extends Number>> series) {
    return months(english(), dir, name, title, yTitle, months, series);
  }

  /** {@link #months(Path, String, String, String, List, Map)} with its texts and axis numbers in {@code text}'s language. */
  public static Figure months(
      ReportText text, Path dir, String name, String title, String yTitle, List<String> months, Map<String, List<? extends Number>> series) {
    Objects.requireNonNull(dir, "dir is null");
    Omitted none = new Omitted(name, title, whyNone(text, months.size(), series));
    return hasValue(series) ? save(monthChart(text, title, yTitle, months, series), dir, name, title) : none;
  }

  /** The line chart of {@link #months}, not written (package-private: tests read its series). */
  static XYChart monthChart(String title, String yTitle, List<String> months, Map<String, List<? extends Number>> series) {
    return monthChart(english(), title, yTitle, months, series);
  }

  private static XYChart monthChart(ReportText text, String title, String yTitle, List<String> months, Map<String, List<? extends Number>> series) {
    List<YearMonth> parsed = new ArrayList<>();
    for (String m : months) {
      try {
        parsed.add(YearMonth.parse(m));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("Invalid month '" + m + "' for chart '" + title + "' (must be yyyy-MM)", e);
      }
      if (parsed.size() > 1 && !parsed.get(parsed.size() - 1).isAfter(parsed.get(parsed.size() - 2))) {
        throw new IllegalArgumentException("Cannot draw chart '" + title + "': months must increase, found " + parsed.get(parsed.size() - 2) + " then " + m);
      }
    }
    headless();
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(text.msg("chart.month")).yAxisTitle(yTitle).build();
    style(chart.getStyler(), text);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setLegendVisible(series.size() > 1);
    // x counts months from the first: a tick at a whole number carries its month, any other tick no label
    YearMonth first = parsed.isEmpty() ? YearMonth.of(2000, 1) : parsed.get(0);
    YearMonth last = parsed.isEmpty() ? first : parsed.get(parsed.size() - 1);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> monthAt(first, last, x));
    if (months.size() == 1) {
      chart.getStyler().setXAxisMin(-1.0);
      chart.getStyler().setXAxisMax(1.0);
    }
    for (Map.Entry<String, List<? extends Number>> s : series.entrySet()) {
      checkSize(title, s.getKey(), s.getValue(), months.size());
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < months.size(); i++) {
        xs.add((double) first.until(parsed.get(i), java.time.temporal.ChronoUnit.MONTHS));
        // XChart draws NaN as a gap in the line
        ys.add(s.getValue().get(i) == null ? Double.NaN : s.getValue().get(i).doubleValue());
      }
      XYSeries line = chart.addSeries(s.getKey(), xs, ys);
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
    return chart;
  }

  /** The month x stands for (x counts months from {@code first}), or no label between months and outside the range. */
  static String monthAt(YearMonth first, YearMonth last, double x) {
    long rank = Math.round(x);
    YearMonth month = first.plusMonths(rank);
    return Math.abs(x - rank) < 1e-6 && !month.isBefore(first) && !month.isAfter(last) ? month.toString() : "";
  }

  /**
   * Vertical bars of one series, in the order given, with whole category labels (turned when long or many).
   * Categories whose value is not published are left out; not drawn when none is.
   *
   * @param values one value per category (null = not published)
   */
  public static Figure bars(Path dir, String name, String title, String xTitle, String yTitle, List<String> categories, List<? extends Number> values) {
    return bars(english(), dir, name, title, xTitle, yTitle, categories, values);
  }

  /** {@link #bars(Path, String, String, String, String, List, List)} with its texts and axis numbers in {@code text}'s language. */
  public static Figure bars(
      ReportText text, Path dir, String name, String title, String xTitle, String yTitle, List<String> categories, List<? extends Number> values) {
    Objects.requireNonNull(dir, "dir is null");
    Map<String, List<? extends Number>> series = single(yTitle, values);
    return hasValue(series)
        ? save(barChart(text, title, xTitle, yTitle, categories, values), dir, name, title)
        : new Omitted(name, title, whyNone(text, categories.size(), series));
  }

  /** The bar chart of {@link #bars}, not written (package-private: tests read its series). */
  static CategoryChart barChart(String title, String xTitle, String yTitle, List<String> categories, List<? extends Number> values) {
    return barChart(english(), title, xTitle, yTitle, categories, values);
  }

  private static CategoryChart barChart(ReportText text, String title, String xTitle, String yTitle, List<String> categories, List<? extends Number> values) {
    checkSize(title, yTitle, values, categories.size());
    List<String> xs = new ArrayList<>();
    List<Number> ys = new ArrayList<>();
    for (int i = 0; i < categories.size(); i++) {
      if (values.get(i) != null) {
        xs.add(categories.get(i));
        ys.add(values.get(i));
      }
    }
    int longest = xs.stream().mapToInt(String::length).max().orElse(0);
    boolean turned = xs.size() > 8 || longest * xs.size() > 100;
    headless();
    CategoryChart chart =
        new CategoryChartBuilder().width(WIDTH).height(HEIGHT + (turned ? longest * LABEL_PIXELS_PER_CHAR : 0)).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
            .build();
    style(chart.getStyler(), text);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(turned ? 90 : 0);
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, xs.size() > 30 ? 9 : 11));
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
    chart.addSeries(yTitle, xs, ys);
    return chart;
  }

  /** Orders codes as numbers when both are numbers (8 before 15 before 30), else as text. */
  public static final Comparator<String> BY_NUMBER =
      (a, b) -> {
        boolean na = a.matches("\\d+");
        boolean nb = b.matches("\\d+");
        if (na && nb) {
          int c = new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
          return c != 0 ? c : a.compareTo(b);
        }
        return na ? -1 : nb ? 1 : a.compareTo(b);
      };

  private static boolean hasValue(Map<String, List<? extends Number>> series) {
    return series.values().stream().anyMatch(v -> v.stream().anyMatch(Objects::nonNull));
  }

  private static String whyNone(ReportText text, int points, Map<String, List<? extends Number>> series) {
    if (points == 0) {
      return text.msg("chart.none.lines");
    }
    int values = points * series.size();
    return values == 1 ? text.msg("chart.none.one") : text.msg("chart.none.many", values);
  }

  private static void checkSize(String title, String series, List<?> values, int categories) {
    if (values.size() != categories) {
      throw new IllegalArgumentException(
          "Cannot draw chart '" + title + "': series '" + series + "' has " + values.size() + " values for " + categories + " categories");
    }
  }

  private static void style(org.knowm.xchart.style.AxesChartStyler styler, ReportText text) {
    // axis numbers in the report's typography (French: decimal comma, narrow no-break space)
    styler.setLocale(text.language().locale());
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
  }

  private static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * A forest plot of multiplicative effects: each term's ratio {@code exp(estimate)} with its interval
   * {@code exp(estimate ± halfWidth)} (estimates on the natural log scale), on a logarithmic axis (drawn on the log
   * scale, where the interval is symmetric, with ticks labelled as ratios), and the no-effect line at 1.
   */
  public static Chart effects(Path dir, String name, String title, List<String> terms, List<Double> estimates, List<Double> halfWidths) {
    return effects(english(), dir, name, title, terms, estimates, halfWidths);
  }

  /** {@link #effects(Path, String, String, List, List, List)} with its texts and axis numbers in {@code text}'s language. */
  public static Chart effects(ReportText text, Path dir, String name, String title, List<String> terms, List<Double> estimates, List<Double> halfWidths) {
    headless();
    CategoryChart chart =
        new CategoryChartBuilder().width(WIDTH).height(520).title(title).xAxisTitle(text.msg("chart.effects.x")).yAxisTitle(text.msg("chart.effects.y")).build();
    chart.getStyler().setLocale(text.language().locale());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setXAxisLabelRotation(terms.size() > 8 ? 90 : 0);
    chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, terms.size() > 30 ? 9 : 11));
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    // drawn in log2 units, so that the ticks fall on ratios of 1/4, 1/2, 1, 2, 4...
    double ln2 = Math.log(2);
    chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> text.number(new java.math.BigDecimal(Math.pow(2, v)).round(new java.math.MathContext(3)).toPlainString()));
    CategorySeries effects =
        chart.addSeries(text.msg("chart.effects.series"), terms, estimates.stream().map(e -> e / ln2).toList(), halfWidths.stream().map(h -> h / ln2).toList());
    effects.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    CategorySeries none = chart.addSeries(text.msg("chart.effects.none"), terms, java.util.Collections.nCopies(terms.size(), 0.0));
    none.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    none.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    none.setLineColor(java.awt.Color.GRAY);
    return save(chart, dir, name, title);
  }

  private static Chart save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path dir, String name, String title) {
    try {
      Files.createDirectories(dir);
      Path base = dir.resolve(name);
      BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
      VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      return new Chart(name, title, dir.resolve(name + ".png"), dir.resolve(name + ".svg"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write chart '" + name + "' to " + dir, e);
    }
  }

  private static ReportText english() {
    return StudyReport.texts(fr.sante.workbench.anonymisation.ReportLanguage.EN);
  }

  /** One series. */
  public static Map<String, List<? extends Number>> single(String name, List<? extends Number> values) {
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    series.put(name, values);
    return series;
  }
}
