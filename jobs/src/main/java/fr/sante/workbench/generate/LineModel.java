package fr.sante.workbench.generate;

import fr.sante.workbench.generate.Family.Kind;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.Variant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one synthetic Open DAMIR line. The shares come from the measured month A202501
 * (shared/research/open-data-reference.md sections 1.4-1.6): the "unknown block" (40 %), lines without an
 * establishment (81 %), empty {@code *_ACT_NBR} (10 %), negative {@code FLT_REM_MNT} from franchises (15 %),
 * the care-month lag (48/28/8/4/12 %), and the age and region row counts. The identities hold on every
 * line: {@code FLT_*} equal {@code PRS_*} on reference lines (type 0, and the unknown type 99) and are 0
 * elsewhere, except {@code FLT_REM_MNT} also on type 1; {@code PRS_REM_MNT = round(PRS_REM_BSE x rate)};
 * {@code PRS_PAI_MNT = PRS_REM_BSE + PRS_DEP_MNT} on fee lines.
 */
final class LineModel {
  /** A202501 row counts by age class (reference 1.5). */
  static final Weighted AGE =
      Weighted.of(0, 4083931, 20, 3679173, 30, 3826452, 40, 3968495, 50, 4803840, 60, 5550235, 70, 5777861, 80, 4887730, 99, 62542);
  /** A202501 row counts by region of residence (reference 1.5). */
  static final Weighted REGION =
      Weighted.of(
          5, 1276470, 11, 4142722, 24, 1790333, 27, 1922467, 28, 1980079, 32, 2739847, 44, 3086061, 52, 2168156, 53, 1833919, 75,
          2962535, 76, 3232914, 84, 3338674, 93, 3050123, 99, 3115959);
  /** Share of the unknown block: PRS_REM_TYP=99, EXO_MTF=99, MTM_NAT=9, TOP_PS5_TRG=9 (14,826,306 rows). */
  static final double UNKNOWN_BLOCK = 14_826_306.0 / 36_640_259;
  /** Share of lines without an establishment (29,579,197 rows). */
  static final double NO_ESTABLISHMENT = 29_579_197.0 / 36_640_259;
  /** Share of empty PRS_ACT_NBR (3,682,319 rows). */
  static final double EMPTY_ACT_NBR = 3_682_319.0 / 36_640_259;
  /** Care month = processing month minus 0, 1, 2, 3, or more months (48.1/27.9/8.2/4.2/11.6 %). */
  static final Weighted LAG = Weighted.of(0, 48.1, 1, 27.9, 2, 8.2, 3, 4.2, 4, 11.6);
  /** Share of the 0000/00 care-date placeholder (15,607 rows) and of 0001/01 (8 rows). */
  static final double PLACEHOLDER_0000 = 15_607.0 / 36_640_259;

  static final double PLACEHOLDER_0001 = 8.0 / 36_640_259;
  static final int FIRST_CARE_YEAR = 2001;

  private static final Weighted SEX = Weighted.of(1, 44, 2, 54, 0, 1, 9, 1);
  private static final Weighted KNOWN_REM_TYPE = Weighted.of(0, 80, 1, 3, 2, 6, 3, 3, 4, 1, 5, 3, 6, 2, 7, 1, 10, 0.4, 11, 0.2, 12, 0.2, 13, 0.2);
  private static final Weighted EXO =
      Weighted.of(0, 55, 42, 20, 41, 5, 44, 2, 43, 1, 46, 1.5, 45, 0.5, 10, 3, 30, 3, 51, 2, 91, 4, 62, 1, 55, 1, 81, 0.5);
  private static final Weighted GP_OR_SPECIALIST = Weighted.of(1, 70, 3, 4, 7, 4, 12, 3, 15, 3, 6, 3, 33, 3, 5, 2, 8, 2, 14, 2, 9, 2, 32, 2);
  private static final Weighted SPECIALIST = Weighted.of(3, 12, 7, 12, 12, 10, 15, 12, 6, 10, 33, 10, 5, 8, 8, 7, 14, 6, 11, 5, 32, 5, 2, 3);
  private static final Weighted HOSPITAL_CATEGORY = Weighted.of(1101, 20, 1102, 35, 1110, 15, 1103, 8, 1106, 5, 1109, 5, 2206, 4, 1203, 3, 1201, 5);
  private static final Weighted HOSPITAL_TYPE = Weighted.of(1, 55, 2, 15, 4, 25, 6, 5);
  private static final Weighted DISCIPLINE = Weighted.of(11, 25, 12, 20, 21, 15, 22, 10, 30, 8, 60, 7, 121, 15);
  private static final Weighted QUALITY = Weighted.of(1, 65, 2, 9, 4, 2, 0, 3, 9, 1);
  private static final Weighted PARCOURS = Weighted.of(0, 40, 1, 30, 3, 10, 31, 10, 5, 2, 6, 3, 7, 2, 13, 1, 2, 2);
  private static final Weighted PAYEE = Weighted.of(35, 55, 11, 30, 33, 5, 0, 5, 36, 5);
  private static final Weighted MCO = Weighted.of('M', 50, 'C', 25, 'X', 10, 'Z', 15);

