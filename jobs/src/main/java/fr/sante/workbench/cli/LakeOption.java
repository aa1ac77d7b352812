package fr.sante.workbench.cli;

import fr.sante.workbench.lake.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --lake} option. */
public final class LakeOption {
  @Option(
      names = "--lake",
      required = true,
      paramLabel = "DIR",
      description = "Lake folder or Hadoop URI (file://, hdfs://, s3a://) holding the Delta tables.")
  String lake;

  /** The command this option belongs to: a lake that is not there is a usage error of that command. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  Lake lake() {
    return new Lake(lake);
  }

  /**
   * The lake, for a command that only reads it: a folder that does not exist is a mistyped {@code --lake} (a usage
   * error, exit 2), told before Spark starts, never listed as an empty lake.
   */
  Lake existingLake() {
    Lake theLake = lake();
    Path root = new Path(theLake.root());
    try {
      // the Hadoop settings the session will have (spark.hadoop.* of the Spark conf), as the ingest reads them
      if (!root.getFileSystem(SparkHadoopUtil.get().newConfiguration(new SparkConf(true))).exists(root)) {
        throw new ParameterException(
            command.commandLine(),
            "Invalid --lake '" + lake + "': no such folder " + theLake.root() + " (expected a lake written by 'workbench ingest')");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the lake folder " + theLake.root(), e);
    }
    return theLake;
  }
}
