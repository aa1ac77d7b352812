package fr.sante.workbench.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Lake#latestVersion} reads the log's listing; Delta's own history is the oracle. */
class LatestVersionTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private long deltaHistory(Lake lake, String table) {
    return DeltaTable.forPath(spark, lake.tablePath(table)).history(1).select("version").first().getLong(0);
  }

  @Test
  void equalsDeltasHistoryThroughCheckpointsAndOtherLogFiles() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    String path = lake.tablePath("t");
    for (int commit = 0; commit < 13; commit++) {
      // 13 appends: versions 0..12, with Delta's checkpoint at version 10 (checkpointInterval 10)
      spark.createDataset(List.of(commit), Encoders.INT()).toDF("v").write().format("delta").mode("append").save(path);
      assertThat(lake.latestVersion(spark, "t")).as("after commit %d", commit).isEqualTo(deltaHistory(lake, "t")).isEqualTo(commit);
    }
    Path log = Path.of(path, "_delta_log");
    assertThat(Files.list(log).map(p -> p.getFileName().toString())).as("a checkpoint was written").anyMatch(n -> n.contains(".checkpoint."));
    // files that are not commits do not count: a temporary file, a checksum, a compacted range, _last_checkpoint
    Files.writeString(log.resolve(".00000000000000000099.json.tmp"), "{}");
    Files.writeString(log.resolve("00000000000000000099.crc"), "{}");
    Files.writeString(log.resolve("00000000000000000000.00000000000000000099.compacted.json"), "{}");
    assertThat(lake.latestVersion(spark, "t")).isEqualTo(deltaHistory(lake, "t")).isEqualTo(12);
    // the commits before the checkpoint removed, as log clean-up does: the checkpoint and later commits remain
    for (int v = 0; v < 10; v++) {
      Files.deleteIfExists(log.resolve(String.format("%020d.json", v)));
    }
    assertThat(lake.latestVersion(spark, "t")).isEqualTo(12);
  }

  @Test
  void aLogWithoutCommitsIsNamed() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    Files.createDirectories(Path.of(lake.tablePath("t"), "_delta_log"));
    Files.writeString(Path.of(lake.tablePath("t"), "_delta_log", "_last_checkpoint"), "{}");
    assertThatThrownBy(() -> lake.latestVersion(spark, "t")).isInstanceOf(WorkbenchException.class).hasMessageContaining("has no Delta commit").hasMessageContaining("_delta_log");
  }
}
