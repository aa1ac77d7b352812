package fr.sante.workbench.studies;

import static org.apache.spark.sql.functions.col;

import java.time.YearMonth;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which damir rows a study reads: a time axis, an optional period on it, and the scope.
 *
 * @param time care month or processing month
 * @param from first month included, if any
 * @param to last month included, if any
 * @param scope {@code PS5}: the scope of CNAM's monthly statistics ({@code TOP_PS5_TRG = 1}); {@code ALL}: every line
 */
public record DamirSelection(TimeAxis time, Optional<YearMonth> from, Optional<YearMonth> to, Scope scope) {
  /** Which lines. */
  public enum Scope {
    PS5,
    ALL
  }

  /** The month column every selected row carries. */
  public static final String MONTH = "month";

  public DamirSelection {
    if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
      throw new fr.sante.workbench.WorkbenchException("Invalid period: --from " + from.get() + " is after --to " + to.get());
    }
  }

  public static DamirSelection defaults() {
    return new DamirSelection(TimeAxis.CARE, Optional.empty(), Optional.empty(), Scope.PS5);
  }

  /**
   * This selection with an explicit start: on the care axis without {@code from}, the first processing month
   * of the lake, since care months before it hold only the late flows processed afterwards (reference §1.4:
   * about half of a month's lines are processed in the month itself).
   */
  public DamirSelection resolve(SparkSession spark) {
    if (from.isPresent() || time != TimeAxis.CARE) {
      return this;
    }
    Row first = spark.table("damir").agg(org.apache.spark.sql.functions.min("FLX_ANN_MOI")).first();
    if (first.isNullAt(0)) {
      return this;
    }
    int month = first.getInt(0);
    YearMonth start = YearMonth.of(month / 100, month % 100);
    return new DamirSelection(time, Optional.of(to.isPresent() && to.get().isBefore(start) ? to.get() : start), to, scope);
  }

  /** Lines in scope (and among {@code lines}, if not null) with a known care month before {@code from}. */
  public long before(SparkSession spark, Column lines) {
    if (from.isEmpty()) {
      return 0;
    }
    return scoped(spark, lines).filter(time.month().lt(from.get().toString())).count();
  }

  private Dataset<Row> scoped(SparkSession spark, Column lines) {
    Dataset<Row> rows = spark.table("damir");
    if (scope == Scope.PS5) {
      rows = rows.filter(col("TOP_PS5_TRG").equalTo(1));
    }
    return lines == null ? rows : rows.filter(lines);
  }

  /** The pinned damir view's rows in scope, with a {@code month} column; rows without a known month dropped. */
  public Dataset<Row> rows(SparkSession spark) {
    Dataset<Row> rows = scoped(spark, null).withColumn(MONTH, time.month());
    Column keep = col(MONTH).isNotNull();
    if (from.isPresent()) {
      keep = keep.and(col(MONTH).geq(from.get().toString()));
    }
    if (to.isPresent()) {
      keep = keep.and(col(MONTH).leq(to.get().toString()));
    }
    return rows.filter(keep);
  }

  /** Lines in scope (and among {@code lines}, if not null) whose care month is a placeholder. */
  public long unknownMonths(SparkSession spark, Column lines) {
    return time == TimeAxis.PROCESSING ? 0 : scoped(spark, lines).filter(time.month().isNull()).count();
  }

  /** The filters in words, for manifests and reports. */
  /** {@link #describe()} in the report's language. */
  public String describe(fr.sante.workbench.anonymisation.ReportText text) {
    String fromText = from.map(f -> text.msg("selection.from", f.toString())).orElse(text.msg("selection.from.first"));
    String toText = to.map(t -> text.msg("selection.to", t.toString())).orElse(text.msg("selection.to.last"));
    return text.msg("selection.text", time.describe(text), fromText, toText, text.msg(scope == Scope.PS5 ? "selection.scope.ps5" : "selection.scope.all"));
  }

  public String describe() {
    return "by " + time.describe() + ", " + from.map(f -> "from " + f).orElse("from the first month") + " " + to.map(t -> "to " + t).orElse("to the last month")
        + ", " + (scope == Scope.PS5 ? "scope TOP_PS5_TRG = 1 (CNAM monthly statistics)" : "all lines (TOP_PS5_TRG 0, 1 and 9)");
  }
}
