package fr.sante.workbench.cli;

import fr.sante.workbench.spark.Sessions;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options shared by every command that starts Spark. */
public final class SparkOptions {
  /** The system property giving the level of the known noise in the workbench's log4j2.properties. */
  static final String QUIET_LEVEL = "workbench.quiet.level";

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master, e.g. spark://host:7077 (default: local[*], or the master given by spark-submit).")
  String master;

  @Option(
      names = "--verbose",
      description = "Show the warnings of Spark, Hadoop, Delta and MLlib that the workbench keeps quiet (default: off).")
  boolean verbose;

  /** Whether the session is the embedded {@code local[*]} one (neither {@code --master} nor spark-submit). */
  boolean embedded() {
    return Sessions.embedded(Optional.ofNullable(master));
  }

  /** A session for the command, embedded unless a master was given. */
  SparkSession session(String appName) {
    if (verbose) {
      showQuietWarnings();
    }
    return Sessions.forCli(appName, Optional.ofNullable(master));
  }

  /** Sets the level of the workbench's quiet loggers (log4j2.properties: {@code ${quiet}}) to warnings, and applies it. */
  private static void showQuietWarnings() {
    System.setProperty(QUIET_LEVEL, "warn");
    if (org.apache.logging.log4j.LogManager.getContext(false) instanceof org.apache.logging.log4j.core.LoggerContext context) {
      context.reconfigure();
    }
  }
}
