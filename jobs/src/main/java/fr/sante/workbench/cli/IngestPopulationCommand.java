package fr.sante.workbench.cli;

import fr.sante.workbench.ingest.population.IngestPopulationJob;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench ingest population PATH... --lake DIR}. */
@Command(
    name = "population",
    mixinStandardHelpOptions = true,
    description = {
      "Load population denominators into table population.",
      "Reads INSEE estimates by département x sex x 5-year band (dep;l_dep;annee;sexe;age_max_cat;value) and the régime général protected population (l_dpt,dpt,...)."
    })
public final class IngestPopulationCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".csv files, or folders holding them.")
  List<String> paths;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var spark = sparkOptions.session("workbench ingest population");
    IngestPopulationJob.Result result =
        TerminalProgress.toStderr().during("loading population from " + String.join(", ", paths) + " into population", () -> IngestPopulationJob.run(spark, new IngestPopulationJob.Options(paths, lake.lake())));
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
