package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.PublishedTable;
import fr.sante.workbench.anonymisation.ReportText;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Open DAMIR measures studies publish, and the figures derived from their published tables. Only the
 * pre-filtered {@code FLT_*} indicators are used (reference §1.4): they count each service once, and are
 * never added to the gross {@code PRS_*} ones.
 */
public final class DamirFigures {
  public static final String LINES = "lines";
  public static final String SPENT = "spent_eur";
  public static final String REIMBURSED = "reimbursed_eur";
  public static final String OVERRUN = "overrun_eur";
  public static final String QUANTITY = "quantity";
  public static final List<String> AMOUNTS = List.of(SPENT, REIMBURSED, OVERRUN, QUANTITY);
  /** How the measures are defined, for reports. */
  public static final String DEFINITIONS =
      "spent_eur = FLT_PAI_MNT (expense), reimbursed_eur = FLT_REM_MNT (legal reimbursement, reimbursement types 0 and 1), "
          + "overrun_eur = FLT_DEP_MNT (doctors' fee overruns), quantity = FLT_ACT_QTE (acts, boxes, days); "
          + "lines = Open DAMIR lines (each already an aggregate). Pre-filtered FLT_* indicators only: never added to PRS_* ones.";

  /**
   * Why a reimbursement rate can read above the rate applied (e.g. above 100 % in rate class 100): the
   * pre-filtered reimbursement also counts the complement lines of reimbursement type 1, on which the pre-filtered
   * expense is 0 (reference §1.4).
   */
  public static final String RATE_ABOVE_APPLIED =
      "reimbursement_rate_pct can exceed the rate applied (e.g. above 100 % at a 100 % rate): reimbursed_eur (FLT_REM_MNT) also counts the lines of "
          + "reimbursement type 1 (PRS_REM_TYP = 1, COMPLEMENT D ACTE), while spent_eur (FLT_PAI_MNT) is 0 on those lines "
          + "(reference §1.4); negative lines (participations, franchises, regularisations) lower either";

  private DamirFigures() {}

  /** One row per damir row: the dimensions as strings, {@code lines = 1}, and the four measures. */
  public static Dataset<Row> measures(Dataset<Row> rows, List<String> dimensionColumns, List<Column> dimensionValues) {
    List<Column> select = new ArrayList<>();
    for (int i = 0; i < dimensionColumns.size(); i++) {
      select.add(dimensionValues.get(i).as(dimensionColumns.get(i)));
    }
    select.add(lit(1L).as(LINES));
    select.add(col("FLT_PAI_MNT").as(SPENT));
    select.add(col("FLT_REM_MNT").as(REIMBURSED));
    select.add(col("FLT_DEP_MNT").as(OVERRUN));
    select.add(col("FLT_ACT_QTE").as(QUANTITY));
    return rows.select(select.toArray(Column[]::new));
  }

  public static List<String> columns(List<DamirAxis> axes) {
    return axes.stream().map(DamirAxis::column).toList();
  }

  public static List<Column> values(List<DamirAxis> axes) {
    return axes.stream().map(DamirAxis::value).toList();
  }

  /** The table's name for a breakdown, e.g. {@code by-age-sex}. */
  public static String tableName(List<DamirAxis> axes) {
    return "by-" + String.join("-", axes.stream().map(a -> a.column().replace('_', '-')).toList());
  }

  /**
   * Month by month: the published measures, the reimbursement rate (reimbursed / spent), and month-on-month
   * and year-on-year growth of spending and reimbursement (empty when a month it needs is missing or hidden).
   */
  public static DerivedTable monthly(ReportText text, String name, StudyTable byMonth) {
    Map<YearMonth, PublishedTable.Cell> months = new TreeMap<>();
    for (PublishedTable.Cell cell : byMonth.inner()) {
      months.put(YearMonth.parse(cell.key().get(0)), cell);
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<YearMonth, PublishedTable.Cell> entry : months.entrySet()) {
      PublishedTable.Cell cell = entry.getValue();
      Optional<PublishedTable.Cell> previous = Optional.ofNullable(months.get(entry.getKey().minusMonths(1)));
      Optional<PublishedTable.Cell> lastYear = Optional.ofNullable(months.get(entry.getKey().minusYears(1)));
      List<String> row = new ArrayList<>();
      row.add(entry.getKey().toString());
      row.add(cell.count().isPresent() ? String.valueOf(cell.count().getAsLong()) : "");
      AMOUNTS.forEach(a -> row.add(Figures.text(cell.amount(a))));
      row.add(Figures.text(Figures.percent(cell.amount(REIMBURSED), cell.amount(SPENT))));
      for (String amount : List.of(SPENT, REIMBURSED)) {
        row.add(Figures.text(Figures.growth(cell.amount(amount), previous.flatMap(p -> p.amount(amount)))));
        row.add(Figures.text(Figures.growth(cell.amount(amount), lastYear.flatMap(p -> p.amount(amount)))));
      }
      rows.add(row);
    }
    return new DerivedTable(
        name,
        text.msg("monthly.title"),
        List.of("month", LINES, SPENT, REIMBURSED, OVERRUN, QUANTITY, "reimbursement_rate_pct", "spent_mom_pct", "spent_yoy_pct", "reimbursed_mom_pct", "reimbursed_yoy_pct"),
        rows,
        List.of("tables/" + byMonth.name()),
        text.msg("monthly.method", text.msg("figures.rate_above_applied")));
  }

