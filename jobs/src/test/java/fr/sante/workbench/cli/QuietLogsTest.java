package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Spark's, Hadoop's and Delta's logs stay off the terminal (errors only: the workbench's log4j2.properties) unless --verbose. */
class QuietLogsTest {
  /** Loggers of the model study's warnings (MLlib's "regParam is zero" at every GLM iteration, netlib's missing native BLAS) and Hadoop's. */
  private static final List<String> NOISE =
      List.of("org.apache.spark.ml.util.Instrumentation", "dev.ludovic.netlib.blas.InstanceBuilder", "org.apache.hadoop.util.NativeCodeLoader");

  @TempDir Path dir;

  /**
   * The configuration file's levels, whatever ran before in this test JVM (a notebook session sets Spark's root level to
   * WARN, a --verbose run to INFO): the defaults are what a new CLI process starts with.
   */
  @BeforeEach
  @AfterEach
  void restoreQuietLogs() {
    System.clearProperty(SparkOptions.QUIET_LEVEL);
    System.clearProperty(SparkOptions.LOG_LEVEL);
    ((LoggerContext) LogManager.getContext(false)).reconfigure();
  }

  @Test
  void knownNoiseIsQuietByDefault() {
    for (String logger : NOISE) {
      assertThat(LogManager.getLogger(logger).isWarnEnabled()).as(logger).isFalse();
      assertThat(LogManager.getLogger(logger).isErrorEnabled()).as(logger).isTrue();
    }
    for (String logger : List.of("org.apache.spark.sql.SparkSession", "org.apache.spark.SparkContext", "org.apache.hadoop.fs.FileSystem", "org.apache.spark.sql.delta.DeltaLog")) {
      assertThat(LogManager.getLogger(logger).isWarnEnabled()).as(logger + " warnings by default").isFalse();
      assertThat(LogManager.getLogger(logger).isErrorEnabled()).as(logger + " errors by default").isTrue();
    }
  }

  @Test
  void verboseShowsTheNoise() throws Exception {
    TestSpark.session();
    Path lake = Files.createDirectories(dir.resolve("lake"));
    CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("tables", "--verbose", "--lake", lake.toString())).isZero();
    for (String logger : NOISE) {
      assertThat(LogManager.getLogger(logger).isWarnEnabled()).as(logger).isTrue();
    }
    assertThat(LogManager.getLogger("org.apache.spark.SparkContext").isInfoEnabled()).as("Spark's INFO logs with --verbose").isTrue();
  }
}
