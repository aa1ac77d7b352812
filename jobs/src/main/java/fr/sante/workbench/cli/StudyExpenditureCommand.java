package fr.sante.workbench.cli;

import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import picocli.CommandLine.Command;

/** {@code workbench study expenditure --lake DIR --out DIR [--from --to --time --scope --by]}. */
@Command(
    name = "expenditure",
    mixinStandardHelpOptions = true,
    description = {
      "Open DAMIR spending, reimbursement, overruns and volumes by month and breakdown.",
      "Spending (FLT_PAI_MNT), reimbursement (FLT_REM_MNT), overruns (FLT_DEP_MNT) and",
      "volumes (FLT_ACT_QTE) by month with growth and reimbursement rate, and by",
      "region, age, sex, prestation family, speciality and envelope (per inhabitant",
      "where a population is loaded)."
    })
public final class StudyExpenditureCommand extends DamirStudyCommand {
  public StudyExpenditureCommand() {
    super("expenditure", ExpenditureStudy::options, ExpenditureStudy.DEFAULT_BREAKDOWNS, ExpenditureStudy::run);
  }
}
