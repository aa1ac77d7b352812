package fr.sante.workbench.studies.expenditure;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirStudy;
import fr.sante.workbench.studies.DamirStudyOptions;
import fr.sante.workbench.studies.StudyResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Spending, reimbursement, overruns and volumes of Open DAMIR: month by month (with reimbursement rate and
 * month-on-month and year-on-year growth) and broken down by region of residence, age, sex, prestation
 * family, executing speciality and envelope, with reimbursement per inhabitant where a population is loaded.
 * Every table goes through the export gate; the report is computed from the published files.
 */
public final class ExpenditureStudy {
  public static final String NAME = "expenditure";
  /** Region, age and sex, prestation family, executing speciality, envelope, and region × age × sex. */
  public static final List<List<DamirAxis>> DEFAULT_BREAKDOWNS =
      List.of(
          List.of(DamirAxis.REGION),
          List.of(DamirAxis.AGE, DamirAxis.SEX),
          List.of(DamirAxis.FAMILY),
          List.of(DamirAxis.SPECIALITY),
          List.of(DamirAxis.ENVELOPE),
          List.of(DamirAxis.REGION, DamirAxis.AGE, DamirAxis.SEX));
  private static final DamirStudy STUDY = new DamirStudy(NAME, "Expenditure", null, "every line", null);

  private ExpenditureStudy() {}

  /** The default options: care months, CNAM's monthly-statistics scope, the default breakdowns. */
  public static DamirStudyOptions options(Lake lake, Path out) {
    return DamirStudyOptions.of(lake, out, DEFAULT_BREAKDOWNS);
  }

  public static StudyResult run(SparkSession spark, DamirStudyOptions options) {
    return STUDY.run(spark, options);
  }
}
