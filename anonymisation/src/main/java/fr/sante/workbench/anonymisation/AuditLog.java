package fr.sante.workbench.anonymisation;

import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.schemas.Schemas;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The append-only, hash-chained Delta table of export attempts. */
public final class AuditLog {
  /** previous_hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private AuditLog() {}

  /**
   * One entry before it is chained.
   *
   * @param kind EXPORT or REFUSED
   */
  public record Entry(
      String time, String user, String kind, String description, String policy, String outDir, String files, long published, long primary, long secondary, String reason) {}

  /** Appends {@code entry} after the last one; returns its id. */
  public static long append(SparkSession spark, String path, Entry entry) {
    long id = 1;
    String previous = GENESIS;
    if (exists(spark, path)) {
      List<Row> last = spark.read().format("delta").load(path).orderBy(col("entry_id").desc()).limit(1).collectAsList();
      if (!last.isEmpty()) {
        id = last.get(0).getLong(0) + 1;
        previous = last.get(0).getString(last.get(0).fieldIndex("entry_hash"));
      }
    }
    String hash = hash(id, entry, previous);
    Row row =
        RowFactory.create(
            id, entry.time(), entry.user(), entry.kind(), entry.description(), entry.policy(), entry.outDir(), entry.files(), entry.published(),
            entry.primary(), entry.secondary(), entry.reason(), previous, hash);
    spark.createDataFrame(List.of(row), Schemas.auditLog().tableType()).write().format("delta").mode(SaveMode.Append).save(path);
    return id;
  }

  /** Problems found in the chain (empty when intact): a changed field, a missing or reordered entry. */
  public static List<String> verify(SparkSession spark, String path) {
    List<String> problems = new ArrayList<>();
    String previous = GENESIS;
    long expectedId = 1;
    for (Row r : spark.read().format("delta").load(path).orderBy(col("entry_id")).collectAsList()) {
      long id = r.getLong(0);
      if (id != expectedId) {
        problems.add("Expected entry " + expectedId + " but found entry " + id + " (an entry was deleted)");
        expectedId = id;
      }
      Entry entry = new Entry(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getLong(8), r.getLong(9), r.getLong(10), r.getString(11));
      if (!r.getString(12).equals(previous)) {
        problems.add("Entry " + id + " does not follow the previous entry (previous_hash differs)");
      }
      if (!hash(id, entry, r.getString(12)).equals(r.getString(13))) {
        problems.add("Entry " + id + " was altered (its hash does not match its fields)");
      }
      previous = r.getString(13);
      expectedId++;
    }
    return problems;
  }

  static String hash(long id, Entry e, String previous) {
    String canonical =
        String.join(
            "\u001f",
            Long.toString(id), e.time(), e.user(), e.kind(), e.description(), e.policy(), e.outDir(), e.files(), Long.toString(e.published()),
            Long.toString(e.primary()), Long.toString(e.secondary()), e.reason(), previous);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("This JVM has no SHA-256", ex);
    }
  }

  private static boolean exists(SparkSession spark, String path) {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
    try {
      return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot check the audit log at " + path, e);
    }
  }
}
