package fr.sante.workbench.anonymisation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Re-identification risk of record-level data under the prosecutor model (the attacker knows the person is
 * in the data and knows their quasi-identifiers): a record's risk is 1 / the size of its equivalence class.
 * Everything follows from the histogram of class sizes.
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

  /** The risk of {@code data}: its classes counted in Spark, only their size histogram reaches the driver. */
  public static RiskReport of(Dataset<Row> data, List<String> quasiIdentifiers, int k) {
    Column[] qis = quasiIdentifiers.stream().map(c -> col(c)).toArray(Column[]::new);
    Map<Long, Long> histogram = new TreeMap<>();
    for (Row row : data.groupBy(qis).agg(count(lit(1)).as("size")).groupBy("size").agg(count(lit(1)).as("classes")).collectAsList()) {
      histogram.put(row.getLong(0), row.getLong(1));
    }
    return fromHistogram(histogram, k);
  }

  /** The risk of classes whose sizes are known (e.g. counted on the driver during a generalisation search). */
  static RiskReport ofClassSizes(long[] classSizes, int k) {
    Map<Long, Long> histogram = new TreeMap<>();
    for (long size : classSizes) {
      histogram.merge(size, 1L, Long::sum);
    }
    return fromHistogram(histogram, k);
  }

  /** From class size → number of classes of that size. */
  private static RiskReport fromHistogram(Map<Long, Long> histogram, int k) {
    long[] bandClasses = new long[BAND_LOWER.length];
    long[] bandRecords = new long[BAND_LOWER.length];
    long records = 0;
    long classCount = 0;
    long minSize = 0;
    long risky = 0;
    for (Map.Entry<Long, Long> entry : histogram.entrySet()) {
      long size = entry.getKey();
      long classes = entry.getValue();
      int b = BAND_LOWER.length - 1;
      while (size < BAND_LOWER[b]) {
        b--;
      }
      bandClasses[b] += classes;
      bandRecords[b] += size * classes;
      classCount += classes;
      records += size * classes;
      minSize = minSize == 0 ? size : Math.min(minSize, size);
      risky += size < k ? size * classes : 0;
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

}
