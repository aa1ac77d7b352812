package fr.sante.workbench.cli;

import fr.sante.workbench.studies.prescription.PrescriptionStudy;
import picocli.CommandLine.Command;

/** {@code workbench study prescription --lake DIR --out DIR [--from --to --time --scope --by]}. */
@Command(
    name = "prescription",
    mixinStandardHelpOptions = true,
    description = {
      "Community pharmacy from Open DAMIR: spending, reimbursement and boxes.",
      "PRS_NAT 33xx with a pharmacist executant: spending, reimbursement and boxes by month (overall and by rate class) and by prescriber speciality,",
      "prescriber status and prescribing establishment, rate class (15/30/65/100 %%),",
      "age, sex and region."
    })
public final class StudyPrescriptionCommand extends DamirStudyCommand {
  public StudyPrescriptionCommand() {
    super("prescription", PrescriptionStudy::options, PrescriptionStudy.DEFAULT_BREAKDOWNS, PrescriptionStudy::run);
  }
}
