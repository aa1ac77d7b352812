package fr.sante.workbench.spark;

import fr.sante.workbench.WorkbenchException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.ClassicColumnConversions$;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.DeltaUDF$;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one place that commits files to Delta through Delta's transaction API ({@link OptimisticTransaction},
 * not meant for applications): the ingest writes its Parquet files itself, then replaces a partition with
 * them in one commit, with Delta's own conflict detection, protocol checks and log (the same actions and
 * operation as a {@code replaceWhere} overwrite).
 */
public final class DeltaCommits {
  private DeltaCommits() {}

  /**
   * Replaces every file of the partition {@code column = value} of the table at {@code tablePath} by
   * {@code files}, in one commit, after checking that the table has exactly the columns of {@code expected}
   * (the files were written for them) and nothing the ingest does not enforce (CHECK constraints, column
   * mapping). Returns the new version.
   */
  public static long replacePartition(SparkSession spark, String tablePath, StructType expected, String column, String value, List<NewDataFile> files) {
    return replacePartition(spark, tablePath, expected, column, value, files, () -> {});
  }

  /** {@link #replacePartition}, running {@code beforeCommit} between the read of the partition and the commit (tests). */
  static long replacePartition(SparkSession spark, String tablePath, StructType expected, String column, String value, List<NewDataFile> files, Runnable beforeCommit) {
    DeltaLog log = DeltaLog.forTable(spark, new Path(tablePath));
    OptimisticTransaction txn = log.startTransaction();
    checkWritable(tablePath, txn.metadata(), expected, column);
    scala.collection.immutable.Map<String, String> partition = scalaMap(Map.of(column, value));
    List<Action> actions = new ArrayList<>();
    long now = System.currentTimeMillis();
    // the read of the partition's files is recorded: a concurrent writer of the same month makes this commit fail
    for (AddFile old : partitionFiles(txn, column, List.of(value))) {
      actions.add(old.removeWithTimestamp(now, true));
    }
    for (NewDataFile file : files) {
      actions.add(new AddFile(file.path(), partition, file.sizeBytes(), file.modificationTime(), true, file.statsJson(), null, null, Option.empty(), Option.empty(), Option.empty()));
    }
    DeltaOperations.Write operation =
        new DeltaOperations.Write(SaveMode.Overwrite, Option.apply(scalaSeq(List.of(column))), Option.apply(column + " = " + value), Option.empty());
    beforeCommit.run();
    return txn.commit(scalaSeq(actions), operation);
  }

