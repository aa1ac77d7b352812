package fr.sante.workbench.cli;

import fr.sante.workbench.ingest.ald.IngestAldJob;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench ingest ald PATH... --lake DIR}. */
@Command(
    name = "ald",
    mixinStandardHelpOptions = true,
    description = {
      "Load ALD prevalence (people in long-term illness) into table ald_prevalence.",
      "Reads CNAM's legacy .xls series (counts sheet + standardised-rates sheet, one row per département) or the long CSV layout",
      "(data-schemas: ald-prevalence-long.schema.json). '<10' counts are kept as masked, never zero."
    })
public final class IngestAldCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".xls or .csv files, or folders holding them.")
  List<String> paths;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var spark = sparkOptions.session("workbench ingest ald");
    IngestAldJob.Result result =
        TerminalProgress.toStderr().during("loading ALD prevalence from " + String.join(", ", paths) + " into ald_prevalence", () -> IngestAldJob.run(spark, new IngestAldJob.Options(paths, lake.lake())));
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
