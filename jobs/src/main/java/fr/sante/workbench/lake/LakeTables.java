package fr.sante.workbench.lake;

import fr.sante.workbench.schemas.TableSchema;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Creates the lake's tables from their schemas in data-schemas, and replaces slices of them atomically. */
public final class LakeTables {
  private LakeTables() {}

  /**
   * Creates {@code table} from its schema (columns, nullability, partitioning, properties) if it does not
   * exist yet, so every later write appends to exactly that layout. Returns whether it created it (empty).
   */
  public static boolean ensure(SparkSession spark, Lake lake, String table, TableSchema schema) {
    long deadline = System.currentTimeMillis() + RACE_MILLIS;
    for (int attempt = 1; ; attempt++) {
      if (lake.exists(spark, table)) {
        return false;
      }
      removeAbandoned(spark, new Path(lake.tablePath(table)));
      try {
        return create(spark, lake, table, schema);
      } catch (Exception e) { // Delta throws its (checked) AnalysisException without declaring it
        // two processes creating the same table on a new lake: the one that lost the race finds it made, and uses it;
        // while the other's first commit is on its way (its folder there, no commit yet), it waits for it
        if (lake.exists(spark, table)) {
          return false;
        }
        if (!isRace(e) || System.currentTimeMillis() > deadline) {
          throw LakeTables.<RuntimeException>rethrow(e);
        }
        pause(attempt);
      }
    }
  }

  /** How long a creator waits for another process's creation of the same table to commit. */
  static final long RACE_MILLIS = 90_000;
  /** A table folder without a first commit, untouched this long, was left by a creation that died. */
  static final long ABANDONED_MILLIS = 60_000;

  /** What a creation meets when another process creates the same table: its commit, or its folder without a commit yet. */
  private static boolean isRace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.delta.exceptions.DeltaConcurrentModificationException
          || t instanceof org.apache.spark.SparkThrowable thrown && "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION".equals(thrown.getCondition())
          || String.valueOf(t.getMessage()).contains("DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION")) {
        return true;
      }
    }
    return false;
  }

  /** Removes a table folder that holds no commit and that nothing has written to for {@link #ABANDONED_MILLIS}. */
  private static void removeAbandoned(SparkSession spark, Path location) {
    try {
      org.apache.hadoop.fs.FileSystem fs = location.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(location)) {
        return;
      }
      long newest = 0;
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(location, true);
      while (files.hasNext()) {
        newest = Math.max(newest, files.next().getModificationTime());
      }
      newest = Math.max(newest, fs.getFileStatus(location).getModificationTime());
      if (System.currentTimeMillis() - newest > ABANDONED_MILLIS) {
        fs.delete(location, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot inspect the folder of table '" + location + "'", e);
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1_000L, 100L * attempt) + java.util.concurrent.ThreadLocalRandom.current().nextLong(100));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to create a table", interrupted);
    }
  }

  /**
   * Creates the table unless it exists; returns whether this call's commit created it. Delta's create is a no-op on a
   * location where a table of the same schema appeared since the check (seen with 3 of 4 racing threads "creating"
   * it on a loaded machine), so the creation commit carries a marker of this call, read back from version 0.
   */
  private static boolean create(SparkSession spark, Lake lake, String table, TableSchema schema) {
    String marker = "workbench-create-" + java.util.UUID.randomUUID();
    SparkSession marked = spark.newSession();
    marked.conf().set("spark.databricks.delta.commitInfo.userMetadata", marker);
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    SparkSession.setActiveSession(marked);
    try {
      createIn(marked, lake, table, schema);
    } finally {
      if (active.isDefined()) {
        SparkSession.setActiveSession(active.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
    return firstCommitCarries(spark, new Path(lake.tablePath(table)), marker);
  }

  /** Whether the table's first commit (version 0) was made with {@code marker} as its user metadata. */
  private static boolean firstCommitCarries(SparkSession spark, Path location, String marker) {
    Path first = new Path(location, "_delta_log/00000000000000000000.json");
    try (java.io.BufferedReader in =
        new java.io.BufferedReader(new java.io.InputStreamReader(first.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(first), java.nio.charset.StandardCharsets.UTF_8))) {
      return in.lines().anyMatch(line -> line.contains("\"commitInfo\"") && line.contains("\"" + marker + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the first commit of table '" + location + "'", e);
    }
  }

  private static void createIn(SparkSession spark, Lake lake, String table, TableSchema schema) {
    DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(lake.tablePath(table)).addColumns(schema.tableType());
    if (!schema.partitionKey().isEmpty()) {
      builder = builder.partitionedBy(schema.partitionKey());
    }
    for (Map.Entry<String, String> property : schema.tableProperties().entrySet()) {
      builder = builder.property(property.getKey(), property.getValue());
    }
    Path location = new Path(lake.tablePath(table));
    boolean folderExisted = folderExists(spark, location);
    try {
      builder.execute();
    } catch (Exception e) { // Delta throws its (checked) AnalysisException without declaring it
      if (!folderExisted && !lake.exists(spark, table) && !isRace(e)) {
        // a half-created table (a first commit without the rest) must not pass for a table on the next run; a table
        // another process is creating meanwhile is never touched (a folder a creation abandons is removed a minute later)
        try {
          location.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(location, true);
        } catch (IOException | RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw LakeTables.<RuntimeException>rethrow(e);
    }
  }

  /** Throws {@code e} as it is, checked or not (Delta's AnalysisException keeps its type for the CLI's messages). */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException rethrow(Throwable e) throws T {
    throw (T) e;
  }

  private static boolean folderExists(SparkSession spark, Path location) {
    try {
      return location.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(location);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the folder of table '" + location + "'", e);
    }
  }

  /** Replaces the rows of {@code table} whose {@code column} equals {@code value} by {@code rows}, in one commit. */
  public static void replace(SparkSession spark, Lake lake, String table, TableSchema schema, String column, String value, Dataset<Row> rows) {
    ensure(spark, lake, table, schema);
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", column + " = '" + value.replace("'", "''") + "'")
        .save(lake.tablePath(table));
  }
}
