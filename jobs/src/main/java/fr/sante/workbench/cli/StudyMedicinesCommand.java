package fr.sante.workbench.cli;

import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.medicines.MedicinesOptions;
import fr.sante.workbench.studies.medicines.MedicinesStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workbench study medicines --lake DIR --out DIR [--atc C10]}. */
@Command(
    name = "medicines",
    mixinStandardHelpOptions = true,
    description = {
      "Medicines from Open Medic at any ATC level, per 1,000 inhabitants.",
      "Boxes and reimbursement per 1,000 inhabitants by region, age and sex, generic share, top substances, prescriber",
      "speciality mix, year by year with year-on-year change (counts are boxes)."
    })
public final class StudyMedicinesCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin StudyOutputOptions output;
  @Mixin LanguageOption lang;

  @Option(names = "--atc", paramLabel = "CODE", description = "An ATC class: C, C10, C10A, C10AA or C10AA05 (default: every medicine).")
  String atc;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    MedicinesOptions options = MedicinesOptions.of(lake.lake(), output.out).withSuppression(output.suppression()).withProgress(TerminalProgress.lines())
        .withLanguage(lang.language());
    if (atc != null) {
      try {
        options = options.withAtc(atc);
      } catch (fr.sante.workbench.WorkbenchException e) { // a code of no ATC level: a usage error, as every bad option value
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    StudyResult result = MedicinesStudy.run(sparkOptions.session("workbench study medicines"), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