  private final Family[] families = Family.ALL;
  private final Weighted family;
  private final double establishmentForOthers;
  private final double unknownForEligible;
  private final int width;
  private final long[] values;
  private final byte[] formats;
  private final int[] at = new int[Column.values().length];

  /** How a value is written. */
  private static final byte INT = 0;

  private static final byte EUROS = 1;
  private static final byte EMPTY = 2;
  private static final byte TWO_DIGITS = 3;
  private static final byte FOUR_DIGITS = 4;
  private static final byte LETTER = 5;

  /** The columns this model fills, looked up by name in the schema (whose order the file follows). */
  private enum Column {
    FLX_ANN_MOI, ORG_CLE_REG, AGE_BEN_SNDS, BEN_RES_REG, BEN_CMU_TOP, BEN_QLT_COD, BEN_SEX_COD, DDP_SPE_COD, ETE_CAT_SNDS,
    ETE_REG_COD, ETE_TYP_SNDS, ETP_REG_COD, ETP_CAT_SNDS, MDT_TYP_COD, MFT_COD, PRS_FJH_TYP, PRS_ACT_COG, PRS_ACT_NBR,
    PRS_ACT_QTE, PRS_DEP_MNT, PRS_PAI_MNT, PRS_REM_BSE, PRS_REM_MNT, FLT_ACT_COG, FLT_ACT_NBR, FLT_ACT_QTE, FLT_PAI_MNT,
    FLT_DEP_MNT, FLT_REM_MNT, SOI_ANN, SOI_MOI, ASU_NAT, ATT_NAT, CPL_COD, CPT_ENV_TYP, DRG_AFF_NAT, ETE_IND_TAA, EXO_MTF,
    MTM_NAT, PRS_NAT, PRS_PPU_SEC, PRS_REM_TAU, PRS_REM_TYP, PRS_PDS_QCP, EXE_INS_REG, PSE_ACT_SNDS, PSE_ACT_CAT,
    PSE_SPE_SNDS, PSE_STJ_SNDS, PRE_INS_REG, PSP_ACT_SNDS, PSP_ACT_CAT, PSP_SPE_SNDS, PSP_STJ_SNDS, TOP_PS5_TRG, ETB_DCS_MCO
  }

  LineModel() {
    List<String> header = Schemas.openDamir().headerNames(Variant.REG);
    width = header.size();
    values = new long[width];
    formats = new byte[width];
    for (Column c : Column.values()) {
      int i = header.indexOf(c.name());
      if (i < 0) {
        throw new IllegalStateException("The Open DAMIR schema has no column " + c + ": update the generator");
      }
      at[c.ordinal()] = i;
    }
    if (header.size() != Column.values().length) {
      throw new IllegalStateException("The generator fills " + Column.values().length + " columns but the schema has " + header.size());
    }
    double[] pairs = new double[2 * families.length];
    double hospital = 0;
    double cash = 0;
    double total = 0;
    for (int i = 0; i < families.length; i++) {
      pairs[2 * i] = i;
      pairs[2 * i + 1] = families[i].weight();
      total += families[i].weight();
      hospital += families[i].kind().isHospital() ? families[i].weight() : 0;
      cash += families[i].kind().isCashBenefit() ? families[i].weight() : 0;
    }
    family = Weighted.of(pairs);
    double hospitalShare = hospital / total;
    establishmentForOthers = ((1 - NO_ESTABLISHMENT) - hospitalShare) / (1 - hospitalShare);
    // hospital stays and cash benefits never fall in the unknown block: the other lines carry its share
    unknownForEligible = UNKNOWN_BLOCK / (1 - hospitalShare - cash / total);
  }

  static String header() {
    return String.join(";", Schemas.openDamir().headerNames(Variant.REG)) + ";";
  }

  private void set(Column c, long value) {
    values[at[c.ordinal()]] = value;
    formats[at[c.ordinal()]] = INT;
  }

