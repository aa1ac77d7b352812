package fr.sante.workbench.cli;

import fr.sante.workbench.spark.Sessions;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options shared by every command that starts Spark. */
public final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master, e.g. spark://host:7077 (default: local[*], or the master given by spark-submit).")
  String master;

  /** Whether the session is the embedded {@code local[*]} one (neither {@code --master} nor spark-submit). */
  boolean embedded() {
    return Sessions.embedded(Optional.ofNullable(master));
  }

  /** A session for the command, embedded unless a master was given. */
  SparkSession session(String appName) {
    return Sessions.forCli(appName, Optional.ofNullable(master));
  }
}
