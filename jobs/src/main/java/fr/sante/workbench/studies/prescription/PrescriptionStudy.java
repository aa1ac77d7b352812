package fr.sante.workbench.studies.prescription;

import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.PharmacyLines;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirFigures;
import fr.sante.workbench.studies.DamirStudy;
import fr.sante.workbench.studies.DamirStudyOptions;
import fr.sante.workbench.studies.StudyResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * Community pharmacy: the lines of the 33xx prestation codes executed by a pharmacist
 * ({@code PSE_ACT_SNDS = 50}), by prescriber speciality, prescriber status (liberal, salaried) with the
 * prescribing establishment's category, applied reimbursement-rate class ({@code PRS_REM_TAU}: 15, 30, 65,
 * 100 %), age, sex and region, and month by month overall and by rate class; and always by pharmacy line kind
 * ({@link #BY_PHARMACY_LINE}), which shows boxes of medicines and dispensing-fee units apart, since
 * {@code quantity} in the other tables adds them.
 */
public final class PrescriptionStudy {
  public static final String NAME = "prescription";
  public static final List<List<DamirAxis>> DEFAULT_BREAKDOWNS =
      List.of(
          List.of(DamirAxis.PRESCRIBER_SPECIALITY),
          List.of(DamirAxis.PRESCRIBER_STATUS, DamirAxis.PRESCRIBING_ESTABLISHMENT),
          List.of(DamirAxis.RATE_CLASS),
          List.of(DamirAxis.AGE, DamirAxis.SEX),
          List.of(DamirAxis.REGION));

  /** The breakdown every run publishes, besides the chosen ones: medicines, dispensing fees and other pharmacist fees apart. */
  public static final List<DamirAxis> PHARMACY_LINE_BREAKDOWN = List.of(DamirAxis.PHARMACY_LINE);
  /** Its table's name. */
  public static final String BY_PHARMACY_LINE = DamirFigures.tableName(PHARMACY_LINE_BREAKDOWN);
  /** How {@code quantity} reads in the other tables. */
  public static final String QUANTITY_NOTE =
      "In this study quantity (FLT_ACT_QTE) adds boxes of medicines and dispensing-fee units (HONORAIRES DE DISPENSATION, PRS_NAT "
          + PharmacyLines.describeCodes("dispensing-fees") + ", whose quantity counts fees, not boxes) and other pharmacist fees: table " + BY_PHARMACY_LINE
          + " gives them apart.";

  private PrescriptionStudy() {}

  /** The default options: care months, CNAM's monthly-statistics scope, the default breakdowns. */
  public static DamirStudyOptions options(Lake lake, Path out) {
    return DamirStudyOptions.of(lake, out, DEFAULT_BREAKDOWNS);
  }

  /** Runs the study with the chosen breakdowns and, if not among them, {@link #PHARMACY_LINE_BREAKDOWN}. */
  public static StudyResult run(SparkSession spark, DamirStudyOptions options) {
    List<List<DamirAxis>> breakdowns = new ArrayList<>(options.breakdowns());
    if (!breakdowns.contains(PHARMACY_LINE_BREAKDOWN)) {
      breakdowns.add(PHARMACY_LINE_BREAKDOWN);
    }
    return study().run(spark, options.withBreakdowns(breakdowns));
  }

  /** Pharmacy prestations (3300-3399) dispensed by a pharmacist. */
  public static Column pharmacyLines() {
    return col("PRS_NAT").between(3300, 3399).and(col("PSE_ACT_SNDS").equalTo(50));
  }

  // built on use, not when the class loads: the CLI loads this class for every command, and Spark's
  // Column classes are slow to initialise cold
  private static DamirStudy study() {
    return new DamirStudy(NAME, "Prescription (community pharmacy)", pharmacyLines(),
        "pharmacy lines: PRS_NAT 3300-3399 executed by a pharmacist (PSE_ACT_SNDS = 50)", DamirAxis.RATE_CLASS, QUANTITY_NOTE);
  }
}
