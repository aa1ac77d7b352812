package fr.sante.workbench.anonymisation;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.schemas.Schemas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The release register ({@code releases}, beside {@code audit_log}): every cell of every published table, its
 * published value or that it is hidden, with the table's definition (inputs, description, unit, dimensions) and
 * its link group. Appended (never rewritten) right after the table's audit entry.
 */
public final class Releases {
  public static final String TABLE = "releases";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Releases() {}

  /** One published table as the register holds it. */
  public record Release(long id, String group, String tableName, String description, String unit, List<String> dimensions, long cells, long hidden) {}

  /** The register's path: the folder beside the audit log's. */
  public static String path(String auditLog) {
    return new org.apache.hadoop.fs.Path(auditLog).getParent().toString() + "/" + TABLE;
  }

  static void append(SparkSession spark, String auditLog, long entry, String group, Path outDir, Provenance provenance, ExportPolicy policy,
      List<PublishedTable.Cell> cells) {
    try {
      String inputs = JSON.writeValueAsString(provenance.inputs());
      String dimensions = JSON.writeValueAsString(policy.dimensions());
      String unit = policy.unit().name().toLowerCase(Locale.ROOT);
      List<Row> rows = new ArrayList<>(cells.size());
      for (PublishedTable.Cell cell : cells) {
        rows.add(RowFactory.create(
            entry, group, outDir.getFileName().toString(), outDir.toAbsolutePath().toString(), provenance.time(), inputs, provenance.description(), unit, dimensions,
            JSON.writeValueAsString(cell.key()), cell.suppressed() ? null : cell.count().getAsLong(), cell.suppressed()));
      }
      spark.createDataFrame(rows, Schemas.releases().tableType()).coalesce(1).write().format("delta").mode(SaveMode.Append).save(path(auditLog));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot write the release register " + path(auditLog), e);
    }
  }

  /** The release of audit entry {@code id}, if the register holds it. */
  public static java.util.Optional<Release> of(SparkSession spark, String auditLog, long id) {
    String path = path(auditLog);
    if (!exists(spark, path)) {
      return java.util.Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(path).filter(col("release_id").equalTo(id)).collectAsList();
    if (rows.isEmpty()) {
      return java.util.Optional.empty();
    }
    Row first = rows.get(0);
    try {
      List<String> dimensions = List.of(JSON.readValue(first.<String>getAs("dimensions"), String[].class));
      long hidden = rows.stream().filter(r -> r.<Boolean>getAs("hidden")).count();
      return java.util.Optional.of(new Release(
          id, first.getAs("link_group"), first.getAs("table_name"), first.getAs("description"), first.getAs("count_unit"), dimensions, rows.size(), hidden));
    } catch (IOException e) {
      throw new AnonymisationException("The release register holds unreadable dimensions for entry " + id + ": " + e.getMessage());
    }
  }

  /** Every release of a link group (the audit entries of the tables published together). */
  public static List<Long> group(SparkSession spark, String auditLog, String group) {
    String path = path(auditLog);
    if (!exists(spark, path)) {
      return List.of();
    }
    return spark.read().format("delta").load(path).filter(col("link_group").equalTo(group)).select("release_id").distinct().orderBy("release_id").collectAsList()
        .stream().map(r -> r.getLong(0)).toList();
  }

  private static boolean exists(SparkSession spark, String path) {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
    try {
      return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot check the release register at " + path, e);
    }
  }
}
