package fr.sante.workbench.lake;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.ReadOnlyQuery;
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
 * @param root the lake's root, e.g. {@code ./demo/lake}, {@code ~/lake}, {@code file:///data/lake} or {@code
 *     s3a://bucket/lake}; kept normalised (see {@link #normalise})
 */
public record Lake(String root) {
  public static final String DAMIR = "damir";
  public static final String DAMIR_REJECTS = "damir_rejects";
  public static final String INGEST_LOG = "ingest_log";
  public static final String CODE_LISTS = "code_lists";
  public static final String ALD_PREVALENCE = "ald_prevalence";
  public static final String POPULATION = "population";
  public static final String AUDIT_LOG = "audit_log";
  /** The export gate's release register: every cell of every published table (beside audit_log). */
  public static final String RELEASES = "releases";
  public static final String OPEN_MEDIC = "open_medic";
  public static final String OPEN_MEDIC_REJECTS = "open_medic_rejects";
  /** Every table the workbench may write, in the order {@code workbench tables} lists them. */
  public static final List<String> TABLES = List.of(DAMIR, DAMIR_REJECTS, INGEST_LOG, CODE_LISTS, ALD_PREVALENCE, POPULATION, OPEN_MEDIC, OPEN_MEDIC_REJECTS, AUDIT_LOG, RELEASES);
  /** Work folder for files being ingested; never a table. */
  public static final String STAGING = "_staging";

  public Lake {
    Objects.requireNonNull(root, "root is null");
    if (root.isBlank()) {
      throw new WorkbenchException("Invalid lake: '' (must be a folder path or a Hadoop URI)");
    }
    root = normalise(root);
  }

  /**
   * The one spelling of a lake location: a Hadoop URI ({@code file:///x}, {@code hdfs://…}, {@code s3a://…}) in
   * Hadoop's normal form (Delta takes {@code file:///x} and {@code file:/x} for two locations); a local path
   * made absolute against the working directory of this JVM (under {@code spark-submit}, the driver's) with
   * {@code ~} expanded. Delta refuses a relative table location ({@code `lake/damir` is not a valid name}).
   */
  static String normalise(String root) {
    if (root.matches("^[A-Za-z][A-Za-z0-9+.-]*:/.*")) {
      String uri = new Path(root).toString();
      return uri.endsWith("/") && !uri.endsWith(":/") && !uri.endsWith("://") ? uri.substring(0, uri.length() - 1) : uri;
    }
    String path = root;
    if (path.equals("~") || path.startsWith("~/")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
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

  /** A commit or a checkpoint of a Delta log: its version is the file name's first 20 digits. */
  private static final java.util.regex.Pattern LOG_FILE = java.util.regex.Pattern.compile("(\\d{20})\\.(json|checkpoint(\\..+)?\\.(parquet|json))");

  /**
   * The table's latest Delta version, read from its {@code _delta_log} listing (the highest commit or checkpoint
   * number): no snapshot to build and no Spark job, where {@code DeltaTable.history(1)} runs one per table. A commit
   * file appears whole (Delta writes it by an atomic rename or put-if-absent), so the listing never shows a version
   * being written.
   */
  public long latestVersion(SparkSession spark, String table) {
    Path log = new Path(tablePath(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long latest = -1;
      for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(log)) {
        java.util.regex.Matcher m = LOG_FILE.matcher(status.getPath().getName());
        if (m.matches()) {
          latest = Math.max(latest, Long.parseLong(m.group(1)));
        }
      }
      if (latest < 0) {
        throw new WorkbenchException(
            "Table '" + table + "' of lake '" + root + "' has no Delta commit: expected files such as 00000000000000000000.json in " + log);
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta log of table '" + table + "' in lake '" + root + "'", e);
    }
  }

  /**
   * The names of the tables present: the workbench's own in {@link #TABLES} order, then every other Delta table
   * directly under the lake's folder whose name is a plain identifier, in name order.
   */
  public List<String> existingTables(SparkSession spark) {
    List<String> out = new ArrayList<>();
    for (String table : TABLES) {
      if (exists(spark, table)) {
        out.add(table);
      }
    }
    Path rootPath = new Path(root);
    try {
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return out;
      }
      java.util.TreeSet<String> others = new java.util.TreeSet<>();
      for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(rootPath)) {
        String name = status.getPath().getName();
        if (status.isDirectory() && name.matches("[A-Za-z][A-Za-z0-9_]*") && !TABLES.contains(name) && exists(spark, name)) {
          others.add(name);
        }
      }
      out.addAll(others);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the tables of lake '" + root + "'", e);
    }
    return out;
  }

  /**
   * Checks a user's SQL text with {@link ReadOnlyQuery} against the tables registered as views (by {@link
   * #registerViews} or {@link #registerPinnedViews}) and returns it unexecuted.
   *
   * @throws fr.sante.workbench.anonymisation.QueryRefusedException when it is not a read-only query of them
   */
  public ReadOnlyQuery.Checked query(SparkSession spark, String sql, java.util.Collection<String> registered) {
    return ReadOnlyQuery.check(spark, sql, new java.util.TreeSet<>(registered), root);
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
      if (table.equals(AUDIT_LOG) || table.equals(RELEASES)) {
        continue;
      }
      long version = latestVersion(spark, table);
      spark.read().format("delta").option("versionAsOf", version).load(tablePath(table)).createOrReplaceTempView(table);
      versions.put(table, version);
    }
    return versions;
  }

  /** Registers every existing table as a temporary view under its own name, for Spark SQL. */
  public List<String> registerViews(SparkSession spark) {
    TABLES.forEach(table -> spark.catalog().dropTempView(table));
    // a view left by another lake in this session must not stand in for a table this lake lacks
    List<String> tables = existingTables(spark);
    for (String table : tables) {
      read(spark, table).createOrReplaceTempView(table);
    }
    return tables;
  }
}
