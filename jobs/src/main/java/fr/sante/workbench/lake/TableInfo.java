package fr.sante.workbench.lake;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One table of a lake as {@code workbench tables} shows it.
 *
 * @param months processing months present ({@code FLX_ANN_MOI}), empty for tables without one
 * @param years years present ({@code year}), empty for tables without one
 */
public record TableInfo(String name, long rows, long version, List<Integer> months, List<Integer> years) {
  /** Column holding the processing month in the tables that have one. */
  public static final String MONTH_COLUMN = "FLX_ANN_MOI";
  /** Column holding the year in the tables that have one (ALD prevalence, population). */
  public static final String YEAR_COLUMN = "year";

  public TableInfo {
    months = List.copyOf(months);
    years = List.copyOf(years);
  }

  /** Every existing table of the lake. */
  public static List<TableInfo> describe(SparkSession spark, Lake lake) {
    List<TableInfo> out = new ArrayList<>();
    for (String table : lake.existingTables(spark)) {
      Dataset<Row> data = lake.read(spark, table);
      long version = lake.latestVersion(spark, table);
      out.add(new TableInfo(table, data.count(), version, distinct(data, MONTH_COLUMN), distinct(data, YEAR_COLUMN)));
    }
    return out;
  }

  private static List<Integer> distinct(Dataset<Row> data, String column) {
    List<Integer> values = new ArrayList<>();
    if (Arrays.asList(data.columns()).contains(column)) {
      for (Row row : data.select(col(column)).distinct().orderBy(col(column)).collectAsList()) {
        values.add(row.getInt(0));
      }
    }
    return values;
  }

  /** Months (or years) present as a range, e.g. {@code 202401-202412 (12)}; {@code -} for neither. */
  public String periodsDescription() {
    List<Integer> periods = months.isEmpty() ? years : months;
    if (periods.isEmpty()) {
      return "-";
    }
    if (periods.size() == 1) {
      return String.valueOf(periods.get(0));
    }
    return periods.get(0) + "-" + periods.get(periods.size() - 1) + " (" + periods.size() + ")";
  }
}
