package fr.sante.workbench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.generate.GenerateDamirJob;
import fr.sante.workbench.generate.GenerateDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import fr.sante.workbench.testing.TestSpark;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark standalone cluster on 127.0.0.1 (a master and a worker started from the Maven jars, with a
 * stand-in {@code SPARK_HOME/jars}), and the thin jar submitted to it in client mode: an ingest of two
 * generated months, then the expenditure study. The lake and every published table must equal those of a
 * local-mode run. Only the processes this test started are stopped, by PID, also when it fails.
 */
class StandaloneClusterIT {
  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @Test
  void ingestAndStudyOnAStandaloneClusterEqualALocalRun() throws Exception {
    Path jar = Path.of(System.getProperty("workbench.thin.jar"));
    assertThat(jar).as("built by mvn package").exists();
    Path raw = dir.resolve("raw");
    GenerateDamirJob.run(GenerateDamirOptions.of(YearMonth.of(2024, 1), YearMonth.of(2024, 2), 20_000, 11, raw));
    Path sparkHome = standInSparkHome();
    int port = freePort();
    String master = "spark://127.0.0.1:" + port;
    try {
      start("master", sparkHome, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
      waitForPort(port, 60);
      start("worker", sparkHome, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port",
          String.valueOf(freePort()), "--work-dir", dir.resolve("work").toString(), master));
      waitForLog(dir.resolve("worker.log"), "Successfully registered with master", 60);

      String clusterLake = dir.resolve("lake-cluster").toUri().toString(); // a Hadoop URI: file:///...
      Path clusterOut = dir.resolve("out-cluster");
      String ingest = submit(sparkHome, jar, master, "ingest", List.of("ingest", "damir", raw.toString(), "--lake", clusterLake));
      assertThat(ingest).as("the two files read in one job, one task per file").containsPattern("2 files\\s+reading");
      String study = submit(sparkHome, jar, master, "study", List.of("study", "expenditure", "--lake", clusterLake, "--out", clusterOut.toString(), "--by", "region", "--by", "age+sex"));
      assertThat(study).contains("Study expenditure written to");
      assertThat(Files.readString(dir.resolve("worker.log"))).contains("Asked to launch executor");
      // ./workbench --master: the self-contained jar drives the cluster itself, shipping the thin jar to the executors
      String cliLake = dir.resolve("lake-cli").toString();
      runCli(jar.resolveSibling("workbench.jar"), List.of("ingest", "damir", raw.toString(), "--lake", cliLake, "--master", master));

      // the same on the embedded local[*] session
      SparkSession spark = TestSpark.session();
      Lake localLake = new Lake(dir.resolve("lake-local").toString());
      IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(raw.toString()), localLake));
      Path localOut = dir.resolve("out-local");
      ExpenditureStudy.run(spark, ExpenditureStudy.options(localLake, localOut).withBreakdowns(List.of(List.of(DamirAxis.REGION), List.of(DamirAxis.AGE, DamirAxis.SEX))));

      Column[] columns = Schemas.openDamir().fields().stream().map(FieldSpec::name).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
      Dataset<Row> onCluster = new Lake(clusterLake).read(spark, Lake.DAMIR).select(columns);
      Dataset<Row> local = localLake.read(spark, Lake.DAMIR).select(columns);
      assertThat(onCluster.count()).isEqualTo(40_000).isEqualTo(local.count());
      assertThat(onCluster.exceptAll(local).isEmpty()).isTrue();
      assertThat(local.exceptAll(onCluster).isEmpty()).isTrue();
      Dataset<Row> fromCli = new Lake(cliLake).read(spark, Lake.DAMIR).select(columns);
      assertThat(fromCli.count()).isEqualTo(40_000);
      assertThat(fromCli.exceptAll(local).isEmpty()).isTrue();
      List<Path> tables;
      try (Stream<Path> files = Files.walk(localOut.resolve("tables"))) {
        tables = files.filter(p -> p.getFileName().toString().equals("table.csv")).toList();
      }
      assertThat(tables).hasSize(3);
      for (Path table : tables) {
        Path twin = clusterOut.resolve(localOut.relativize(table));
        assertThat(Files.readString(twin)).as(twin.toString()).isEqualTo(Files.readString(table));
      }
    } finally {
      for (Process process : reversed(started)) {
        stop(process);
      }
    }
  }

  /** {@code SPARK_HOME/jars}: links to the Spark, Scala and Hadoop jars of the test classpath (what a cluster provides). */
  private Path standInSparkHome() throws IOException {
    Path jars = Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
    for (String entry : SparkSubmitThinJarIT.sparkOnlyClasspath().split(File.pathSeparator)) {
      Path source = Path.of(entry);
      Path link = jars.resolve(source.getFileName());
      if (source.toString().endsWith(".jar") && !Files.exists(link)) {
        Files.createSymbolicLink(link, source.toAbsolutePath());
      }
    }
    return jars.getParent();
  }

  private static List<String> javaWith(Path sparkHome, String memory) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags").trim().split("\\s+")));
    command.addAll(List.of(memory, "-cp", sparkHome.resolve("jars") + File.separator + "*"));
    return command;
  }

  private void start(String name, Path sparkHome, List<String> arguments) throws IOException {
    List<String> command = javaWith(sparkHome, "-Xmx512m");
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1"));
    started.add(builder.start());
  }

  /** Runs one workbench command through SparkSubmit, client mode, on the cluster; returns its output. */
  private String submit(Path sparkHome, Path jar, String master, String name, List<String> arguments) throws Exception {
    List<String> command = javaWith(sparkHome, "-Xmx1g");
    command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client", "--executor-memory", "1g", "--total-executor-cores", "2"));
    // Spark 4 adds its --add-opens flags to the executors' command line itself
    command.addAll(List.of("--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false"));
    command.addAll(List.of("--class", "fr.sante.workbench.cli.Workbench", jar.toString()));
    command.addAll(arguments);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1"));
    Process process = builder.start();
    started.add(process);
    boolean finished = process.waitFor(300, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("spark-submit " + name + " finished; output:\n" + output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** Runs {@code java -jar workbench.jar ARGS} as ./workbench does. */
  private void runCli(Path fatJar, List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags").trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-jar", fatJar.toString()));
    command.addAll(arguments);
    Path log = dir.resolve("cli.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    started.add(process);
    boolean finished = process.waitFor(300, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("workbench --master finished; output:\n" + output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  /** Stops one process this test started and the processes it started (the worker's executors), by PID. */
  private static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      child.destroyForcibly();
    }
  }

  private static List<Process> reversed(List<Process> processes) {
    List<Process> out = new ArrayList<>(processes);
    java.util.Collections.reverse(out);
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void waitForPort(int port, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("The Spark master did not listen on 127.0.0.1:" + port + " within " + seconds + " s");
  }

  private static void waitForLog(Path log, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("Expected '" + text + "' in " + log + " within " + seconds + " s, found:\n" + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }
}
