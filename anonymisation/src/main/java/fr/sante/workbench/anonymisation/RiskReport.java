package fr.sante.workbench.anonymisation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Re-identification risk of record-level data under the prosecutor model (the attacker knows the person is
 * in the data and knows their quasi-identifiers): a record's risk is 1 / the size of its equivalence class.
 * Computed in Spark, in one pass over the classes.
 *
 * @param records records
 * @param classes equivalence classes (distinct combinations of the quasi-identifiers)
 * @param minClassSize the smallest class
 * @param sampleUniques records alone in their class
 * @param recordsAtRisk records whose risk exceeds 1/k (class smaller than k)
 * @param k the threshold used for {@code recordsAtRisk}
 * @param sizes the class-size distribution
 */
public record RiskReport(long records, long classes, long minClassSize, long sampleUniques, long recordsAtRisk, int k, List<SizeBand> sizes) {
  private static final long[] BAND_LOWER = {1, 2, 3, 5, 10, 20, 50, 100};

  /** Classes of sizes {@code [lower, upper]} ({@code upper} 0 = no bound) and the records in them. */
  public record SizeBand(long lower, long upper, long classes, long records) {
    public String label() {
      return upper == lower ? String.valueOf(lower) : upper == 0 ? lower + "+" : lower + "–" + upper;
    }
  }

  public RiskReport {
    sizes = List.copyOf(sizes);
  }

  /** Highest prosecutor risk: 1 / the smallest class (0 without records). */
  public double maxRisk() {
    return minClassSize == 0 ? 0 : 1.0 / minClassSize;
  }

  /** Mean prosecutor risk over the records: classes / records. */
  public double meanRisk() {
    return records == 0 ? 0 : (double) classes / records;
  }

  public double shareAtRisk() {
    return records == 0 ? 0 : (double) recordsAtRisk / records;
  }

  public static RiskReport of(Dataset<Row> data, List<String> quasiIdentifiers, int k) {
    Column[] qis = quasiIdentifiers.stream().map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> classes = data.groupBy(qis).agg(count(lit(1)).as("size"));
    Column band = lit(BAND_LOWER.length - 1);
    for (int b = BAND_LOWER.length - 2; b >= 0; b--) {
      band = when(col("size").lt(BAND_LOWER[b + 1]), lit(b)).otherwise(band);
    }
    List<Row> rows =
        classes
            .groupBy(band.as("band"))
            .agg(count(lit(1)).as("classes"), sum("size").as("records"), min("size").as("min"), sum(when(col("size").lt(k), col("size")).otherwise(0L)).as("risky"))
            .orderBy("band")
            .collectAsList();
    long[] bandClasses = new long[BAND_LOWER.length];
    long[] bandRecords = new long[BAND_LOWER.length];
    long records = 0;
    long classCount = 0;
    long minSize = 0;
    long risky = 0;
    for (Row row : rows) {
      int b = row.getInt(0);
      bandClasses[b] = row.getLong(1);
      bandRecords[b] = row.getLong(2);
      classCount += row.getLong(1);
      records += row.getLong(2);
      minSize = minSize == 0 ? row.getLong(3) : Math.min(minSize, row.getLong(3));
      risky += row.getLong(4);
    }
    List<SizeBand> sizes = new ArrayList<>();
    for (int b = 0; b < BAND_LOWER.length; b++) {
      sizes.add(new SizeBand(BAND_LOWER[b], b + 1 < BAND_LOWER.length ? BAND_LOWER[b + 1] - 1 : 0, bandClasses[b], bandRecords[b]));
    }
    return new RiskReport(records, classCount, minSize, bandRecords[0], risky, k, sizes);
  }

  /** A few lines for a terminal. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%,d records in %,d classes; smallest class %d; sample uniques %,d; records at risk (class < %d) %,d (%.2f %%); prosecutor risk max %.4f, mean %.4f",
        records, classes, minClassSize, sampleUniques, k, recordsAtRisk, 100 * shareAtRisk(), maxRisk(), meanRisk());
  }

  ObjectNode toJson(ObjectMapper json) {
    ObjectNode node = json.createObjectNode();
    node.put("records", records);
    node.put("classes", classes);
    node.put("min_class_size", minClassSize);
    node.put("sample_uniques", sampleUniques);
    node.put("records_at_risk", recordsAtRisk);
    node.put("at_risk_below", k);
    node.put("max_risk", maxRisk());
    node.put("mean_risk", meanRisk());
    var bands = node.putArray("class_sizes");
    for (SizeBand band : sizes) {
      bands.addObject().put("size", band.label()).put("classes", band.classes()).put("records", band.records());
    }
    return node;
  }
}
