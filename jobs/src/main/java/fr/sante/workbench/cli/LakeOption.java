package fr.sante.workbench.cli;

import fr.sante.workbench.lake.Lake;
import picocli.CommandLine.Option;

/** The {@code --lake} option. */
public final class LakeOption {
  @Option(
      names = "--lake",
      required = true,
      paramLabel = "DIR",
      description = "Lake folder or Hadoop URI (file://, hdfs://, s3a://) holding the Delta tables.")
  String lake;

  Lake lake() {
    return new Lake(lake);
  }
}