  /**
   * A breakdown with labels, reimbursement rate, share of the total reimbursement and, when the breakdown is
   * by region, age and sex only and a population is loaded, the population and reimbursement per inhabitant.
   */
  public static DerivedTable breakdown(ReportText text, String name, StudyTable table, List<DamirAxis> axes, Optional<Denominators> population) {
    boolean perCapita = population.isPresent() && Denominators.covers(axes);
    Optional<BigDecimal> total = table.total().flatMap(t -> t.amount(REIMBURSED));
    List<String> headers = new ArrayList<>();
    axes.forEach(a -> headers.add(a.column()));
    axes.forEach(a -> headers.add(a.column() + "_label"));
    headers.add(LINES);
    headers.addAll(AMOUNTS);
    headers.add("reimbursement_rate_pct");
    headers.add("share_of_reimbursed_pct");
    if (perCapita) {
      headers.add("population");
      headers.add("reimbursed_per_inhabitant_eur");
    }
    List<List<String>> rows = new ArrayList<>();
    for (PublishedTable.Cell cell : table.cells()) {
      List<String> row = new ArrayList<>(cell.key());
      for (int i = 0; i < axes.size(); i++) {
        row.add(axes.get(i).label(cell.key().get(i)));
      }
      row.add(cell.count().isPresent() ? String.valueOf(cell.count().getAsLong()) : "");
      AMOUNTS.forEach(a -> row.add(Figures.text(cell.amount(a))));
      row.add(Figures.text(Figures.percent(cell.amount(REIMBURSED), cell.amount(SPENT))));
      row.add(Figures.text(Figures.percent(cell.amount(REIMBURSED), total)));
      if (perCapita) {
        OptionalLong persons = population.get().of(axes, cell.key());
        Optional<BigDecimal> denominator = persons.isPresent() ? Optional.of(BigDecimal.valueOf(persons.getAsLong())) : Optional.empty();
        row.add(persons.isPresent() ? String.valueOf(persons.getAsLong()) : "");
        row.add(Figures.text(Figures.ratio(withPopulation(table, cell, axes, population.get()), denominator, 2)));
      }
      rows.add(row);
    }
    String method = text.msg("breakdown.method", text.msg("figures.rate_above_applied"));
    for (DamirAxis axis : axes) {
      method += axis.definition(text).map(d -> "; " + d).orElse("");
    }
    List<String> sources = new ArrayList<>(List.of("tables/" + table.name()));
    if (perCapita) {
      method += "; " + text.msg("breakdown.per_inhabitant", population.get().source(), String.valueOf(population.get().year()));
      sources.add(text.msg("breakdown.population_source"));
    }
    return new DerivedTable(name, text.msg("breakdown.title", String.join(", ", axes.stream().map(a -> a.description(text)).toList())), headers, rows, sources, method + ".");
  }

  /**
   * The reimbursement of the lines a cell's population counts: a margin less its cells of codes without a
   * population (unknown region 99, age 99, sex 0/9), so that numerator and denominator cover the same people;
   * empty when one of those is hidden.
   */
  static Optional<BigDecimal> withPopulation(StudyTable table, PublishedTable.Cell cell, List<DamirAxis> axes, Denominators population) {
    Optional<BigDecimal> amount = cell.amount(REIMBURSED);
    if (!cell.isMargin() || amount.isEmpty()) {
      return amount;
    }
    BigDecimal out = amount.get();
    for (PublishedTable.Cell inner : table.inner()) {
      boolean under = true;
      for (int d = 0; d < axes.size() && under; d++) {
        under = cell.key().get(d).equals(StudyTable.TOTAL) || cell.key().get(d).equals(inner.key().get(d));
      }
      if (under && population.of(axes, inner.key()).isEmpty()) {
        Optional<BigDecimal> unknown = inner.amount(REIMBURSED);
        if (unknown.isEmpty()) {
          return Optional.empty();
        }
        out = out.subtract(unknown.get());
      }
    }
    return Optional.of(out);
  }

  /** A line chart of monthly spending and reimbursement, in € millions. */
  public static Charts.Figure monthlyChart(ReportText text, Path dir, String name, String title, DerivedTable monthly) {
    Map<String, List<? extends Number>> series = new java.util.LinkedHashMap<>();
    series.put(text.msg("chart.spent"), millions(monthly.column(SPENT)));
    series.put(text.msg("chart.reimbursed"), millions(monthly.column(REIMBURSED)));
    return Charts.months(text, dir, name, title, text.msg("chart.millions"), monthly.column("month"), series);
  }

  /** A bar chart of one column of a one-dimension breakdown (inner cells, labelled, in the order of their codes as numbers). */
  public static Charts.Figure barChart(
      ReportText text, Path dir, String name, String title, DerivedTable breakdown, DamirAxis axis, String column, String yTitle, boolean millions) {
    List<String> categories = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<String> codes = breakdown.column(axis.column());
    List<String> labels = breakdown.column(axis.column() + "_label");
    List<String> column_ = breakdown.column(column);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < codes.size(); i++) {
      if (!codes.get(i).equals(StudyTable.TOTAL)) {
        order.add(i);
      }
    }
    order.sort(java.util.Comparator.comparing(codes::get, Charts.BY_NUMBER));
    for (int i : order) {
      categories.add(labels.get(i));
      values.add(column_.get(i));
    }
    List<Double> numbers = millions ? millions(values) : values.stream().map(v -> v.isEmpty() ? null : Double.valueOf(v)).toList();
    return Charts.bars(text, dir, name, title, axis.description(text), yTitle, categories, numbers);
  }

  private static List<Double> millions(List<String> values) {
    return values.stream().map(v -> v.isEmpty() ? null : new BigDecimal(v).movePointLeft(6).doubleValue()).toList();
  }
}
