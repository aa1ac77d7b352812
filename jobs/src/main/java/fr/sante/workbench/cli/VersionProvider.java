package fr.sante.workbench.cli;

import fr.sante.workbench.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** Prints the workbench version recorded at build time, and the Spark and Java it runs on. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "workbench " + BuildInfo.version(),
      "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + System.getProperty("java.version")
    };
  }
}
