package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.PublishedTable;
import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.lake.Lake;
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
    List<String> notes = new ArrayList<>();
    if (run.selection().from().isEmpty() && selection.from().isPresent()) {
      notes.add(String.format(Locale.ROOT,
          "care months start at %s, the first processing month: %s older lines (late flows of earlier care) are left out; give --from to include them",
          selection.from().get(), guarded(selection.before(spark, lines), run.suppression().minCount())));
    }
    long unknown = selection.unknownMonths(spark, lines);
    if (unknown > 0) {
      notes.add(String.format(Locale.ROOT, "%s lines in scope have a placeholder care date (0000/00, 0001/01) and are left out",
          guarded(unknown, run.suppression().minCount())));
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
      StudyReport html = new StudyReport(title, "Open DAMIR " + filters, output.inputs());
      notes.forEach(html::text);
      if (!quantityNote.isEmpty()) {
        html.text(quantityNote);
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
      DerivedTable monthly = withQuantityNote(DamirFigures.monthly("monthly", byMonth));
      derived.add(monthly);
      Charts.Figure monthlyChart = DamirFigures.monthlyChart(chartDir, "monthly", title + ": spending and reimbursement by month", monthly);
      charts.add(monthlyChart);
      html.section("Month by month").chart(monthlyChart).derived(monthly, 60);
      if (trend != null) {
        StudyTable trends = tables.get(trendName);
        Charts.Figure chart = trendChart(chartDir, trends, trend, title + ": reimbursement by month and " + trend.description());
        charts.add(chart);
        html.section(trends.title()).chart(chart);
        trend.definition().ifPresent(html::text);
        html.published(trends, 40);
      }
      int year = byMonth.inner().stream().map(c -> c.key().get(0)).max(String::compareTo).map(m -> Integer.parseInt(m.substring(0, 4))).orElse(0);
      PopulationChoice.Outcome chosen = PopulationChoice.choose(spark, fr.sante.workbench.lake.Lake.DAMIR, year, PopulationChoice.Wanted.DEFAULT);
      Optional<Denominators> population = chosen.choice().map(c -> Denominators.load(spark, c));
      notes.add(chosen.choice().map(c -> "per-inhabitant figures: " + c.statement()).orElse("no per-inhabitant figures: " + chosen.why()));
      for (List<DamirAxis> axes : run.breakdowns()) {
        String table = DamirFigures.tableName(axes);
        StudyTable published = tables.get(table);
        DerivedTable breakdown = DamirFigures.breakdown(table, published, axes, population);
        if (!axes.contains(DamirAxis.PHARMACY_LINE)) {
          breakdown = withQuantityNote(breakdown);
        }
        derived.add(breakdown);
        html.section(published.title());
        if (axes.size() == 1) {
          Charts.Figure bars = DamirFigures.barChart(chartDir, table, "Reimbursement by " + axes.get(0).description(), breakdown, axes.get(0), DamirFigures.REIMBURSED, "€ millions", true);
          charts.add(bars);
          html.chart(bars);
          if (breakdown.headers().contains("reimbursed_per_inhabitant_eur")) {
            Charts.Figure perHead =
                DamirFigures.barChart(chartDir, table + "-per-inhabitant", "Reimbursement per inhabitant by " + axes.get(0).description(), breakdown, axes.get(0),
                    "reimbursed_per_inhabitant_eur", "€ per inhabitant", false);
            charts.add(perHead);
            html.chart(perHead);
          }
        }
        html.derived(breakdown, 40);
      }
      DerivedTable completeness = Completeness.of(output.published(), derived);
      derived.add(completeness);
      html.section(completeness.title()).derived(completeness, 60);
      derived.forEach(d -> d.write(report));
      Path index = html.write(report);
      return new StudyResult(name, run.out(), output.published(), derived, Charts.drawn(charts), index, notes);
    } finally {
      rows.unpersist();
    }
  }

  private DerivedTable withQuantityNote(DerivedTable table) {
    return quantityNote.isEmpty() ? table : table.withNote(quantityNote);
  }

  /**
   * A count the report states outside the gate's tables: below the threshold it is said as such, never given (the
   * report leaves the lake with the tables).
   */
  public static String guarded(long count, int minCount) {
    return count > 0 && count < minCount ? "fewer than " + minCount : String.format(Locale.ROOT, "%,d", count);
  }

  /** Reimbursement by month, one line per value of the trend's dimension (published cells only). */
  private static Charts.Figure trendChart(Path dir, StudyTable table, DamirAxis axis, String title) {
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
    return Charts.months(dir, "by-month-" + axis.column().replace('_', '-'), title, "€ millions", categories, series);
  }
}