  private void set(Column c, long value, byte format) {
    values[at[c.ordinal()]] = value;
    formats[at[c.ordinal()]] = format;
  }

  /** Appends one line (with its trailing {@code ;} and {@code \n}) for processing month {@code month}. */
  void write(SplittableRandom r, int month, LineBuffer out) {
    Family f = families[family.draw(r)];
    Kind kind = f.kind();
    boolean unknownBlock = !kind.isHospital() && !kind.isCashBenefit() && r.nextDouble() < unknownForEligible;
    int remType = unknownBlock ? 99 : kind.isDeduction() ? 0 : KNOWN_REM_TYPE.draw(r);
    int age = AGE.draw(r);
    int region = REGION.draw(r);
    int someRegion = region == 99 ? REGION.draw(r) : region;
    set(Column.FLX_ANN_MOI, month);
    set(Column.ORG_CLE_REG, r.nextDouble() < 0.85 ? region : someRegion);
    set(Column.AGE_BEN_SNDS, age);
    set(Column.BEN_RES_REG, region);
    set(Column.BEN_CMU_TOP, unknownBlock ? 9 : r.nextDouble() < 0.88 ? 0 : r.nextDouble() < 0.85 ? 1 : 2);
    set(Column.BEN_QLT_COD, age == 0 && r.nextDouble() < 0.8 ? 3 : QUALITY.draw(r));
    set(Column.BEN_SEX_COD, SEX.draw(r));

    boolean establishment = kind.isHospital() || r.nextDouble() < establishmentForOthers;
    int careMonth = careMonth(r, month);
    set(Column.SOI_ANN, careMonth / 100, FOUR_DIGITS);
    set(Column.SOI_MOI, careMonth % 100, TWO_DIGITS);
    fillEstablishment(r, establishment, someRegion);
    int exo = unknownBlock ? 99 : kind.isCashBenefit() ? 0 : EXO.draw(r);
    int rateCenti = rateCenti(r, f, exo);
    fillAmounts(r, f, remType, rateCenti);
    fillContext(r, f, unknownBlock, remType, exo, establishment);
    fillProfessionals(r, f, establishment, region, someRegion, unknownBlock);
    for (int i = 0; i < width; i++) {
      switch (formats[i]) {
        case INT -> out.field(values[i]);
        case EUROS -> out.euros(values[i]);
        case EMPTY -> out.empty();
        case TWO_DIGITS -> out.padded((int) values[i], 2);
        case FOUR_DIGITS -> out.padded((int) values[i], 4);
        case LETTER -> out.field(String.valueOf((char) values[i]));
        default -> throw new IllegalStateException("format " + formats[i]);
      }
    }
    out.newline();
  }

  private int careMonth(SplittableRandom r, int month) {
    double u = r.nextDouble();
    if (u < PLACEHOLDER_0001) {
      return 100 + 1; // 0001/01
    }
    if (u < PLACEHOLDER_0001 + PLACEHOLDER_0000) {
      return 0; // 0000/00
    }
    int lag = LAG.draw(r);
    if (lag == 4) {
      while (r.nextDouble() > 0.12 && lag < 240) {
        lag++; // older care: a geometric tail, a few years back at most
      }
    }
    int index = Math.max(FIRST_CARE_YEAR * 12, (month / 100) * 12 + (month % 100 - 1) - lag);
    return (index / 12) * 100 + index % 12 + 1;
  }

  private void fillEstablishment(SplittableRandom r, boolean establishment, int region) {
    if (!establishment) {
      set(Column.DDP_SPE_COD, r.nextBoolean() ? 0 : 121);
      set(Column.ETE_CAT_SNDS, 9999);
      set(Column.ETE_REG_COD, 99);
      set(Column.ETE_TYP_SNDS, 99);
      set(Column.MDT_TYP_COD, 9);
      set(Column.MFT_COD, 99);
      set(Column.ETE_IND_TAA, 9);
      set(Column.ETB_DCS_MCO, 'Z', LETTER);
      return;
    }
    int type = HOSPITAL_TYPE.draw(r);
    set(Column.DDP_SPE_COD, DISCIPLINE.draw(r));
    set(Column.ETE_CAT_SNDS, HOSPITAL_CATEGORY.draw(r));
    set(Column.ETE_REG_COD, region);
    set(Column.ETE_TYP_SNDS, type);
    set(Column.MDT_TYP_COD, 1 + r.nextInt(3));
    set(Column.MFT_COD, type == 4 ? 7 : r.nextBoolean() ? 3 : 2);
    set(Column.ETE_IND_TAA, type == 4 ? 2 : r.nextDouble() < 0.8 ? 1 : 0);
    set(Column.ETB_DCS_MCO, MCO.draw(r), LETTER);
  }

