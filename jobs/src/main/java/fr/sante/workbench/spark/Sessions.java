package fr.sante.workbench.spark;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the Spark sessions of the CLI: embedded {@code local[*]} by default, or a given master. */
public final class Sessions {
  /** Loopback address the embedded driver binds to (otherwise Spark picks the eth0 address). */
  public static final String LOOPBACK = "127.0.0.1";
  /** The system property giving the level of Spark's, Hadoop's and Delta's loggers (log4j2.properties: {@code ${level}}). */
  public static final String LOG_LEVEL_PROPERTY = "workbench.log.level";

  private Sessions() {}

  /**
   * A session for a CLI command. Under {@code spark-submit} the master and settings come from the submit
   * (nothing is overridden); otherwise {@code master} is used, {@code local[*]} when empty.
   */
  public static SparkSession forCli(String appName, Optional<String> master) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!underSubmit(master)) {
      String chosen = master.orElse("local[*]");
      builder.master(chosen);
      if (chosen.startsWith("local")) {
        builder
            .config("spark.driver.host", LOOPBACK)
            .config("spark.driver.bindAddress", LOOPBACK)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", String.valueOf(2 * Runtime.getRuntime().availableProcessors()));
      } else {
        builder.config("spark.driver.host", System.getenv().getOrDefault("SPARK_LOCAL_IP", LOOPBACK));
        // executors need our classes and Delta's: ship the thin jar (or the jar we run from)
        applicationJar().ifPresent(jar -> builder.config("spark.jars", jar));
      }
    }
    withDelta(builder);
    SparkSession spark = builder.getOrCreate();
    // the root level the workbench's log4j2.properties gives (errors only; INFO with --verbose), also under spark-submit,
    // whose own configuration would otherwise show Spark's INFO lines
    spark.sparkContext().setLogLevel(System.getProperty(LOG_LEVEL_PROPERTY, "error").toUpperCase(java.util.Locale.ROOT));
    return spark;
  }

  /** Whether {@link #forCli} builds an embedded {@code local[*]} session, whose parallelism is this machine's cores. */
  public static boolean embedded(Optional<String> master) {
    return !underSubmit(master) && master.orElse("local[*]").equals("local[*]");
  }

  private static boolean underSubmit(Optional<String> master) {
    return new SparkConf(true).contains("spark.master") && master.isEmpty();
  }

  /**
   * The jar executors need when the CLI drives a remote master itself ({@code ./workbench --master ...}):
   * {@code workbench-spark-submit.jar} beside the self-contained jar we run from (Spark comes from the
   * cluster), else the jar we run from; empty when running from classes (tests, IDE).
   */
  static Optional<String> applicationJar() {
    try {
      java.nio.file.Path self = java.nio.file.Path.of(Sessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!self.toString().endsWith(".jar")) {
        return Optional.empty();
      }
      java.nio.file.Path thin = self.resolveSibling("workbench-spark-submit.jar");
      return Optional.of((java.nio.file.Files.isRegularFile(thin) ? thin : self).toAbsolutePath().toString());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Adds the Delta Lake extension and catalog, the only settings every workbench session needs. */
  public static SparkSession.Builder withDelta(SparkSession.Builder builder) {
    return builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // Keep Delta's own log quiet and avoid a Hive metastore folder in the working directory.
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.databricks.delta.snapshotPartitions", "2");
  }
}
