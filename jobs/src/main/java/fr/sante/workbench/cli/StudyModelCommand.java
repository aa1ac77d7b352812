package fr.sante.workbench.cli;

import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.model.ModelOptions;
import fr.sante.workbench.studies.model.ModelStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workbench study model --lake DIR --out DIR [--family tweedie|poisson]}. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
      "Model the reimbursement per line on age, sex, region and prestation family.",
      "A Spark MLlib GLM (Tweedie or Poisson, log link) fitted in the lake on every",
      "selected line; its covariates are fixed (no --by). Only the coefficients leave,",
      "through the gate's model rules (levels of at least --min-count lines, as many",
      "residual degrees of freedom, a refit by the gate): exit 3 when they fail.",
      "Report: multiplicative effects with intervals, a sentence each, and a forest plot."
    })
public final class StudyModelCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin StudyOutputOptions output;
  @Mixin LanguageOption lang;
  @Mixin SelectionOptions selection;

  @Option(names = "--family", defaultValue = "tweedie", paramLabel = "F", description = "tweedie or poisson (default: ${DEFAULT-VALUE}).")
  String family;

  @Option(names = "--variance-power", defaultValue = "1.5", paramLabel = "P", description = "Tweedie variance power, 1 < P < 2 (default: ${DEFAULT-VALUE}).")
  double variancePower;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ModelOptions.Family f = Choices.parse(spec, "--family", family, ModelOptions.Family.class);
    ModelOptions options;
    try {
      options =
          ModelOptions.of(lake.lake(), output.out).withSelection(selection.selection()).withFamily(f, variancePower).withSuppression(output.suppression())
              .withProgress(TerminalProgress.lines())
              .withLanguage(lang.language());
    } catch (fr.sante.workbench.WorkbenchException e) { // a variance power out of range: a usage error, as every bad option value
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    StudyResult result = ModelStudy.run(sparkOptions.session("workbench study model"), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
