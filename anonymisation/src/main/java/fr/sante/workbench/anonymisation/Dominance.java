package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.*;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Dominance of every cell of a table, margins included, computed in Spark: each contributor's total per
 * cell, the cell's largest contributors and total, then the rule's protection level. Only cells that need
 * protection reach the driver.
 */
final class Dominance {
  private Dominance() {}

  /** [amount column] → cell → protection level in cents (cells absent: not dominated). */
  static List<Map<List<String>, Long>> needs(Dataset<Row> data, ExportPolicy policy) {
    DominanceRule rule = policy.dominance();
    List<String> dims = policy.dimensions();
    Column contributor = policy.contributorColumn() == null ? monotonically_increasing_id() : col(policy.contributorColumn()).cast(DataTypes.StringType);
    List<Map<List<String>, Long>> out = new ArrayList<>();
    for (String amount : policy.amountColumns()) {
      List<Column> select = new ArrayList<>();
      dims.forEach(d -> select.add(col(d).cast(DataTypes.StringType).as(d)));
      select.add(contributor.cast(DataTypes.StringType).as("__contributor"));
      select.add(Exports.cents(col(amount)).as("__cents"));
      Dataset<Row> contributions = data.select(select.toArray(Column[]::new));
      long negative = contributions.filter(col("__cents").lt(0)).count();
      if (negative > 0) {
        throw new AnonymisationException(
            "Cannot apply " + rule.describe() + " to '" + amount + "': " + negative + " contributions are negative (the rules need non-negative contributions)");
      }
      Dataset<Row> all = null;
      for (int mask = 0; mask < (1 << dims.size()); mask++) {
        List<Column> keys = new ArrayList<>();
        for (int d = 0; d < dims.size(); d++) {
          keys.add((mask & (1 << d)) != 0 ? lit(FrequencyTable.TOTAL).as(dims.get(d)) : col(dims.get(d)));
        }
        keys.add(col("__contributor"));
        Dataset<Row> level = contributions.groupBy(keys.toArray(Column[]::new)).agg(sum("__cents").as("__cents"));
        all = all == null ? level : level.unionByName(all);
      }
      Column[] cell = dims.stream().map(d -> col(d)).toArray(Column[]::new);
      Dataset<Row> ranked =
          all.withColumn("__rank", row_number().over(Window.partitionBy(cell).orderBy(col("__cents").desc())))
              .withColumn("__total", sum("__cents").over(Window.partitionBy(cell)))
              .filter(col("__rank").leq(rule.largest()));
      Map<List<String>, long[]> largest = new HashMap<>();
      Map<List<String>, Long> totals = new HashMap<>();
      for (Row row : ranked.collectAsList()) {
        List<String> key = new ArrayList<>();
        for (int d = 0; d < dims.size(); d++) {
          key.add(row.getString(d));
        }
        int rank = row.getInt(row.fieldIndex("__rank"));
        largest.computeIfAbsent(key, k -> new long[rule.largest()])[rank - 1] = row.getLong(row.fieldIndex("__cents"));
        totals.put(key, row.getLong(row.fieldIndex("__total")));
      }
      Map<List<String>, Long> needs = new HashMap<>();
      largest.forEach(
          (key, top) -> {
            long need = rule.protectionNeeded(totals.get(key), top);
            if (need > 0) {
              needs.put(List.copyOf(key), need);
            }
          });
      out.add(needs);
    }
    return out;
  }
}
