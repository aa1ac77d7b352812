package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The records counted by distinct combination of quasi-identifiers and sensitive values, computed in Spark;
 * only these combinations (not the records) reach the driver, as ids of the hierarchies' original values.
 */
public final class FrequencySet {
  public final int size;
  /** [quasi-identifier][row] → leaf id in its hierarchy. */
  public final int[][] qi;
  /** The id of a missing sensitive value: no value, as for {@code count(distinct)} in the released records. */
  public static final int NO_VALUE = -1;

  /** [sensitive column][row] → value id, or {@link #NO_VALUE}. */
  public final int[][] sensitive;
  /** [sensitive column] → number of distinct values. */
  public final int[] sensitiveValues;
  public final long[] counts;
  public final long records;

  private FrequencySet(int[][] qi, int[][] sensitive, int[] sensitiveValues, long[] counts) {
    this.size = counts.length;
    this.qi = qi;
    this.sensitive = sensitive;
    this.sensitiveValues = sensitiveValues;
    this.counts = counts;
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    this.records = total;
  }

  /** Counts given directly (tests, or counts computed elsewhere). */
  public static FrequencySet of(int[][] qi, int[][] sensitive, int[] sensitiveValues, long[] counts) {
    return new FrequencySet(qi, sensitive, sensitiveValues, counts);
  }

  public static FrequencySet collect(Dataset<Row> data, List<EncodedHierarchy> hierarchies, List<String> sensitiveColumns, int maxCombinations) {
    List<Column> columns = new ArrayList<>();
    hierarchies.forEach(h -> columns.add(col(h.column()).cast(DataTypes.StringType).as(h.column())));
    sensitiveColumns.forEach(s -> columns.add(col(s).cast(DataTypes.StringType).as(s)));
    List<Row> rows = data.groupBy(columns.toArray(Column[]::new)).agg(count(lit(1)).as("__records")).limit(maxCombinations + 1).collectAsList();
    if (rows.size() > maxCombinations) {
      throw new AnonymisationException(
          "Cannot anonymise: more than " + maxCombinations + " distinct combinations of " + hierarchies.stream().map(EncodedHierarchy::column).toList()
              + " (generalise some quasi-identifiers in the query first, or raise the limit)");
    }
    int q = hierarchies.size();
    int s = sensitiveColumns.size();
    int[][] qi = new int[q][rows.size()];
    int[][] sens = new int[s][rows.size()];
    long[] counts = new long[rows.size()];
    List<Map<String, Integer>> sensitiveIds = new ArrayList<>();
    for (int j = 0; j < s; j++) {
      sensitiveIds.add(new HashMap<>());
    }
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      counts[i] = row.getLong(q + s);
      for (int t = 0; t < q; t++) {
        EncodedHierarchy h = hierarchies.get(t);
        if (row.isNullAt(t)) {
          throw new AnonymisationException(
              "Cannot anonymise: quasi-identifier '" + h.column() + "' is null on " + counts[i] + " or more records (map nulls to a value of its hierarchy in the query)");
        }
        Integer leaf = h.leafIds.get(row.getString(t));
        if (leaf == null) {
          throw new AnonymisationException(
              "Cannot anonymise: value '" + row.getString(t) + "' of '" + h.column() + "' is not in its hierarchy (" + h.hierarchy.rows().size()
                  + " values, e.g. '" + h.hierarchy.rows().get(0).get(0) + "'); every value needs a hierarchy row");
        }
        qi[t][i] = leaf;
      }
      for (int j = 0; j < s; j++) {
        if (row.isNullAt(q + j)) {
          sens[j][i] = NO_VALUE;
          continue;
        }
        Map<String, Integer> ids = sensitiveIds.get(j);
        sens[j][i] = ids.computeIfAbsent(row.getString(q + j), v -> ids.size());
      }
    }
    int[] values = new int[s];
    for (int j = 0; j < s; j++) {
      values[j] = sensitiveIds.get(j).size();
    }
    return new FrequencySet(qi, sens, values, counts);
  }
}
