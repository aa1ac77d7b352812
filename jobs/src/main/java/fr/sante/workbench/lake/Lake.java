package fr.sante.workbench.lake;

import fr.sante.workbench.WorkbenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A folder (or any Hadoop-compatible URI) holding the workbench's Delta tables by name.
 *
 * @param root the lake's root, e.g. {@code ./demo/lake}, {@code file:///data/lake} or {@code s3a://bucket/lake}
 */
public record Lake(String root) {
  public static final String DAMIR = "damir";
  public static final String DAMIR_REJECTS = "damir_rejects";
  public static final String INGEST_LOG = "ingest_log";
  public static final String CODE_LISTS = "code_lists";
  public static final String ALD_PREVALENCE = "ald_prevalence";
  public static final String POPULATION = "population";
  public static final String AUDIT_LOG = "audit_log";
  public static final String OPEN_MEDIC = "open_medic";
  public static final String OPEN_MEDIC_REJECTS = "open_medic_rejects";
  /** Every table the workbench may write, in the order {@code workbench tables} lists them. */
  public static final List<String> TABLES = List.of(DAMIR, DAMIR_REJECTS, INGEST_LOG, CODE_LISTS, ALD_PREVALENCE, POPULATION, OPEN_MEDIC, OPEN_MEDIC_REJECTS, AUDIT_LOG);
  /** Work folder for files being ingested; never a table. */
  public static final String STAGING = "_staging";

  public Lake {
    Objects.requireNonNull(root, "root is null");
    if (root.isBlank()) {
      throw new WorkbenchException("Invalid lake: '' (must be a folder path or a Hadoop URI)");
    }
    root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
    if (root.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      // one spelling per location: Delta refuses a table whose location is spelled file:///x and file:/x
      root = new Path(root).toString();
    }
  }

  /** The path of a table, whether or not it exists yet. */
  public String tablePath(String table) {
    return root + "/" + table;
  }

  public String stagingPath() {
    return root + "/" + STAGING;
  }

  /** Whether the table has a Delta log (at least one commit). */
  public boolean exists(SparkSession spark, String table) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path log = new Path(tablePath(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(conf);
      return fs.exists(log) && fs.listStatus(log).length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check table '" + table + "' in lake '" + root + "'", e);
    }
  }

  /** The names of the tables present, in {@link #TABLES} order. */
  public List<String> existingTables(SparkSession spark) {
    List<String> out = new ArrayList<>();
    for (String table : TABLES) {
      if (exists(spark, table)) {
        out.add(table);
      }
    }
    return out;
  }

  public Dataset<Row> read(SparkSession spark, String table) {
    if (!exists(spark, table)) {
      throw new WorkbenchException(
          "Cannot read table '" + table + "': the lake '" + root + "' has no such table (run an ingest first)");
    }
    return spark.read().format("delta").load(tablePath(table));
  }

  /**
   * Registers every existing table but {@code audit_log} as a temporary view pinned to its current Delta
   * version, and returns table → version: the exact snapshot a query over the views reads.
   */
  public java.util.Map<String, Long> registerPinnedViews(SparkSession spark) {
    java.util.Map<String, Long> versions = new java.util.TreeMap<>();
    for (String table : TABLES) {
      // a view left by another lake in this session must not stand in for a table this lake lacks
      spark.catalog().dropTempView(table);
    }
    for (String table : existingTables(spark)) {
      if (table.equals(AUDIT_LOG)) {
        continue;
      }
      long version = io.delta.tables.DeltaTable.forPath(spark, tablePath(table)).history(1).select("version").first().getLong(0);
      spark.read().format("delta").option("versionAsOf", version).load(tablePath(table)).createOrReplaceTempView(table);
      versions.put(table, version);
    }
    return versions;
  }

  /** Registers every existing table as a temporary view under its own name, for Spark SQL. */
  public List<String> registerViews(SparkSession spark) {
    TABLES.forEach(table -> spark.catalog().dropTempView(table));
    List<String> tables = existingTables(spark);
    for (String table : tables) {
      read(spark, table).createOrReplaceTempView(table);
    }
    return tables;
  }
}
