package fr.sante.workbench.studies;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.PharmacyLines;
import fr.sante.workbench.schemas.PrestationFamilies;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Column;

/**
 * A dimension a study can break Open DAMIR figures down by: a column of the {@code damir} table (or a
 * grouping of one, defined as data in data-schemas), as a string, with its labels.
 */
public enum DamirAxis {
  REGION("region", "BEN_RES_REG", "region", "region of residence"),
  AGE("age", "AGE_BEN_SNDS", "age_ben_snds", "age class"),
  SEX("sex", "BEN_SEX_COD", "ben_sex_cod", "sex"),
  FAMILY("family", "PRS_NAT", null, "prestation family (PRS_NAT ranges, not an official grouping)"),
  SPECIALITY("speciality", "PSE_SPE_SNDS", "ps_spe_snds", "executing professional's speciality"),
  ENVELOPE("envelope", "CPT_ENV_TYP", "cpt_env_typ", "envelope"),
  PRESCRIBER_SPECIALITY("prescriber_speciality", "PSP_SPE_SNDS", "ps_spe_snds", "prescriber's speciality"),
  PRESCRIBER_STATUS("prescriber_status", "PSP_STJ_SNDS", "ps_stj_snds", "prescriber's status (liberal, salaried)"),
  PRESCRIBING_ESTABLISHMENT("prescribing_establishment", "ETP_CAT_SNDS", "ete_cat_snds", "prescribing establishment category"),
  RATE_CLASS("rate_class", "PRS_REM_TAU", null, "applied reimbursement rate class (PRS_REM_TAU of the line: 15, 30, 65, 100 %, other)"),
  ALD_EXEMPTION("ald_exemption", "EXO_MTF", null, "exemption for a long-term illness (EXO_MTF 41-46)"),
  PHARMACY_LINE("pharmacy_line", "PRS_NAT", null, "pharmacy line kind (medicines, dispensing fees, other pharmacist fees; not an official grouping)");

  /**
   * Rate classes of pharmacy: the usual rates; any other rate (e.g. 65.33 from mixed lines) is "other". The class
   * is the rate applied to the line ({@code PRS_REM_TAU}), not the medicine's listed rate.
   */
  public static final java.util.List<Integer> RATE_CLASSES = java.util.List.of(15, 30, 65, 100);

  private final String column;
  private final String source;
  private final String codeList;
  private final String description;

  DamirAxis(String column, String source, String codeList, String description) {
    this.column = column;
    this.source = source;
    this.codeList = codeList;
    this.description = description;
  }

  /** The name of the dimension in published tables. */
  public String column() {
    return column;
  }

  /** The damir column it is computed from. */
  public String source() {
    return source;
  }

  public String description() {
    return description;
  }

  /** The dimension in words, in the report's language. */
  public String description(fr.sante.workbench.anonymisation.ReportText text) {
    return text.msg("axis." + column);
  }

  /** {@link #definition()} in the report's language. */
  public java.util.Optional<String> definition(fr.sante.workbench.anonymisation.ReportText text) {
    return switch (this) {
      case RATE_CLASS -> java.util.Optional.of(text.msg("axis.rate_class.definition"));
      case PHARMACY_LINE -> java.util.Optional.of(text.msg("axis.pharmacy_line.definition", PharmacyLines.describeCodes("dispensing-fees")));
      default -> java.util.Optional.empty();
    };
  }

  /** What a reader must know about this dimension's values, for the method text of the tables broken down by it. */
  public java.util.Optional<String> definition() {
    return switch (this) {
      case RATE_CLASS -> java.util.Optional.of(
          "rate_class is PRS_REM_TAU, the reimbursement rate applied to the line (15, 30, 65 or 100; any other value, e.g. 65.33, is 'other'), "
              + "not the medicine's listed rate: the applied rate also depends on the patient's situation, e.g. an exemption from the ticket "
              + "modérateur (EXO_MTF, such as ALD 41-46); in the real sample A202501 a PHARMACIE PH4 (30%) line (PRS_NAT 3312) with EXO_MTF 42 is at 100 %");
      case PHARMACY_LINE -> java.util.Optional.of(
          "pharmacy_line is the kind of the PRS_NAT code in data-schemas' pharmacy-lines.csv, read from the code-list labels (not an official grouping): "
              + "medicines (PHARMACIE x %, hospital pharmacy, preparations, vaccines), dispensing-fees (HONORAIRES DE DISPENSATION, PRS_NAT "
              + PharmacyLines.describeCodes("dispensing-fees") + ", whose quantity counts fees, not boxes), other-pharmacist-fees (on-call, surcharges, prescription copies, "
              + "target-based pay); other-or-unknown = codes not listed (labels that say neither, codes missing from the code list)");
      default -> java.util.Optional.empty();
    };
  }

  /** The dimension's value on a damir row, as a string. */
  public Column value() {
    return switch (this) {
      case FAMILY -> {
        Column family = lit(PrestationFamilies.UNKNOWN);
        java.util.List<PrestationFamilies.Range> ranges = PrestationFamilies.ranges();
        for (int i = ranges.size() - 1; i >= 0; i--) {
          PrestationFamilies.Range range = ranges.get(i);
          family = when(col(source).between(range.firstCode(), range.lastCode()), lit(range.family())).otherwise(family);
        }
        yield family;
      }
      case RATE_CLASS -> {
        Column rate = lit("other");
        for (int r : RATE_CLASSES) {
          rate = when(col(source).equalTo(r), lit(String.valueOf(r))).otherwise(rate);
        }
        yield rate;
      }
      case ALD_EXEMPTION ->
          when(col(source).between(41, 46), lit("ald")).when(col(source).equalTo(99), lit("unknown")).otherwise(lit("not-ald"));
      case PHARMACY_LINE -> {
        Column kind = lit(PharmacyLines.UNKNOWN);
        for (String listed : PharmacyLines.labels().keySet()) {
          java.util.List<Integer> codes = PharmacyLines.codesOf(listed);
          if (!codes.isEmpty()) {
            kind = when(col(source).isin(codes.toArray()), lit(listed)).otherwise(kind);
          }
        }
        yield kind;
      }
      default -> col(source).cast("string");
    };
  }

  /** A readable label for a published value ({@code Total} and unknown codes are returned as they are). */
  public String label(String value) {
    if (StudyTable.TOTAL.equals(value)) {
      return value;
    }
    return switch (this) {
      case FAMILY ->
          PrestationFamilies.ranges().stream().filter(r -> r.family().equals(value)).map(PrestationFamilies.Range::label).findFirst().orElse("Other or unknown");
      case RATE_CLASS -> value.equals("other") ? "other applied rate" : value + " % applied";
      case ALD_EXEMPTION -> switch (value) {
        case "ald" -> "ALD exemption (41-46)";
        case "unknown" -> "unknown (99)";
        default -> "no ALD exemption";
      };
      case PHARMACY_LINE -> PharmacyLines.labels().getOrDefault(value, value);
      default -> CodeLists.load(codeList).label(value).orElse(value);
    };
  }

  /** Parses a dimension name as typed on the command line ({@code region}, {@code prescriber-speciality}...). */
  public static DamirAxis parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    return Arrays.stream(values())
        .filter(a -> a.column.equals(wanted))
        .findFirst()
        .orElseThrow(
            () -> new WorkbenchException(
                "Unknown dimension '" + name + "' (expected one of " + Arrays.stream(values()).map(a -> a.column.replace('_', '-')).toList() + ")"));
  }
}
