package fr.sante.workbench.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookTest {
  @TempDir Path dir;

  @Test
  void theMasterIsLocalWhenUnsetOrBlankAndMustBeASparkMasterOtherwise() {
    assertThat(Notebook.master(Map.of())).isEqualTo("local[*]");
    assertThat(Notebook.master(Map.of("WORKBENCH_MASTER", "  "))).isEqualTo("local[*]");
    for (String master : new String[] {"local[*]", "local[2]", "local", "spark://10.0.0.5:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://api:6443"}) {
      assertThat(Notebook.master(Map.of("WORKBENCH_MASTER", master))).isEqualTo(master);
    }
    assertThatThrownBy(() -> Notebook.master(Map.of("WORKBENCH_MASTER", "spark://host")))
        .isInstanceOf(WorkbenchException.class)
        .hasMessage("WORKBENCH_MASTER='spark://host' is not a Spark master: expected spark://HOST:PORT, yarn, k8s://URL or local[*]");
    assertThatThrownBy(() -> Notebook.master(Map.of("WORKBENCH_MASTER", "mesos://h:5050"))).hasMessageStartingWith("WORKBENCH_MASTER='mesos://h:5050' is not a Spark master");
  }

  @Test
  void aLocalSessionStaysOnLoopbackAndShipsNoJar() {
    Map<String, String> settings = Notebook.settings(Map.of(), Optional.of("/x/workbench.jar"));
    assertThat(settings).containsEntry("spark.master", "local[*]").containsEntry("spark.driver.host", "127.0.0.1")
        .containsEntry("spark.driver.bindAddress", "127.0.0.1").containsEntry("spark.ui.enabled", "false").doesNotContainKey("spark.jars");
  }

  @Test
  void aClusterSessionShipsTheKernelsJarAndAdvertisesTheDriverHost() {
    Map<String, String> settings = Notebook.settings(Map.of("WORKBENCH_MASTER", "spark://10.0.0.5:7077", "WORKBENCH_DRIVER_HOST", "10.0.0.9", "SPARK_LOCAL_IP", "127.0.0.1"),
        Optional.of("/x/workbench-spark-submit.jar"));
    assertThat(settings).containsEntry("spark.master", "spark://10.0.0.5:7077").containsEntry("spark.jars", "/x/workbench-spark-submit.jar")
        .containsEntry("spark.driver.host", "10.0.0.9").containsEntry("spark.driver.bindAddress", "0.0.0.0");
    // without WORKBENCH_DRIVER_HOST: SPARK_LOCAL_IP, else loopback (the kernel's own setting binds)
    assertThat(Notebook.settings(Map.of("WORKBENCH_MASTER", "yarn", "SPARK_LOCAL_IP", "10.0.0.8"), Optional.of("/x/w.jar")))
        .containsEntry("spark.driver.host", "10.0.0.8").doesNotContainKey("spark.driver.bindAddress");
    assertThat(Notebook.settings(Map.of("WORKBENCH_MASTER", "yarn"), Optional.of("/x/w.jar"))).containsEntry("spark.driver.host", "127.0.0.1");
    assertThatThrownBy(() -> Notebook.settings(Map.of("WORKBENCH_MASTER", "yarn"), Optional.empty()))
        .hasMessageStartingWith("WORKBENCH_MASTER='yarn' needs the workbench jar to ship to the executors, but the kernel does not run from a jar");
  }

  @Test
  void theShippedJarIsTheThinJarBesideTheKernelsJarElseTheKernelsJar() throws Exception {
    // the tests run from classes, so the kernel's classpath (RJK_CLASSPATH) says where the jar is
    assertThat(Notebook.kernelJar(Map.of())).isEmpty();
    Path fat = Files.writeString(dir.resolve("workbench.jar"), "jar");
    assertThat(Notebook.kernelJar(Map.of("RJK_CLASSPATH", "/nowhere/a.jar:" + fat))).contains(fat.toString());
    Path thin = Files.writeString(dir.resolve("workbench-spark-submit.jar"), "jar");
    assertThat(Notebook.kernelJar(Map.of("RJK_CLASSPATH", fat.toString()))).contains(thin.toString());
    assertThat(Notebook.kernelJar(Map.of("RJK_CLASSPATH", dir.resolve("missing/workbench.jar").toString()))).isEmpty();
  }

  @Test
  void aLakeGivenByWorkbenchLakeMustHoldDeltaTables() throws Exception {
    SparkSession spark = TestSpark.session();
    Path missing = dir.resolve("nowhere");
    assertThatThrownBy(() -> Notebook.lake(spark, Map.of("WORKBENCH_LAKE", missing.toString()), dir.resolve("sample")))
        .isInstanceOf(WorkbenchException.class)
        .hasMessage("WORKBENCH_LAKE='" + missing + "' is not a lake: expected a folder of Delta tables (damir, damir_rejects, ingest_log, …), found no such folder at " + missing);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> Notebook.lake(spark, Map.of("WORKBENCH_LAKE", empty.toString()), dir.resolve("sample"))).hasMessageEndingWith("found an empty folder at " + empty);
    Path raw = Files.createDirectories(dir.resolve("raw"));
    Files.writeString(raw.resolve("A202401.csv.gz"), "x");
    Files.createDirectories(raw.resolve("damir")); // a folder named like a table, without a Delta log
    assertThatThrownBy(() -> Notebook.lake(spark, Map.of("WORKBENCH_LAKE", raw.toUri().toString()), dir.resolve("sample")))
        .hasMessageStartingWith("WORKBENCH_LAKE='" + raw.toUri() + "' is not a lake")
        .hasMessageEndingWith("found a folder holding A202401.csv.gz, damir at file:" + raw);
    Path file = raw.resolve("A202401.csv.gz");
    assertThatThrownBy(() -> Notebook.lake(spark, Map.of("WORKBENCH_LAKE", file.toString()), dir.resolve("sample"))).hasMessageEndingWith("found a file at " + file);
    assertThat(dir.resolve("sample")).as("the sample lake is built only when WORKBENCH_LAKE is unset").doesNotExist();

    Path root = dir.resolve("lake");
    spark.range(3).toDF("n").write().format("delta").save(root.resolve("population").toString());
    spark.range(2).toDF("n").write().format("delta").mode("append").save(root.resolve("population").toString());
    spark.range(1).toDF("n").write().format("delta").save(root.resolve("damir").toString());
    Lake lake = Notebook.lake(spark, Map.of("WORKBENCH_LAKE", root.toUri().toString()), dir.resolve("sample"));
    assertThat(lake.root()).isEqualTo("file:" + root);
    assertThat(Notebook.tableVersions(spark, lake)).containsExactly(Map.entry("damir", 0L), Map.entry("population", 1L));
    String described = Notebook.describe(spark, lake, Map.of("WORKBENCH_LAKE", root.toUri().toString()));
    assertThat(described.lines()).containsExactly(
        "lake    file:" + root + " (from WORKBENCH_LAKE)",
        "master  local[2] (WORKBENCH_MASTER is unset), application " + spark.sparkContext().applicationId() + ", Spark 4.0.1",
        "tables  damir v0, population v1");
    assertThat(Notebook.describe(spark, lake, Map.of("WORKBENCH_MASTER", "local[2]")).lines().toList())
        .startsWith("lake    file:" + root + " (the synthetic sample lake: WORKBENCH_LAKE is unset)")
        .contains("master  local[2] (from WORKBENCH_MASTER), application " + spark.sparkContext().applicationId() + ", Spark 4.0.1");
  }

  @Test
  void theWarmUpComputesEachTablesDeltaStateSoThatTheFirstQueryDoesNotAndTouchesNothing() throws Exception {
    SparkSession spark = TestSpark.session();
    Path root = dir.resolve("lake");
    spark.range(5).toDF("n").write().format("delta").save(root.resolve("population").toString());
    spark.range(3).toDF("n").write().format("delta").save(root.resolve("damir").toString());
    spark.range(2).toDF("n").write().format("delta").mode("append").save(root.resolve("damir").toString());
    String control = dir.resolve("control").toString(); // a table made the same way, not in the lake: not warmed
    spark.range(4).toDF("n").write().format("delta").save(control);
    Lake lake = new Lake(root.toString());
    Map<String, Long> versions = Notebook.tableVersions(spark, lake);
    List<String> views = spark.catalog().listTables().collectAsList().stream().map(t -> t.name()).sorted().toList();

    assertThat(Notebook.warmUp(spark, lake).get(3, TimeUnit.MINUTES)).as("tables warmed, damir first").containsExactly("damir", "population");

    List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        descriptions.add(String.valueOf(start.properties().getProperty("spark.job.description")));
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      for (String table : List.of("damir", "population")) {
        assertThat(spark.read().format("delta").load(lake.tablePath(table)).collectAsList()).hasSize(5);
      }
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertThat(descriptions).as("jobs of the queries after the warm-up").isNotEmpty().noneMatch(d -> d.contains("Compute snapshot"));
      spark.read().format("delta").load(control).collectAsList();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertThat(descriptions).as("the control table's first query computes its snapshot (else this test proves nothing)").anyMatch(d -> d.contains("Compute snapshot"));
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertThat(Notebook.tableVersions(spark, lake)).as("the warm-up writes nothing").isEqualTo(versions);
    assertThat(spark.catalog().listTables().collectAsList().stream().map(t -> t.name()).sorted().toList()).as("the warm-up registers no view").isEqualTo(views);
  }

  @Test
  void theSampleLakeIsShownRelativeToTheNotebooksFolderAndAnyOtherLakeAsGiven() {
    Path notebooks = Path.of("/home/ana/workbench/notebooks");
    assertThat(Notebook.underWorkingDir("/home/ana/workbench/notebooks/target/sample/lake", notebooks)).isEqualTo("target/sample/lake");
    assertThat(Notebook.underWorkingDir("/home/ana/workbench/notebooks/./target/../target/sample/lake", notebooks)).isEqualTo("target/sample/lake");
    assertThat(Notebook.underWorkingDir("/home/ana/workbench/notebooks-old/lake", notebooks)).isEqualTo("/home/ana/workbench/notebooks-old/lake");
    assertThat(Notebook.underWorkingDir("/home/ana/workbench/notebooks", notebooks)).isEqualTo("/home/ana/workbench/notebooks");
    assertThat(Notebook.underWorkingDir("/data/lake", notebooks)).isEqualTo("/data/lake");
    assertThat(Notebook.underWorkingDir("hdfs://nn:8020/home/ana/workbench/notebooks/lake", notebooks)).isEqualTo("hdfs://nn:8020/home/ana/workbench/notebooks/lake");
  }
}
