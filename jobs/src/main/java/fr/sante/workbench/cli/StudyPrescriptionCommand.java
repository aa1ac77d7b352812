package fr.sante.workbench.cli;

import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.studies.DamirStudyOptions;
import fr.sante.workbench.studies.prescription.PrescriptionStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code workbench study prescription --lake DIR --out DIR [--from --to --time --scope --by]}. */
@Command(
    name = "prescription",
    mixinStandardHelpOptions = true,
    description = {
      "Community pharmacy (PRS_NAT 33xx, pharmacist executant): spending, reimbursement",
      "and boxes by month (overall and by rate class) and by prescriber speciality,",
      "prescriber status and prescribing establishment, rate class (15/30/65/100 %),",
      "age, sex and region."
    })
public final class StudyPrescriptionCommand implements Callable<Integer> {
  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin StudyOutputOptions output;
  @Mixin SelectionOptions selection;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DamirStudyOptions options =
        PrescriptionStudy.options(lake.lake(), output.out)
            .withSelection(selection.selection())
            .withBreakdowns(selection.breakdowns(PrescriptionStudy.DEFAULT_BREAKDOWNS))
            .withSuppression(output.suppression())
            .withProgress(TerminalProgress.lines());
    StudyResult result = PrescriptionStudy.run(sparkOptions.session("workbench study prescription"), options);
    spec.commandLine().getOut().print(result.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
