package fr.sante.workbench.cli;

import fr.sante.workbench.spark.Sessions;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options shared by every command that starts Spark. */
public final class SparkOptions {
  /** The system property giving the level of the known noise in the workbench's log4j2.properties. */
  static final String QUIET_LEVEL = "workbench.quiet.level";
  /** The system property giving the level of every other logger (Spark, Hadoop, Delta...) in log4j2.properties. */
  static final String LOG_LEVEL = Sessions.LOG_LEVEL_PROPERTY;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master, e.g. spark://host:7077 (default: local[*], or the master given by spark-submit).")
  String master;

  @Option(
      names = "--verbose",
      description =
          "Show the logs of Spark, Hadoop, Delta and MLlib (INFO and WARN) that the workbench keeps quiet (default: off: errors only;"
              + " the workbench prints its own progress lines).")
  boolean verbose;

  /** Whether the session is the embedded {@code local[*]} one (neither {@code --master} nor spark-submit). */
  boolean embedded() {
    return Sessions.embedded(Optional.ofNullable(master));
  }

  /** A session for the command, embedded unless a master was given. */
  SparkSession session(String appName) {
    if (verbose) {
      showLogs();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      return Sessions.forCli(appName, Optional.ofNullable(master));
    }
    String where = master == null ? (embedded() ? "embedded, local[*]" : "spark-submit's master") : master;
    return TerminalProgress.toStderr().during("starting Spark (" + where + ")", () -> Sessions.forCli(appName, Optional.ofNullable(master)));
  }

  /**
   * Sets the level of Spark's, Hadoop's and Delta's loggers (log4j2.properties: {@code ${level}}) to INFO and the known
   * noise ({@code ${quiet}}) to warnings, and applies it.
   */
  private static void showLogs() {
    System.setProperty(LOG_LEVEL, "info");
    System.setProperty(QUIET_LEVEL, "warn");
    if (org.apache.logging.log4j.LogManager.getContext(false) instanceof org.apache.logging.log4j.core.LoggerContext context) {
      context.reconfigure();
    }
  }
}
