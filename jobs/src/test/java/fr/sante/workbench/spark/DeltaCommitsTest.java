package fr.sante.workbench.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition replacement through Delta's transactions: what it removes, adds, and when a concurrent writer makes it fail. */
class DeltaCommitsTest {
  private static final StructType TYPE = new StructType().add("month", DataTypes.IntegerType, false).add("v", DataTypes.StringType);

  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private String newTable() {
    String path = dir.resolve("t").toString();
    DeltaTable.createIfNotExists(spark).location(path).addColumns(TYPE).partitionedBy("month").execute();
    return path;
  }

  private String newEmptyTable() {
    String path = dir.resolve("empty").toString();
    DeltaTable.createIfNotExists(spark).location(path).addColumns(TYPE).partitionedBy("month").execute();
    return path;
  }

  private long replace(String table, int month, String file, Runnable beforeCommit) {
    NewDataFile added = new NewDataFile("month=" + month + "/" + file, 100, System.currentTimeMillis(), 1, "{\"numRecords\":1}");
    return DeltaCommits.replacePartition(spark, table, TYPE, "month", String.valueOf(month), List.of(added), beforeCommit);
  }

  private List<String> files(String table, int month) {
    return DeltaCommits.partitionFiles(spark, table, "month", String.valueOf(month));
  }

  @Test
  void replacesOnlyTheFilesOfThePartition() {
    String table = newTable();
    replace(table, 1, "a.parquet", () -> {});
    replace(table, 2, "b.parquet", () -> {});
    long version = replace(table, 1, "c.parquet", () -> {});

    assertThat(version).isEqualTo(DeltaCommits.version(spark, table)).isEqualTo(3);
    assertThat(files(table, 1)).containsExactly("month=1/c.parquet");
    assertThat(files(table, 2)).containsExactly("month=2/b.parquet");
    assertThat(DeltaCommits.partitionsWithFiles(spark, table, "month", List.of("1", "2", "3"))).containsExactlyInAnyOrder("1", "2");
    assertThat(DeltaCommits.partitionsWithFiles(spark, newEmptyTable(), "month", List.of("1"))).isEmpty();
  }

  @Test
  void aConcurrentWriterOfTheSamePartitionFailsTheCommitOnAnEmptyTable() {
    String table = newTable(); // no file yet: the partition's read is recorded without a scan

    assertThatThrownBy(() -> replace(table, 1, "mine.parquet", () -> replace(table, 1, "theirs.parquet", () -> {})))
        .isInstanceOf(ConcurrentModificationException.class);
    assertThat(files(table, 1)).containsExactly("month=1/theirs.parquet");
  }

  @Test
  void aConcurrentWriterOfTheSamePartitionFailsTheCommitOnATableWithFiles() {
    String table = newTable();
    replace(table, 5, "other.parquet", () -> {}); // files: the partition is read with Delta's scan

    assertThatThrownBy(() -> replace(table, 1, "mine.parquet", () -> replace(table, 1, "theirs.parquet", () -> {})))
        .isInstanceOf(ConcurrentModificationException.class);
    assertThat(files(table, 1)).containsExactly("month=1/theirs.parquet");
  }

  @Test
  void aConcurrentWriterOfAnotherPartitionDoesNotConflict() {
    for (boolean empty : new boolean[] {true, false}) {
      String table = dir.resolve("t" + empty).toString();
      DeltaTable.createIfNotExists(spark).location(table).addColumns(TYPE).partitionedBy("month").execute();
      if (!empty) {
        replace(table, 5, "other.parquet", () -> {});
      }

      replace(table, 1, "mine.parquet", () -> replace(table, 2, "theirs.parquet", () -> {}));

      assertThat(files(table, 1)).as("empty=" + empty).containsExactly("month=1/mine.parquet");
      assertThat(files(table, 2)).as("empty=" + empty).containsExactly("month=2/theirs.parquet");
    }
  }
}
