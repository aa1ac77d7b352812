package fr.sante.workbench.cli;

import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.ald.AldOptions;
import fr.sante.workbench.studies.ald.AldStudy;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workbench study ald --lake DIR --out DIR [--year --ald --standard]}. */
@Command(
    name = "ald",
    mixinStandardHelpOptions = true,
    description = {
      "ALD prevalence per 100,000 by département, crude and age-sex standardised.",
      "Crude with an exact Poisson interval, directly age-sex standardised (gamma interval), ranked; and the share of",
      "reimbursement under ALD exemption (EXO_MTF 41-46) when Open DAMIR is loaded."
    })
public final class StudyAldCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin StudyOutputOptions output;
  @Mixin LanguageOption lang;

  @Option(names = "--year", paramLabel = "YYYY", description = "Prevalence year (default: the latest in the lake).")
  Integer year;

  @Option(names = "--ald", split = ",", paramLabel = "N", description = "ALD numbers, e.g. 8,30 (default: every ALD).")
  List<Integer> alds;

  @Option(names = "--standard", defaultValue = "esp2013", paramLabel = "STD", description = "esp2013 or national (default: ${DEFAULT-VALUE}).")
  String standard;

  @Option(names = "--population", paramLabel = "SOURCE",
      description = "Denominator: insee (INSEE estimates, every resident) or rg-protected (RNIAM, the régime général's protected population). Default: the counts' scheme (ALD: régime général).")
  String population;

  @Option(names = "--population-year", paramLabel = "YYYY", description = "Population year (default: the nearest to the prevalence year).")
  Integer populationYear;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    AldOptions.Standard std = Choices.parse(spec, "--standard", standard, AldOptions.Standard.class);
    AldOptions options =
        AldOptions.of(lake.lake(), output.out).withAlds(alds == null ? List.of() : alds).withStandard(std).withSuppression(output.suppression())
            .withProgress(TerminalProgress.lines())
            .withLanguage(lang.language())
            .withPopulation(new fr.sante.workbench.studies.PopulationChoice.Wanted(java.util.Optional.ofNullable(population), java.util.Optional.ofNullable(populationYear)));
    if (year != null) {
      options = options.withYear(year);
    }
    StudyResult result = AldStudy.run(sparkOptions.session("workbench study ald"), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