  private static int rateCenti(SplittableRandom r, Family f, int exo) {
    if (f.kind().isDeduction()) {
      return 10000;
    }
    boolean exempt = (exo >= 41 && exo <= 46) || exo == 30 || exo == 91 || exo == 55;
    int rate = exempt ? 100 : f.rate();
    if (r.nextDouble() < 0.03) {
      return rate * 100 - 1 - r.nextInt(Math.max(1, rate * 50)); // a non-integer effective rate, e.g. 65.33
    }
    return rate * 100;
  }

  private void fillAmounts(SplittableRandom r, Family f, int remType, int rateCenti) {
    Kind kind = f.kind();
    int quantity = 1 + r.nextInt(f.maxQuantity());
    long base;
    long overrun = 0;
    long paid;
    long reimbursed;
    long coefficientCenti = quantity * 100L;
    if (kind.isDeduction()) {
      base = 0;
      paid = 0;
      reimbursed = -f.baseCents() * quantity;
    } else {
      double draw = f.sigma() == 0 ? 1 : Math.exp(f.sigma() * r.nextGaussian());
      base = Math.max(1, Math.round(f.baseCents() * draw * (kind == Kind.NURSE || kind == Kind.PHYSIO ? quantity : 1)));
      if (kind.hasOverruns() && r.nextDouble() < (kind == Kind.DOCTOR_GP ? 0.05 : 0.3)) {
        overrun = Math.max(1, Math.round(base * 0.4 * Math.exp(0.6 * r.nextGaussian())));
      }
      paid = base + overrun;
      if (kind == Kind.DEVICE && r.nextDouble() < 0.3) {
        paid += Math.round(base * r.nextDouble()); // LPP: expense above the base, not an overrun
      }
      reimbursed = Math.round(base * (double) rateCenti / 10000.0);
      if (kind == Kind.NURSE || kind == Kind.PHYSIO) {
        coefficientCenti = quantity * (200L + 50L * r.nextInt(3));
      }
    }
    boolean copied = remType == 0 || remType == 99;
    if (!copied) {
      // a supplementary part (ticket modérateur, C2S, supplements): it pays what the legal part did not
      reimbursed = remType == 1 ? Math.max(1, Math.round(base * 0.05)) : Math.max(1, base - reimbursed);
      overrun = 0;
    }
    boolean emptyCount = r.nextDouble() < EMPTY_ACT_NBR;
    set(Column.PRS_ACT_COG, coefficientCenti, EUROS);
    set(Column.PRS_ACT_NBR, quantity, emptyCount ? EMPTY : INT);
    set(Column.PRS_ACT_QTE, quantity);
    set(Column.PRS_DEP_MNT, overrun, EUROS);
    set(Column.PRS_PAI_MNT, paid, EUROS);
    set(Column.PRS_REM_BSE, base, EUROS);
    set(Column.PRS_REM_MNT, reimbursed, EUROS);
    set(Column.FLT_ACT_COG, copied ? coefficientCenti : 0, EUROS);
    set(Column.FLT_ACT_NBR, copied ? quantity : 0, emptyCount && copied ? EMPTY : INT);
    set(Column.FLT_ACT_QTE, copied ? quantity : 0);
    set(Column.FLT_PAI_MNT, copied ? paid : 0, EUROS);
    set(Column.FLT_DEP_MNT, copied ? overrun : 0, EUROS);
    set(Column.FLT_REM_MNT, copied || remType == 1 ? reimbursed : 0, EUROS);
    set(Column.PRS_REM_TAU, rateCenti, EUROS);
    set(Column.PRS_REM_TYP, remType);
  }

