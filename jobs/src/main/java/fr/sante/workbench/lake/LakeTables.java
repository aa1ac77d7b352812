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
    if (lake.exists(spark, table)) {
      return false;
    }
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
    } catch (RuntimeException e) {
      if (!folderExisted) {
        // a half-created table (a first commit without the rest) must not pass for a table on the next run
        try {
          location.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(location, true);
        } catch (IOException | RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
    return true;
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
