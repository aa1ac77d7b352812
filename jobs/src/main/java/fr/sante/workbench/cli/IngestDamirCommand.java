package fr.sante.workbench.cli;

import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench ingest damir PATH... --lake DIR}. */
@Command(
    name = "damir",
    mixinStandardHelpOptions = true,
    description = {
      "Load Open DAMIR monthly files (A<yyyy><mm>.csv.gz, .csv, P files) into table damir.",
      "Headers are checked before anything is written; bad lines go to damir_rejects with a reason;",
      "re-ingesting a month replaces it atomically."
    })
public final class IngestDamirCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (every A/P file inside, in month order).")
  List<String> paths;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;

  @Option(
      names = "--chunk-mb",
      defaultValue = "128",
      paramLabel = "MB",
      description = "Decompressed megabytes per parallel parsing task (default: ${DEFAULT-VALUE}).")
  int chunkMb;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (chunkMb < 1) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + chunkMb + "' for option '--chunk-mb': must be >= 1");
    }
    IngestDamirOptions options =
        IngestDamirOptions.of(paths, lake.lake())
            .withChunkBytes((long) chunkMb << 20)
            .withProgress(TerminalProgress.toStderr());
    // embedded: the first file is read while Spark starts (its parallelism is known: this machine's cores)
    IngestDamirResult result =
        sparkOptions.embedded()
            ? IngestDamirJob.runWhileStarting(() -> sparkOptions.session("workbench ingest damir"), Runtime.getRuntime().availableProcessors(), options)
            : IngestDamirJob.run(sparkOptions.session("workbench ingest damir"), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