  private void fillContext(SplittableRandom r, Family f, boolean unknownBlock, int remType, int exo, boolean establishment) {
    Kind kind = f.kind();
    set(Column.PRS_NAT, f.prsNat());
    set(Column.PRS_FJH_TYP, establishment && r.nextDouble() < 0.3 ? 8 : 0);
    int insurance = switch (kind) {
      case PENSION -> 80;
      case ANNUITY -> 40;
      case PREVENTION -> 90;
      default -> f.prsNat() == 6121 ? 30 : r.nextDouble() < 0.04 ? 40 : r.nextDouble() < 0.03 ? 30 : 10;
    };
    set(Column.ASU_NAT, insurance);
    set(Column.ATT_NAT, insurance == 40 ? 1 + r.nextInt(3) : 0);
    set(Column.CPL_COD, kind.hasOverruns() && r.nextDouble() < 0.03 ? 1 + r.nextInt(3) : 0);
    int envelope = kind.isHospital() ? 2 : kind == Kind.PENSION || kind == Kind.ANNUITY ? 3 : kind == Kind.PREVENTION ? 4 : 1;
    set(Column.CPT_ENV_TYP, unknownBlock ? 9 : envelope);
    set(Column.DRG_AFF_NAT, unknownBlock ? 99 : PAYEE.draw(r));
    set(Column.EXO_MTF, exo);
    set(Column.MTM_NAT, unknownBlock ? 9 : r.nextDouble() < 0.93 ? 0 : r.nextDouble() < 0.5 ? 2 : 1);
    set(Column.PRS_PPU_SEC, establishment && r.nextDouble() < 0.7 ? 1 : 2);
    set(Column.PRS_PDS_QCP, unknownBlock ? 31 : PARCOURS.draw(r));
    // scope flag: 9 on the unknown block, 0 on C2S/AME parts and information lines, 1 elsewhere
    set(Column.TOP_PS5_TRG, unknownBlock ? 9 : remType == 5 || remType == 6 || remType == 7 ? 0 : 1);
  }

  private void fillProfessionals(SplittableRandom r, Family f, boolean establishment, int region, int someRegion, boolean unknownBlock) {
    Kind kind = f.kind();
    int activity = 0;
    int category = 1;
    int speciality = 0;
    int status = unknownBlock && r.nextBoolean() ? 9 : 1;
    switch (kind) {
      case PHARMACY, FRANCHISE_PHARMACY -> { activity = 50; category = 2; }
      case NURSE, FRANCHISE_AUXILIARY -> { activity = 24; category = 6; }
      case PHYSIO -> { activity = 26; category = 7; }
      case SPEECH -> { activity = 28; category = 9; }
      case LAB -> { activity = 30; category = 3; }
      case DEVICE -> { activity = 60; category = 2; }
      case TRANSPORT, FRANCHISE_TRANSPORT -> { activity = 55; category = 2; }
      case DENTAL -> { activity = 19; category = 4; }
      case MIDWIFE -> { activity = 21; category = 5; }
      case HOSPITAL -> { activity = 90; category = 0; status = 2; }
      case ALLOWANCE, PENSION, ANNUITY, PREVENTION -> { category = 99; status = 9; }
      case DOCTOR_GP, PARTICIPATION -> speciality = GP_OR_SPECIALIST.draw(r);
      case DOCTOR_SPECIALIST, TECHNICAL_ACT -> speciality = SPECIALIST.draw(r);
    }
    if (establishment && !kind.isHospital() && category == 1) {
      status = 2; // salaried doctor of the establishment
    }
    set(Column.EXE_INS_REG, r.nextDouble() < 0.8 ? region : r.nextBoolean() ? someRegion : 99);
    set(Column.PSE_ACT_SNDS, activity);
    set(Column.PSE_ACT_CAT, category);
    set(Column.PSE_SPE_SNDS, speciality);
    set(Column.PSE_STJ_SNDS, status);
    int pActivity = 0;
    int pCategory = 99;
    int pSpeciality = 0;
    int pStatus = 9;
    if (kind.isPrescribed()) {
      pCategory = 1;
      pSpeciality = GP_OR_SPECIALIST.draw(r);
      pStatus = r.nextDouble() < 0.75 ? 1 : 2;
    } else if (category == 1) {
      pCategory = 1; // a doctor's own act: the prescriber is the executant
      pSpeciality = speciality;
      pStatus = status;
    } else if (kind.isHospital()) {
      pCategory = 1;
      pSpeciality = SPECIALIST.draw(r);
      pStatus = 2;
    }
    set(Column.PRE_INS_REG, pCategory == 99 || r.nextDouble() < 0.4 ? 99 : region);
    set(Column.PSP_ACT_SNDS, pActivity);
    set(Column.PSP_ACT_CAT, pCategory);
    set(Column.PSP_SPE_SNDS, pSpeciality);
    set(Column.PSP_STJ_SNDS, pStatus);
    boolean salariedPrescriber = pStatus == 2;
    set(Column.ETP_REG_COD, salariedPrescriber ? someRegion : 99);
    set(Column.ETP_CAT_SNDS, salariedPrescriber ? HOSPITAL_CATEGORY.draw(r) : 9999);
  }
}
