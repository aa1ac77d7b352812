package fr.sante.workbench.notebook;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.spark.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where a notebook computes and what it reads, from two environment variables read by the first cell:
 *
 * <ul>
 *   <li>{@code WORKBENCH_MASTER}: {@code spark://HOST:PORT}, {@code yarn}, {@code k8s://URL} or {@code local[*]}
 *       (unset: the embedded {@code local[*]}). On a cluster the session ships the workbench's classes to the executors
 *       ({@code spark.jars}: {@code workbench-spark-submit.jar} beside the jar the kernel runs from, else that jar)
 *       and advertises {@code WORKBENCH_DRIVER_HOST} (else {@code SPARK_LOCAL_IP}, else 127.0.0.1) as the driver's
 *       address, which the executors must be able to reach.
 *   <li>{@code WORKBENCH_LAKE}: a lake's folder or any Hadoop URI ({@code hdfs://…}, {@code s3a://…}); unset, the
 *       synthetic {@link SampleLake} under {@code target/sample}, built on first use.
 * </ul>
 *
 * Any other Spark setting can be given to the kernel's JVM as a {@code -Dspark.…} system property.
 */
public final class Notebook {
  public static final String LAKE_VARIABLE = "WORKBENCH_LAKE";
  public static final String MASTER_VARIABLE = "WORKBENCH_MASTER";
  public static final String DRIVER_HOST_VARIABLE = "WORKBENCH_DRIVER_HOST";
  /** The application name every notebook session registers with its master. */
  public static final String APP_NAME = "workbench notebook";
  /** Where the synthetic sample lake is built, relative to the kernel's working directory (the notebook's folder). */
  public static final Path SAMPLE_DIR = Path.of("target/sample");
  /** {@code -Dworkbench.notebook.warmUp=true} turns {@link #lake(SparkSession)}'s background warm-up on (off by default: it slows cells run back to back). */
  public static final String WARM_UP_PROPERTY = "workbench.notebook.warmUp";

  private Notebook() {}

  /** The session of the master named by {@code WORKBENCH_MASTER} (embedded {@code local[*]} when unset). */
  public static SparkSession session() {
    return session(System.getenv());
  }

  static SparkSession session(Map<String, String> env) {
    SparkSession.Builder builder = SparkSession.builder().appName(APP_NAME);
    settings(env, kernelJar(env)).forEach(builder::config);
    SparkSession spark = Sessions.withDelta(builder).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /**
   * The lake named by {@code WORKBENCH_LAKE}, or the synthetic sample lake (built on first use) when it is unset; starts
   * {@link #warmUp} on it in the background when the JVM runs with {@code -D}{@value #WARM_UP_PROPERTY}{@code =true}.
   */
  public static Lake lake(SparkSession spark) {
    Lake lake = lake(spark, System.getenv(), SAMPLE_DIR);
    if (Boolean.parseBoolean(System.getProperty(WARM_UP_PROPERTY, "false"))) {
      warmUp(spark, lake);
    }
    return lake;
  }

  /**
   * Warms the session up in a background (daemon) thread while the reader reads the notebook's first cells, so that the
   * first query does not pay alone for Spark's and Delta's first use in this JVM (13 s of a 20 s start measured on the
   * sample lake): plans a scan of {@code damir} (Delta's log replay and its files' list and statistics, which Delta
   * caches for the queries that follow), runs an aggregate with a shuffle and a sort on 10,000 generated rows (code
   * generation, shuffle, adaptive execution), then plans a scan of every other table. Reads no row of the lake,
   * registers no view, and its cost grows with the tables' logs, not their rows. A failure (a table being rewritten, the
   * session stopped) ends the warm-up early and is not reported: the notebook's own query will meet and report it.
   *
   * @return the tables whose scan was planned, when done
   */
  public static CompletableFuture<List<String>> warmUp(SparkSession spark, Lake lake) {
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      List<String> warmed = new ArrayList<>();
      try {
        SparkSession.setActiveSession(spark);
        spark.sparkContext().setJobDescription("workbench notebook: warming up for the first query");
        List<String> tables = new ArrayList<>(lake.existingTables(spark));
        if (tables.remove(Lake.DAMIR)) {
          lake.read(spark, Lake.DAMIR).queryExecution().executedPlan();
          warmed.add(Lake.DAMIR);
        }
        spark.range(0, 10_000, 1, 2).selectExpr("id % 7 AS k", "CAST(id AS DOUBLE) AS v").where("v >= 0").groupBy("k")
            .agg(functions.count("*"), functions.sum("v")).orderBy("k").collectAsList();
        for (String table : tables) {
          lake.read(spark, table).queryExecution().executedPlan();
          warmed.add(table);
        }
      } catch (Exception | LinkageError e) {
        // ends the warm-up early: the notebook's own query meets the same failure and reports it
      } finally {
        done.complete(warmed);
      }
    }, "workbench-notebook-warm-up");
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  static Lake lake(SparkSession spark, Map<String, String> env, Path sampleDir) {
    Optional<String> given = value(env, LAKE_VARIABLE);
    if (given.isEmpty()) {
      return SampleLake.open(spark, sampleDir);
    }
    Lake lake;
    try {
      lake = new Lake(given.get());
    } catch (IllegalArgumentException e) {
      throw new WorkbenchException(LAKE_VARIABLE + "='" + given.get() + "' is not a lake: expected a folder path or a Hadoop URI (" + e.getMessage() + ")");
    }
    checkIsALake(spark, lake, given.get());
    return lake;
  }

  /**
   * Three lines for the first output of a notebook: the lake (and whether it is the sample), the master and
   * application, and the Delta version of every table of the lake.
   */
  public static String describe(SparkSession spark, Lake lake) {
    return describe(spark, lake, System.getenv());
  }

  static String describe(SparkSession spark, Lake lake, Map<String, String> env) {
    String lakeSource = value(env, LAKE_VARIABLE).isPresent() ? "from " + LAKE_VARIABLE : "the synthetic sample lake: " + LAKE_VARIABLE + " is unset";
    String masterSource = value(env, MASTER_VARIABLE).isPresent() ? "from " + MASTER_VARIABLE : MASTER_VARIABLE + " is unset";
    List<String> versions = new ArrayList<>();
    for (Map.Entry<String, Long> table : tableVersions(spark, lake).entrySet()) {
      versions.add(table.getKey() + " v" + table.getValue());
    }
    String shown = value(env, LAKE_VARIABLE).isPresent() ? lake.root() : underWorkingDir(lake.root(), Path.of("").toAbsolutePath());
    return "lake    " + shown + " (" + lakeSource + ")\n"
        + "master  " + spark.sparkContext().master() + " (" + masterSource + "), application " + spark.sparkContext().applicationId()
        + ", Spark " + spark.version() + "\n"
        + "tables  " + (versions.isEmpty() ? "none" : String.join(", ", versions));
  }

  /**
   * A local folder under {@code workingDir} relative to it ({@code target/sample/lake} for the sample lake, seen from the
   * notebooks' folder), so that an executed notebook does not carry this machine's paths; any other root unchanged.
   */
  static String underWorkingDir(String root, Path workingDir) {
    if (root.contains("://") || !Path.of(root).isAbsolute()) {
      return root;
    }
    Path path = Path.of(root).normalize();
    return path.startsWith(workingDir) && !path.equals(workingDir) ? workingDir.relativize(path).toString() : root;
  }

  /** Table → its latest Delta version, for every table of the lake. */
  public static Map<String, Long> tableVersions(SparkSession spark, Lake lake) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String table : lake.existingTables(spark)) {
      versions.put(table, lake.latestVersion(spark, table));
    }
    return versions;
  }

  /**
   * The session's settings for an environment: master, driver address, UI, and on a cluster the jar the executors
   * need ({@code jar}: the kernel's, when it runs from one).
   */
  static Map<String, String> settings(Map<String, String> env, Optional<String> jar) {
    String master = master(env);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spark.master", master);
    if (master.startsWith("local")) {
      settings.put("spark.driver.host", Sessions.LOOPBACK);
      settings.put("spark.driver.bindAddress", Sessions.LOOPBACK);
      settings.put("spark.ui.enabled", "false");
      settings.put("spark.sql.shuffle.partitions", String.valueOf(2 * Runtime.getRuntime().availableProcessors()));
      return settings;
    }
    Optional<String> host = value(env, DRIVER_HOST_VARIABLE);
    settings.put("spark.driver.host", host.or(() -> value(env, "SPARK_LOCAL_IP")).orElse(Sessions.LOOPBACK));
    if (host.isPresent()) {
      // the kernel's SPARK_LOCAL_IP (loopback by default) must not keep the driver off the network
      settings.put("spark.driver.bindAddress", "0.0.0.0");
    }
    String shipped = jar.orElseThrow(() -> new WorkbenchException(MASTER_VARIABLE + "='" + master
        + "' needs the workbench jar to ship to the executors, but the kernel does not run from a jar (expected jobs/target/workbench.jar on its classpath: run notebooks/setup)"));
    settings.put("spark.jars", shipped);
    return settings;
  }

  /** {@code WORKBENCH_MASTER}, checked; {@code local[*]} when unset. */
  static String master(Map<String, String> env) {
    Optional<String> given = value(env, MASTER_VARIABLE);
    if (given.isEmpty()) {
      return "local[*]";
    }
    String master = given.get();
    if (master.matches("local(\\[(\\*|\\d+)(,\\d+)?])?") || master.matches("spark://[^/\\s]+:\\d+(,[^/\\s]+:\\d+)*") || master.equals("yarn")
        || master.matches("k8s://\\S+")) {
      return master;
    }
    throw new WorkbenchException(MASTER_VARIABLE + "='" + master + "' is not a Spark master: expected spark://HOST:PORT, yarn, k8s://URL or local[*]");
  }

  /**
   * The jar executors need: {@code workbench-spark-submit.jar} (Spark comes from the cluster) beside the jar the
   * workbench classes were loaded from, else that jar; the kernel's {@code RJK_CLASSPATH} when the classes do not
   * say where they came from. Empty when running from classes (tests, IDE).
   */
  static Optional<String> kernelJar(Map<String, String> env) {
    Optional<Path> self = Optional.empty();
    try {
      Path location = Path.of(Notebook.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (location.toString().endsWith(".jar")) {
        self = Optional.of(location);
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // no code source: fall back to the kernel's classpath below
    }
    if (self.isEmpty()) {
      self = value(env, "RJK_CLASSPATH").stream().flatMap(cp -> Arrays.stream(cp.split(java.io.File.pathSeparator)))
          .filter(entry -> entry.endsWith("workbench.jar") && java.nio.file.Files.isRegularFile(Path.of(entry))).map(Path::of).findFirst();
    }
    return self.map(jar -> {
      Path thin = jar.resolveSibling("workbench-spark-submit.jar");
      return (java.nio.file.Files.isRegularFile(thin) ? thin : jar).toAbsolutePath().toString();
    });
  }

  /** Refuses a {@code WORKBENCH_LAKE} that is not a folder holding at least one of the workbench's Delta tables. */
  private static void checkIsALake(SparkSession spark, Lake lake, String given) {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(lake.root());
    String found;
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        found = "no such folder";
      } else if (!fs.getFileStatus(root).isDirectory()) {
        found = "a file";
      } else if (Lake.TABLES.stream().anyMatch(table -> lake.exists(spark, table))) {
        return;
      } else {
        List<String> names = Arrays.stream(fs.listStatus(root)).map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName).sorted().toList();
        found = names.isEmpty() ? "an empty folder" : "a folder holding " + String.join(", ", names.subList(0, Math.min(names.size(), 5))) + (names.size() > 5 ? ", …" : "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(LAKE_VARIABLE + "='" + given + "': cannot read " + lake.root(), e);
    }
    throw new WorkbenchException(LAKE_VARIABLE + "='" + given + "' is not a lake: expected a folder of Delta tables (" + String.join(", ", Lake.TABLES.subList(0, 3))
        + ", …), found " + found + " at " + lake.root());
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }
}
