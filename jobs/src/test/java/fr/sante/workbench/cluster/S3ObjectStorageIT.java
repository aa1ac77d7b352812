package fr.sante.workbench.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.AuditKey;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.readme.Readme;
import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import fr.sante.workbench.testing.CliRunner;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Column;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake on object storage: S3Proxy (filesystem backend, signed requests) on 127.0.0.1 in its own JVM, and the
 * workbench's {@code main} in child JVMs (the self-contained jar plus the S3A connector, which the default jars do
 * not carry) given exactly the settings README.md documents. Two months go up through Hadoop's {@code FsShell},
 * are ingested twice, studied and audited on {@code s3a://}; the tables must equal a local lake's, and a wrong
 * endpoint or missing credentials must give one line and exit 1. Only the processes started here are stopped.
 */
class S3ObjectStorageIT {
  private static final String BUCKET = "workbench-lake";
  private static final String ACCESS_KEY = "workbench-test";
  private static final String SECRET_KEY = "workbench-test-secret";
  /** The README's placeholders, replaced by this server's values. */
  private static final Map<String, String> PLACEHOLDERS = Map.of("ACCESS_KEY", ACCESS_KEY, "SECRET_KEY", SECRET_KEY);
  private static final int[] MONTHS = {202401, 202402};
  private static final int[] LINES = {3_000, 2_500};
  private static final int[] BAD_LINES = {2, 1};

  @TempDir static Path dir;
  private static Process server;
  private static int port;
  private static Path store;
  /** The settings given to this JVM's session, removed at the end. */
  private static Map<String, String> applied = Map.of();

  @BeforeAll
  static void startS3Proxy() throws IOException {
    store = Files.createDirectories(dir.resolve("s3"));
    Files.createDirectories(store.resolve(BUCKET)); // a bucket of the filesystem backend is a folder
    port = freePort();
    Path properties = dir.resolve("s3proxy.conf");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + store,
            ""));
    List<String> command = List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", System.getProperty("workbench.s3proxy.jar"), "--properties", properties.toString());
    server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (!applied.isEmpty()) {
      FileSystem.get(java.net.URI.create("s3a://" + BUCKET), TestSpark.session().sparkContext().hadoopConfiguration()).close();
      applied.keySet().forEach(name -> {
        TestSpark.session().sparkContext().hadoopConfiguration().unset(name);
        System.clearProperty("spark.hadoop." + name);
      });
    }
    if (server != null) {
      server.destroy();
      if (!server.waitFor(15, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aLakeOnS3EqualsALocalLake() throws Exception {
    Path raw = Files.createDirectories(dir.resolve("raw"));
    for (int i = 0; i < MONTHS.length; i++) {
      List<String> lines = new ArrayList<>(DamirFixtures.randomLines(MONTHS[i], LINES[i], 30 + i));
      for (int b = 0; b < BAD_LINES[i]; b++) {
        lines.add(100 + 200 * b, "not;a;damir;line;" + b);
      }
      DamirFixtures.write(raw.resolve("A" + MONTHS[i] + ".csv.gz"), DamirFixtures.header(Variant.REG), lines);
    }
    Path home = dir.resolve("home");
    AuditKey.create(home.resolve(".workbench").resolve("audit.key")); // where exports look for it (user.home below)

    // the local reference, while S3Proxy starts
    SparkSession spark = TestSpark.session();
    Lake localLake = new Lake(dir.resolve("lake-local").toString());
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(raw.toString()), localLake));
    Path localOut = dir.resolve("out-local");
    withHome(home, () -> ExpenditureStudy.run(spark, ExpenditureStudy.options(localLake, localOut).withBreakdowns(List.of(List.of(DamirAxis.REGION)))));

    waitForServer();
    // the README's settings, given to this JVM's session as a user's -Dspark.hadoop.* give them to a new one
    applied = readmeSettings("http://127.0.0.1:" + port);
    applied.forEach((name, value) -> {
      spark.sparkContext().hadoopConfiguration().set(name, value);
      System.setProperty("spark.hadoop." + name, value);
    });
    String bucket = "s3a://" + BUCKET;
    String lake = bucket + "/lake";
    upload(spark, List.of(raw.resolve("A202401.csv.gz"), raw.resolve("A202402.csv.gz")), bucket + "/raw/");
    for (int month : MONTHS) {
      Path object = store.resolve(BUCKET).resolve("raw").resolve("A" + month + ".csv.gz");
      assertThat(Files.mismatch(object, raw.resolve("A" + month + ".csv.gz"))).as("object raw/A%s.csv.gz in the server's store", month).isEqualTo(-1L);
    }

    CliRunner cli = new CliRunner();
    assertThat(cli.run("ingest", "damir", bucket + "/raw/", "--lake", lake)).as(cli.err.toString()).isZero();
    for (int i = 0; i < MONTHS.length; i++) {
      assertThat(cli.out.toString())
          .containsPattern("A" + MONTHS[i] + "\\.csv\\.gz\\s+" + MONTHS[i] + "\\s+" + String.format(Locale.ROOT, "%,d\\s+%,d\\s+%d", LINES[i] + BAD_LINES[i], LINES[i], BAD_LINES[i]));
    }
    Lake onS3 = new Lake(lake);
    Map<String, Long> versionsAfterFirst = versions(spark, onS3);
    List<Row> monthsAfterFirst = monthTotals(onS3.read(spark, Lake.DAMIR));

    CliRunner again = new CliRunner();
    assertThat(again.run("ingest", "damir", bucket + "/raw/", "--lake", lake)).as(again.err.toString()).isZero();
    Map<String, Long> versionsAfterSecond = versions(spark, onS3);
    assertThat(versionsAfterSecond.get(Lake.DAMIR)).as("one damir commit per month replaced").isEqualTo(versionsAfterFirst.get(Lake.DAMIR) + MONTHS.length);
    assertThat(versionsAfterSecond.get(Lake.INGEST_LOG)).as("one ingest_log commit per month").isEqualTo(versionsAfterFirst.get(Lake.INGEST_LOG) + MONTHS.length);
    assertThat(monthTotals(onS3.read(spark, Lake.DAMIR))).as("the second ingest adds no row").isEqualTo(monthsAfterFirst);
    Dataset<Row> log = onS3.read(spark, Lake.INGEST_LOG);
    assertThat(log.count()).isEqualTo(2L * MONTHS.length);
    long lastLogged = log.agg(org.apache.spark.sql.functions.max("damir_version")).head().getLong(0);
    assertThat(lastLogged).as("ingest_log records the damir version of the last commit").isEqualTo(versionsAfterSecond.get(Lake.DAMIR));
    assertThat(Files.exists(store.resolve(BUCKET).resolve("lake").resolve("damir").resolve("_delta_log"))).as("the table is in the server's store").isTrue();

    // the same tables as the local lake, and as recounted from the files
    Dataset<Row> local = localLake.read(spark, Lake.DAMIR).select(damirColumns());
    Dataset<Row> remote = onS3.read(spark, Lake.DAMIR).select(damirColumns());
    assertThat(remote.exceptAll(local).isEmpty()).isTrue();
    assertThat(local.exceptAll(remote).isEmpty()).isTrue();
    List<Row> counted = monthTotals(remote);
    assertThat(counted).isEqualTo(monthTotals(local));
    for (int i = 0; i < MONTHS.length; i++) {
      assertThat(counted.get(i).getInt(0)).isEqualTo(MONTHS[i]);
      assertThat(counted.get(i).getLong(1) + BAD_LINES[i]).as("rows + rejects = data lines of the gzip file").isEqualTo(dataLines(raw.resolve("A" + MONTHS[i] + ".csv.gz")));
    }
    String[] rejectColumns = {"FLX_ANN_MOI", "source_file", "line_number", "raw_line", "reason"};
    Dataset<Row> rejects = onS3.read(spark, Lake.DAMIR_REJECTS).selectExpr(rejectColumns);
    assertThat(rejects.count()).isEqualTo(Arrays.stream(BAD_LINES).sum());
    assertThat(rejects.exceptAll(localLake.read(spark, Lake.DAMIR_REJECTS).selectExpr(rejectColumns)).isEmpty()).isTrue();
    String[] logColumns = {"source_file", "size_bytes", "sha256", "FLX_ANN_MOI", "rows_read", "rows_accepted", "rows_rejected", "unknown_care_months"};
    Dataset<Row> localLog = localLake.read(spark, Lake.INGEST_LOG).selectExpr(logColumns);
    assertThat(log.selectExpr(logColumns).distinct().collectAsList()).as("ingest_log rows of both runs: the local run's").containsExactlyInAnyOrderElementsOf(localLog.collectAsList());
    assertThat(log.selectExpr("source_path").as(Encoders.STRING()).collectAsList()).allMatch(path -> path.startsWith(bucket + "/raw/A2024"));

    // a study reading s3a://, published on local disk, then the audit chain
    Path s3Out = dir.resolve("out-s3");
    CliRunner study = new CliRunner();
    withHome(home, () -> assertThat(study.run("study", "expenditure", "--lake", lake, "--out", s3Out.toString(), "--by", "region")).as(study.err.toString()).isZero());
    List<Path> tables;
    try (Stream<Path> files = Files.walk(localOut.resolve("tables"))) {
      tables = files.filter(p -> p.getFileName().toString().equals("table.csv")).sorted().toList();
    }
    assertThat(tables).isNotEmpty();
    for (Path table : tables) {
      Path twin = s3Out.resolve(localOut.relativize(table));
      assertThat(Files.readString(twin)).as(twin.toString()).isEqualTo(Files.readString(table));
    }
    CliRunner verify = new CliRunner();
    withHome(home, () -> assertThat(verify.run("audit", "verify", "--lake", lake, "--exports", s3Out.toString())).as(verify.err.toString()).isZero());
    long entries = onS3.read(spark, Lake.AUDIT_LOG).count();
    assertThat(entries).as("one audit entry per published table").isEqualTo(tables.size());
    assertThat(verify.out.toString()).contains(entries + " entries (" + entries + " signed)", tables.size() + " published folder(s) found in the log");
  }

  @Test
  void aWrongEndpointGivesOneLine() throws Exception {
    int closed = freePort();
    Map<String, String> settings = readmeSettings("http://127.0.0.1:" + closed);
    long start = System.nanoTime();
    Result result = workbench(settings, Map.of(), "ingest", "damir", "s3a://" + BUCKET + "/raw/", "--lake", "s3a://" + BUCKET + "/lake");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertThat(result.exit()).as(result.output()).isEqualTo(1);
    List<String> errors = errorLines(result);
    assertThat(errors).as(result.output()).hasSize(1);
    assertThat(errors.get(0))
        .startsWith("Error: Cannot reach the S3 store: expected an S3-compatible server at fs.s3a.endpoint = http://127.0.0.1:" + closed + " but found no server answering (")
        .endsWith("); check spark.hadoop.fs.s3a.endpoint (scheme, host, port) and that the server is up (see README.md, \"Lakes on S3 and S3-compatible stores\")");
    assertThat(result.output()).doesNotContain("\tat ");
    assertThat(seconds).as("the README's retry settings make it fail fast").isLessThan(90);
  }

  @Test
  void missingCredentialsGiveOneLine() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>(readmeSettings("http://127.0.0.1:" + port));
    settings.remove("fs.s3a.access.key");
    settings.remove("fs.s3a.secret.key");
    Result result = workbench(settings, Map.of(), "tables", "--lake", "s3a://" + BUCKET + "/lake");
    assertThat(result.exit()).as(result.output()).isEqualTo(1);
    List<String> errors = errorLines(result);
    assertThat(errors).as(result.output()).hasSize(1);
    assertThat(errors.get(0))
        .startsWith("Error: Cannot reach the S3 store at http://127.0.0.1:" + port + ": expected credentials from fs.s3a.aws.credentials.provider = org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider but it found none (")
        .endsWith("); set spark.hadoop.fs.s3a.access.key and spark.hadoop.fs.s3a.secret.key, or a provider that finds yours (see README.md, \"Lakes on S3 and S3-compatible stores\")");
    assertThat(result.output()).doesNotContain("\tat ");
  }

  /**
   * The Hadoop settings of README.md's block marked {@code s3-settings}, {@code spark.hadoop.} prefix removed, with
   * the endpoint and keys of this server: the test uses what the README tells a user to write, no more.
   */
  private static Map<String, String> readmeSettings(String endpoint) {
    String text = Readme.text();
    int marker = text.indexOf("<!-- s3-settings:");
    assertThat(marker).as("README.md has the block of S3 settings").isPositive();
    Readme.Block block = Readme.blocks(text).stream().filter(b -> b.language().equals("properties") && text.lastIndexOf("<!-- s3-settings:", offsetOfLine(text, b.line())) == marker).findFirst().orElseThrow();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : block.text().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String name = line.substring(0, line.indexOf('='));
      String value = line.substring(line.indexOf('=') + 1);
      assertThat(name).as("README.md: Spark settings that reach Hadoop").startsWith("spark.hadoop.");
      settings.put(name.substring("spark.hadoop.".length()), name.endsWith(".endpoint") ? endpoint : PLACEHOLDERS.getOrDefault(value, value));
    }
    assertThat(settings)
        .containsKeys("fs.s3a.endpoint", "fs.s3a.path.style.access", "fs.s3a.aws.credentials.provider", "fs.s3a.access.key", "fs.s3a.secret.key")
        .containsEntry("fs.s3a.path.style.access", "true");
    return settings;
  }

  private static int offsetOfLine(String text, int line) {
    int offset = 0;
    for (int i = 1; i < line; i++) {
      offset = text.indexOf('\n', offset) + 1;
    }
    return offset;
  }

  private record Result(int exit, String output, String stderr) {}

  /** Copies local files to object storage through the S3A connector, one object each (what {@code hadoop fs -put} does). */
  private static void upload(SparkSession spark, List<Path> files, String folder) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(folder);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = fs.create(new org.apache.hadoop.fs.Path(target, file.getFileName().toString()), false)) {
        in.transferTo(out);
      }
    }
  }

  /** {@code workbench ARGS} through its {@code main}, in a child JVM with the S3A connector, settings as {@code -Dspark.hadoop.*}. */
  private static Result workbench(Map<String, String> settings, Map<String, String> environment, String... args) throws Exception {
    List<String> properties = new ArrayList<>();
    settings.forEach((name, value) -> properties.add("-Dspark.hadoop." + name + "=" + value));
    return start(properties, environment, "fr.sante.workbench.cli.Workbench", args);
  }

  private static Result start(List<String> properties, Map<String, String> environment, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags").trim().split("\\s+")));
    command.addAll(properties);
    String classpath = System.getProperty("workbench.jar") + File.pathSeparator + System.getProperty("workbench.s3a.jars");
    command.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", classpath, mainClass));
    command.addAll(List.of(args));
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + System.nanoTime();
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      boolean finished = process.waitFor(240, TimeUnit.SECONDS);
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      assertThat(finished).as(String.join(" ", args) + " finished; output:\n" + stdout + stderr).isTrue();
      return new Result(process.exitValue(), stdout + stderr, stderr);
    } finally {
      process.destroyForcibly();
    }
  }

  /** The lines of standard error that are the workbench's own message (not log lines of Spark or Hadoop). */
  private static List<String> errorLines(Result result) {
    return result.stderr().lines().filter(line -> line.startsWith("Error")).toList();
  }

  private static Map<String, Long> versions(SparkSession spark, Lake lake) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String table : List.of(Lake.DAMIR, Lake.DAMIR_REJECTS, Lake.INGEST_LOG)) {
      versions.put(table, io.delta.tables.DeltaTable.forPath(spark, lake.tablePath(table)).history(1).select("version").head().getLong(0));
    }
    return versions;
  }

  /** Rows, lines and reimbursed amounts per month, in month order. */
  private static List<Row> monthTotals(Dataset<Row> damir) {
    return damir.groupBy("FLX_ANN_MOI").agg(count("*"), sum("FLT_REM_MNT"), sum("PRS_PAI_MNT")).orderBy("FLX_ANN_MOI").collectAsList();
  }

  private static Column[] damirColumns() {
    return Schemas.openDamir().fields().stream().map(FieldSpec::name).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** The lines after the header of a gzip file, counted with plain Java. */
  private static long dataLines(Path gzip) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzip)), StandardCharsets.ISO_8859_1))) {
      return in.lines().count() - 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code action} with {@code user.home} elsewhere, so the in-JVM export never finds a real audit key. */
  private static void withHome(Path home, Runnable action) {
    String previous = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      action.run();
    } finally {
      System.setProperty("user.home", previous);
    }
  }

  private static void waitForServer() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(server.isAlive()).as("S3Proxy is running; its log:\n" + Files.readString(dir.resolve("s3proxy.log"))).isTrue();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("S3Proxy did not listen on 127.0.0.1:" + port + " within 120 s; its log:\n" + Files.readString(dir.resolve("s3proxy.log")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
