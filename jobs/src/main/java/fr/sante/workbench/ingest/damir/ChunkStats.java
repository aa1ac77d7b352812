package fr.sante.workbench.ingest.damir;

import java.util.Map;
import java.util.TreeMap;

/**
 * What parsing one chunk (or, merged, one file) found: a plain mutable bean that each task returns to the
 * driver with its chunk's data file, where the chunks' counts are added up.
 */
public final class ChunkStats implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Distinct unknown values kept per column, so a file full of garbage cannot blow the driver's memory. */
  static final int MAX_EXAMPLES_PER_COLUMN = 20;

  public long rowsRead;
  public long rowsAccepted;
  public long rowsRejected;
  public long unknownCareMonths;
  /** Column name to the number of accepted rows whose code is not in the column's code list. */
  public Map<String, Long> unknownCodeRows = new TreeMap<>();
  /** Column name to (unknown value to rows), at most {@link #MAX_EXAMPLES_PER_COLUMN} values a column. */
  public Map<String, Map<String, Long>> unknownCodeValues = new TreeMap<>();

  void unknownCode(String column, String value) {
    unknownCodeRows.merge(column, 1L, Long::sum);
    addExample(column, value, 1);
  }

  /** Counts {@code rows} for an unknown value, keeping at most {@link #MAX_EXAMPLES_PER_COLUMN} values. */
  private void addExample(String column, String value, long rows) {
    Map<String, Long> values = unknownCodeValues.computeIfAbsent(column, k -> new TreeMap<>());
    if (values.containsKey(value) || values.size() < MAX_EXAMPLES_PER_COLUMN) {
      values.merge(value, rows, Long::sum);
    }
  }

  void unknownCareMonth() {
    unknownCareMonths++;
  }

  /** Adds another chunk's counts to these. */
  void add(ChunkStats other) {
    rowsRead += other.rowsRead;
    rowsAccepted += other.rowsAccepted;
    rowsRejected += other.rowsRejected;
    unknownCareMonths += other.unknownCareMonths;
    other.unknownCodeRows.forEach((k, v) -> unknownCodeRows.merge(k, v, Long::sum));
    other.unknownCodeValues.forEach((column, values) -> values.forEach((value, rows) -> addExample(column, value, rows)));
  }
}
