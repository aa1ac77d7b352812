package fr.sante.workbench.lake;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
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
 */
public record TableInfo(String name, long rows, long version, List<Integer> months) {
  /** Column holding the processing month in the tables that have one. */
  public static final String MONTH_COLUMN = "FLX_ANN_MOI";

  public TableInfo {
    months = List.copyOf(months);
  }

  /** Every existing table of the lake. */
  public static List<TableInfo> describe(SparkSession spark, Lake lake) {
    List<TableInfo> out = new ArrayList<>();
    for (String table : lake.existingTables(spark)) {
      Dataset<Row> data = lake.read(spark, table);
      List<Integer> months = new ArrayList<>();
      if (Arrays.asList(data.columns()).contains(MONTH_COLUMN)) {
        for (Row row : data.select(col(MONTH_COLUMN)).distinct().orderBy(col(MONTH_COLUMN)).collectAsList()) {
          months.add(row.getInt(0));
        }
      }
      long version = DeltaTable.forPath(spark, lake.tablePath(table)).history(1).select(col("version")).first().getLong(0);
      out.add(new TableInfo(table, data.count(), version, months));
    }
    return out;
  }

  /** Months as ranges, e.g. {@code 202401-202412 (12)}. */
  public String monthsDescription() {
    if (months.isEmpty()) {
      return "-";
    }
    if (months.size() == 1) {
      return String.valueOf(months.get(0));
    }
    return months.get(0) + "-" + months.get(months.size() - 1) + " (" + months.size() + ")";
  }
}
