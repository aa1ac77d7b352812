package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.PublishedTable;
import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.anonymisation.ReportText;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.PharmacyLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The shape shared by the Open DAMIR studies: select the lines, publish a monthly table and one table per
 * breakdown (and optionally monthly trends by one dimension) through the gate, then derive rates, growth
 * and per-inhabitant figures, charts and the report from the published files.
 *
 * @param name the study's name
 * @param title the report's title
 * @param lines which lines, beyond the selection (null for all)
 * @param linesText those lines in words
 * @param trend a dimension to publish month by month (null for none)
 * @param quantityNote how {@code quantity} reads in this study's tables, added to the report and to the method of
 *     every derived table not broken down by {@link DamirAxis#PHARMACY_LINE} ("" for nothing to add)
 */
public record DamirStudy(String name, String title, Column lines, String linesText, DamirAxis trend, String quantityNote) {
  public static final String BY_MONTH = "by-month";

  public DamirStudy {
    java.util.Objects.requireNonNull(quantityNote, "quantityNote is null");
  }

  /** A study with nothing to add on {@code quantity}. */
  public DamirStudy(String name, String title, Column lines, String linesText, DamirAxis trend) {
    this(name, title, lines, linesText, trend, "");
  }

  public StudyResult run(SparkSession spark, DamirStudyOptions run) {
    StudyOutput output = StudyOutput.open(spark, run.lake(), run.out(), name, run.suppression(), run.progress(), Lake.DAMIR);
    DamirSelection selection = run.selection().resolve(spark);
    // the report's texts: the published tables' titles and filters stay in English (they go into the manifests)
    ReportText text = StudyReport.texts(run.language());
    List<String> notes = new ArrayList<>();
    if (run.selection().from().isEmpty() && selection.from().isPresent()) {
      notes.add(text.msg("note.from", selection.from().get().toString(), guarded(text, selection.before(spark, lines), run.suppression().minCount())));
    }
    long unknown = selection.unknownMonths(spark, lines);
    if (unknown > 0) {
      notes.add(text.msg("note.unknown_months", guarded(text, unknown, run.suppression().minCount())));
    }
    String filters = selection.describe() + (lines == null ? "" : "; " + linesText) + "; " + DamirFigures.DEFINITIONS;
    Dataset<Row> rows = selection.rows(spark);
    if (lines != null) {
      rows = rows.filter(lines);
    }
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Path report = output.reportDir();
      Path chartDir = report.resolve("charts");
      String reportTitle = text.msg("study." + name + ".title");
      String reportFilters = selection.describe(text) + (lines == null ? "" : "; " + text.msg("study." + name + ".lines")) + "; " + text.msg("figures.definitions");
      StudyReport html = new StudyReport(text, reportTitle, "Open DAMIR " + reportFilters, output.inputs());
      notes.forEach(html::text);
      String reportQuantityNote = quantityNote.isEmpty() ? "" : text.msg("study." + name + ".quantity", PharmacyLines.describeCodes("dispensing-fees"));
      if (!quantityNote.isEmpty()) {
        html.text(reportQuantityNote);
      }
      List<DerivedTable> derived = new ArrayList<>();
      List<Charts.Figure> charts = new ArrayList<>();
      // every table of the study is declared first, then published together: tables sharing a dimension are
      // margins of one protected table, so none can give back a cell another hid
      List<StudyOutput.TableSpec> specs = new ArrayList<>();
      Map<String, DamirAxis> axisOf = new LinkedHashMap<>();
      axisOf.put(DamirSelection.MONTH, null);
      specs.add(new StudyOutput.TableSpec(BY_MONTH, title + " by " + selection.time().name().toLowerCase(Locale.ROOT) + " month", List.of(DamirSelection.MONTH)));
      String trendName = trend == null ? null : "by-month-" + trend.column().replace('_', '-');
      if (trend != null) {
        specs.add(new StudyOutput.TableSpec(trendName, title + " by month and " + trend.description(), List.of(DamirSelection.MONTH, trend.column())));
        axisOf.put(trend.column(), trend);
      }
      for (List<DamirAxis> axes : run.breakdowns()) {
        specs.add(new StudyOutput.TableSpec(
            DamirFigures.tableName(axes), title + " by " + String.join(", ", axes.stream().map(DamirAxis::description).toList()), DamirFigures.columns(axes)));
        axes.forEach(a -> axisOf.put(a.column(), a));
      }
      final Dataset<Row> lineRows = rows;
      Map<String, StudyTable> tables =
          output.publishTogether(
              specs,
              dims -> DamirFigures.measures(lineRows, dims, dims.stream().map(d -> axisOf.get(d) == null ? col(DamirSelection.MONTH) : axisOf.get(d).value()).toList()),
              dims -> output.rowsPolicy(dims, DamirFigures.LINES, DamirFigures.AMOUNTS),
              filters);
      StudyTable byMonth = tables.get(BY_MONTH);
      DerivedTable monthly = withQuantityNote(DamirFigures.monthly(text, "monthly", byMonth), reportQuantityNote);
      derived.add(monthly);
      Charts.Figure monthlyChart = DamirFigures.monthlyChart(text, chartDir, "monthly", text.msg("chart.monthly.title", reportTitle), monthly);
      charts.add(monthlyChart);
      html.section(text.msg("section.monthly")).chart(monthlyChart).derived(monthly, 60);
      if (trend != null) {
        StudyTable trends = tables.get(trendName);
        Charts.Figure chart = trendChart(text, chartDir, trends, trend, text.msg("chart.trend.title", reportTitle, trend.description(text)));
        charts.add(chart);
        html.section(text.msg("section.trend", reportTitle, trend.description(text))).chart(chart);
        trend.definition(text).ifPresent(html::text);
        html.published(trends, 40);
      }
      int year = byMonth.inner().stream().map(c -> c.key().get(0)).max(String::compareTo).map(m -> Integer.parseInt(m.substring(0, 4))).orElse(0);
      PopulationChoice.Outcome chosen = PopulationChoice.choose(spark, fr.sante.workbench.lake.Lake.DAMIR, year, PopulationChoice.Wanted.DEFAULT, text);
      Optional<Denominators> population = chosen.choice().map(c -> Denominators.load(spark, c));
      notes.add(chosen.choice().map(c -> text.msg("note.per_inhabitant", c.statement())).orElse(text.msg("note.no_per_inhabitant", chosen.why())));
      for (List<DamirAxis> axes : run.breakdowns()) {
        String table = DamirFigures.tableName(axes);
        StudyTable published = tables.get(table);
        DerivedTable breakdown = DamirFigures.breakdown(text, table, published, axes, population);
        if (!axes.contains(DamirAxis.PHARMACY_LINE)) {
          breakdown = withQuantityNote(breakdown, reportQuantityNote);
        }
        derived.add(breakdown);
        html.section(text.msg("section.breakdown", reportTitle, String.join(", ", axes.stream().map(a -> a.description(text)).toList())));
        if (axes.size() == 1) {
          Charts.Figure bars = DamirFigures.barChart(text, chartDir, table, text.msg("chart.bars.title", axes.get(0).description(text)), breakdown, axes.get(0),
              DamirFigures.REIMBURSED, text.msg("chart.millions"), true);
          charts.add(bars);
          html.chart(bars);
          if (breakdown.headers().contains("reimbursed_per_inhabitant_eur")) {
            Charts.Figure perHead =
                DamirFigures.barChart(text, chartDir, table + "-per-inhabitant", text.msg("chart.per_inhabitant.title", axes.get(0).description(text)), breakdown,
                    axes.get(0), "reimbursed_per_inhabitant_eur", text.msg("chart.per_inhabitant"), false);
            charts.add(perHead);
            html.chart(perHead);
          }
        }
        html.derived(breakdown, 40);
      }
      DerivedTable completeness = Completeness.of(text, output.published(), derived);
      derived.add(completeness);
      html.section(completeness.title()).derived(completeness, 60);
      derived.forEach(d -> d.write(report));
      Path index = html.write(report);
      return new StudyResult(name, run.out(), output.published(), derived, Charts.drawn(charts), index, notes);
    } finally {
      rows.unpersist();
    }
  }

  private static DerivedTable withQuantityNote(DerivedTable table, String note) {
    return note.isEmpty() ? table : table.withNote(note);
  }

  /**
   * A count the report states outside the gate's tables: below the threshold it is said as such, never given (the
   * report leaves the lake with the tables).
   */
  public static String guarded(long count, int minCount) {
    return guarded(StudyReport.texts(fr.sante.workbench.anonymisation.ReportLanguage.EN), count, minCount);
  }

  /** {@link #guarded(long, int)} in the report's language. */
  public static String guarded(ReportText text, long count, int minCount) {
    return count > 0 && count < minCount ? text.msg("note.fewer_than", minCount) : text.integer(count);
  }

  /** Reimbursement by month, one line per value of the trend's dimension (published cells only). */
  private static Charts.Figure trendChart(ReportText text, Path dir, StudyTable table, DamirAxis axis, String title) {
    TreeSet<String> months = new TreeSet<>();
    // one line per code, in the order of the codes as numbers, named by its label
    Map<String, Map<String, Double>> byValue = new java.util.TreeMap<>(Charts.BY_NUMBER);
    for (PublishedTable.Cell cell : table.inner()) {
      months.add(cell.key().get(0));
      byValue.computeIfAbsent(cell.key().get(1), v -> new LinkedHashMap<>())
          .put(cell.key().get(0), Figures.chart(cell.amount(DamirFigures.REIMBURSED).map(a -> a.movePointLeft(6))));
    }
    List<String> categories = new ArrayList<>(months);
    Map<String, List<? extends Number>> series = new LinkedHashMap<>();
    byValue.forEach((code, points) -> series.put(axis.label(code), categories.stream().map(points::get).toList()));
    return Charts.months(text, dir, "by-month-" + axis.column().replace('_', '-'), title, text.msg("chart.millions"), categories, series);
  }
}
