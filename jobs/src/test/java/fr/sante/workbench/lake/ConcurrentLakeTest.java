package fr.sante.workbench.lake;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several users on one new lake at once: the tables are created once, whoever wins the race, and nobody's work is lost. */
class ConcurrentLakeTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /** Four writers create the same table at the same instant, three times: none fails, one creates it, none deletes it. */
  @Test
  void racingCreatorsOfOneTableAllGetIt() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 3; round++) {
        Lake lake = new Lake(dir.resolve("lake" + round).toString());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> creators = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          creators.add(pool.submit(() -> {
            start.await();
            return LakeTables.ensure(spark, lake, Lake.INGEST_LOG, Schemas.ingestLog());
          }));
        }
        start.countDown();
        int created = 0;
        for (Future<Boolean> creator : creators) {
          created += creator.get(120, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(created).as("round " + round).isEqualTo(1);
        assertThat(lake.exists(spark, Lake.INGEST_LOG)).isTrue();
        assertThat(lake.read(spark, Lake.INGEST_LOG).schema().fieldNames()).containsExactly(Schemas.ingestLog().tableType().fieldNames());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Two real processes ingest two months into a new lake at the same time: both succeed, each month is there once. */
  @Test
  void twoIngestsOfDifferentMonthsOnANewLakeBothSucceed() throws Exception {
    String lake = dir.resolve("lake").toString();
    List<Process> processes = new ArrayList<>();
    int[] months = {202401, 202402};
    int[] lines = {400, 300};
    for (int i = 0; i < 2; i++) {
      Path file = DamirFixtures.write(dir.resolve("A" + months[i] + ".csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(months[i], lines[i], 3 + i));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags", "").trim().split("\\s+")));
      command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Workbench.class.getName(), "ingest", "damir", file.toString(), "--lake", lake));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(dir.resolve("p" + i + ".log").toString()));
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      processes.add(builder.start());
    }
    for (int i = 0; i < 2; i++) {
      assertThat(processes.get(i).waitFor(300, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(dir.resolve("p" + i + ".log"));
      assertThat(processes.get(i).exitValue()).as(log).isZero();
      assertThat(log).doesNotContain("unexpected failure");
    }
    Lake theLake = new Lake(lake);
    for (int i = 0; i < 2; i++) {
      long rows = theLake.read(spark, Lake.DAMIR).filter("FLX_ANN_MOI = " + months[i]).count();
      long rejected = theLake.read(spark, Lake.DAMIR_REJECTS).filter("FLX_ANN_MOI = " + months[i]).count();
      assertThat(rows + rejected).as("month " + months[i]).isEqualTo(lines[i]);
    }
    List<Row> log = theLake.read(spark, Lake.INGEST_LOG).collectAsList();
    assertThat(log).hasSize(2);
  }

  @Test
  void aDeltaConflictIsFoundUnderTheExceptionsThatWrapIt() {
    RuntimeException wrapped = new RuntimeException("job failed", new io.delta.exceptions.ConcurrentAppendException("Files were added to partition [FLX_ANN_MOI=202401]"));
    assertThat(Workbench.concurrentChange(wrapped)).isInstanceOf(io.delta.exceptions.ConcurrentAppendException.class);
    assertThat(Workbench.concurrentChange(new IllegalStateException("other"))).isNull();
  }
}
