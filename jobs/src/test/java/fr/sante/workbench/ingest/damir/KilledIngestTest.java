package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed (SIGKILL) while it writes a month leaves the tables readable at their previous version. */
class KilledIngestTest {
  private static final int MONTH = 202403;
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void killedIngestLeavesThePreviousVersion() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    Path small = DamirFixtures.write(Files.createDirectory(dir.resolve("v1")).resolve("A202403.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 300, 11));
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(small.toString()), lake));
    long versionBefore = version(lake);
    Row before = lake.read(spark, Lake.DAMIR).agg(sum("FLT_PAI_MNT"), sum("PRS_REM_MNT")).first();
    long filesBefore = parquetFiles(lake);

    Path big = DamirFixtures.write(Files.createDirectory(dir.resolve("v2")).resolve("A202403.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 300_000, 12));
    Process child = startIngest(big, lake);
    try {
      long deadline = System.currentTimeMillis() + 300_000; // a loaded 2-core machine starts the child slowly
      while (parquetFiles(lake) <= filesBefore + 2 && child.isAlive() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(child.isAlive()).as("the child must still be writing when it is killed (else the test proves nothing)").isTrue();
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }

    assertThat(parquetFiles(lake)).as("the killed run had written data files").isGreaterThan(filesBefore + 2);
    assertThat(version(lake)).isEqualTo(versionBefore);
    assertThat(lake.read(spark, Lake.DAMIR).count()).isEqualTo(300);
    assertThat(lake.read(spark, Lake.DAMIR).agg(sum("FLT_PAI_MNT"), sum("PRS_REM_MNT")).first()).isEqualTo(before);
    assertThat(lake.read(spark, Lake.INGEST_LOG).count()).isEqualTo(1);

    // the killed run left its staging folder, named after its (now dead) process
    Path staging = Path.of(lake.stagingPath());
    try (Stream<Path> runs = Files.list(staging)) {
      assertThat(runs.filter(r -> Files.exists(r.resolve(IngestDamirJob.OWNER_FILE))).count()).as("the killed run's staging").isEqualTo(1);
    }

    // the next run removes the killed run's leftovers at once, cleans up after itself and replaces the month
    IngestDamirResult again = IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(big.toString()), lake));
    assertThat(again.rowsAccepted()).isEqualTo(300_000);
    assertThat(lake.read(spark, Lake.DAMIR).count()).isEqualTo(300_000);
    assertThat(staging).doesNotExist();
  }

  private long version(Lake lake) {
    return DeltaTable.forPath(spark, lake.tablePath(Lake.DAMIR)).history(1).first().getLong(0);
  }

  private static long parquetFiles(Lake lake) throws Exception {
    Path table = Path.of(lake.tablePath(Lake.DAMIR));
    if (!Files.exists(table)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  private static Process startIngest(Path file, Lake lake) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags", "").trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "fr.sante.workbench.cli.Workbench"));
    command.addAll(List.of("ingest", "damir", file.toString(), "--lake", lake.root(), "--chunk-mb", "1"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(lake.root() + "-child.log"));
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }
}
