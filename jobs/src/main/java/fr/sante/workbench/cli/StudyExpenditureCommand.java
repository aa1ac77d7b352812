package fr.sante.workbench.cli;

import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.DamirStudyOptions;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code workbench study expenditure --lake DIR --out DIR [--from --to --time --scope --by]}. */
@Command(
    name = "expenditure",
    mixinStandardHelpOptions = true,
    description = {
      "Spending (FLT_PAI_MNT), reimbursement (FLT_REM_MNT), overruns (FLT_DEP_MNT) and",
      "volumes (FLT_ACT_QTE) by month with growth and reimbursement rate, and by",
      "region, age, sex, prestation family, speciality and envelope (per inhabitant",
      "where a population is loaded)."
    })
public final class StudyExpenditureCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin StudyOutputOptions output;
  @Mixin SelectionOptions selection;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DamirStudyOptions options =
        ExpenditureStudy.options(lake.lake(), output.out)
            .withSelection(selection.selection())
            .withBreakdowns(selection.breakdowns(ExpenditureStudy.DEFAULT_BREAKDOWNS))
            .withSuppression(output.suppression())
            .withProgress(TerminalProgress.lines());
    StudyResult result = ExpenditureStudy.run(sparkOptions.session("workbench study expenditure"), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