  /** Those of {@code values} whose partition {@code column = value} of the table at {@code tablePath} holds any file now, in one read of the log. */
  public static Set<String> partitionsWithFiles(SparkSession spark, String tablePath, String column, List<String> values) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, new Path(tablePath)).startTransaction();
    Set<String> out = new HashSet<>();
    for (AddFile file : partitionFiles(txn, column, values)) {
      out.add(file.partitionValues().apply(column));
    }
    return out;
  }

  /** The paths (relative to the table's root) of the files of the partition {@code column = value}, read from the log. */
  public static List<String> partitionFiles(SparkSession spark, String tablePath, String column, String value) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, new Path(tablePath)).startTransaction();
    List<String> out = new ArrayList<>();
    for (AddFile file : partitionFiles(txn, column, List.of(value))) {
      out.add(file.path());
    }
    return out;
  }

  /**
   * The files of the partitions {@code column = value} for each of {@code values}, read through {@code txn}, which records the read for conflict detection.
   * Delta reads them with a Spark job over the log (state reconstruction), even when the table's checksum
   * file says it holds no file at all, as after its creation: then the job is skipped and the read is
   * recorded exactly as {@code filterFiles} records it (same predicate), so a concurrent writer of the
   * partition still makes the commit fail.
   */
  private static List<AddFile> partitionFiles(OptimisticTransaction txn, String column, List<String> values) {
    scala.collection.immutable.Set<scala.collection.immutable.Map<String, String>> partitions =
        scala.collection.immutable.Set$.MODULE$.from(CollectionConverters.asScala(values.stream().map(v -> scalaMap(Map.of(column, v))).toList()));
    // the checksum file of the snapshot's version, when Delta wrote one (numOfFiles would reconstruct the state)
    Option<VersionChecksum> checksum = txn.snapshot().checksumOpt();
    if (checksum.isDefined() && checksum.get().numFiles() == 0L) {
      Column read = DeltaUDF$.MODULE$.booleanFromMap(new InPartitions(partitions)).apply(functions.col("partitionValues"));
      txn.trackReadPredicates(scalaSeq(List.of(ClassicColumnConversions$.MODULE$.expression(read))), true, false);
      return List.of();
    }
    return CollectionConverters.asJava(txn.filterFiles(partitions));
  }

  /** Whether a file's partition values are one of {@code partitions} (what {@code filterFiles} tests). */
  private static final class InPartitions extends scala.runtime.AbstractFunction1<scala.collection.immutable.Map<String, String>, Object> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final scala.collection.immutable.Set<scala.collection.immutable.Map<String, String>> partitions;

    InPartitions(scala.collection.immutable.Set<scala.collection.immutable.Map<String, String>> partitions) {
      this.partitions = partitions;
    }

    @Override
    public Object apply(scala.collection.immutable.Map<String, String> values) {
      return partitions.contains(values);
    }
  }

  /** The partition columns of the table at {@code tablePath}. */
  public static List<String> partitionColumns(SparkSession spark, String tablePath) {
    return CollectionConverters.asJava(DeltaLog.forTable(spark, new Path(tablePath)).update(false, Option.empty(), Option.empty()).metadata().partitionColumns());
  }

  /** The latest version of the table at {@code tablePath}. */
  public static long version(SparkSession spark, String tablePath) {
    return DeltaLog.forTable(spark, new Path(tablePath)).update(false, Option.empty(), Option.empty()).version();
  }

  private static void checkWritable(String tablePath, Metadata metadata, StructType expected, String column) {
    StructType actual = metadata.schema();
    List<String> partitionColumns = CollectionConverters.asJava(metadata.partitionColumns());
    if (!sameColumns(actual, expected) || !partitionColumns.equals(List.of(column))) {
      throw new WorkbenchException(
          "Cannot write to the Delta table at "
              + tablePath
              + ": expected the columns "
              + expected.simpleString()
              + " partitioned by "
              + column
              + " but found "
              + actual.simpleString()
              + " partitioned by "
              + partitionColumns
              + ". The table was created by another version of the workbench; ingest into a new lake.");
    }
    Map<String, String> configuration = CollectionConverters.asJava(metadata.configuration());
    for (Map.Entry<String, String> property : configuration.entrySet()) {
      boolean mapped = property.getKey().equals("delta.columnMapping.mode") && !property.getValue().equals("none");
      if (mapped || property.getKey().startsWith("delta.constraints.")) {
        throw new WorkbenchException(
            "Cannot write to the Delta table at "
                + tablePath
                + ": it has the property "
                + property.getKey()
                + " = "
                + property.getValue()
                + ", which the ingest's direct file writer does not honour. Remove it or ingest into a new lake.");
      }
    }
  }

  /** Same names and types in the same order; nullability may differ (the parser enforces required columns). */
  private static boolean sameColumns(StructType actual, StructType expected) {
    StructField[] a = actual.fields();
    StructField[] e = expected.fields();
    if (a.length != e.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].name().equals(e[i].name()) || !a[i].dataType().equals(e[i].dataType())) {
        return false;
      }
    }
    return true;
  }

  private static <K, V> scala.collection.immutable.Map<K, V> scalaMap(Map<K, V> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }

  private static <T> scala.collection.immutable.Seq<T> scalaSeq(List<T> list) {
    return CollectionConverters.asScala(list).toSeq();
  }
}
