package fr.sante.workbench.generate;

/**
 * A kind of service (one {@code PRS_NAT} code) and how its lines look.
 *
 * @param prsNat the service code (present in the {@code prs_nat} code list)
 * @param weight share of lines, relative to the other families
 * @param kind how amounts, executant and prescriber are drawn
 * @param baseCents median reimbursement base of a line, in cents (for franchises: the unit deduction)
 * @param sigma spread of the log-normal base (0 = fixed tariff)
 * @param rate usual reimbursement rate in percent (100 under ALD exemption)
 * @param maxQuantity quantities are drawn from 1 to this
 */
record Family(int prsNat, double weight, Kind kind, long baseCents, double sigma, int rate, int maxQuantity) {

  /** Executant/prescriber/amount profiles. */
  enum Kind {
    FRANCHISE_PHARMACY,
    FRANCHISE_AUXILIARY,
    FRANCHISE_TRANSPORT,
    PARTICIPATION,
    PHARMACY,
    DOCTOR_GP,
    DOCTOR_SPECIALIST,
    TECHNICAL_ACT,
    NURSE,
    PHYSIO,
    SPEECH,
    LAB,
    DEVICE,
    TRANSPORT,
    HOSPITAL,
    ALLOWANCE,
    PENSION,
    ANNUITY,
    DENTAL,
    MIDWIFE,
    PREVENTION;

    boolean isDeduction() {
      return this == FRANCHISE_PHARMACY || this == FRANCHISE_AUXILIARY || this == FRANCHISE_TRANSPORT || this == PARTICIPATION;
    }

    boolean isHospital() {
      return this == HOSPITAL;
    }

    /** Cash benefits paid to the insured person, without executant (daily allowances, pensions, annuities). */
    boolean isCashBenefit() {
      return this == ALLOWANCE || this == PENSION || this == ANNUITY;
    }

    boolean isPrescribed() {
      return switch (this) {
        case PHARMACY, NURSE, PHYSIO, SPEECH, LAB, DEVICE, TRANSPORT, ALLOWANCE,
            FRANCHISE_PHARMACY, FRANCHISE_AUXILIARY, FRANCHISE_TRANSPORT -> true;
        default -> false;
      };
    }

    /** Fee lines, where the expense is the base plus the doctor's overrun. */
    boolean hasOverruns() {
      return this == DOCTOR_SPECIALIST || this == TECHNICAL_ACT || this == DENTAL || this == DOCTOR_GP;
    }
  }

  /** The families, weighted so that the line mix and the top codes by amount resemble a real month. */
  static final Family[] ALL = {
    // participations and franchises: ~15 % of lines, negative reimbursements (open-data-reference 1.5)
    new Family(1972, 6.0, Kind.FRANCHISE_PHARMACY, 50, 0, 100, 8),
    new Family(1971, 1.0, Kind.FRANCHISE_PHARMACY, 50, 0, 100, 8),
    new Family(1976, 3.0, Kind.FRANCHISE_AUXILIARY, 50, 0, 100, 8),
    new Family(1975, 0.5, Kind.FRANCHISE_AUXILIARY, 50, 0, 100, 8),
    new Family(1974, 0.5, Kind.FRANCHISE_TRANSPORT, 200, 0, 100, 2),
    new Family(1973, 0.3, Kind.FRANCHISE_TRANSPORT, 200, 0, 100, 2),
    new Family(1951, 2.3, Kind.PARTICIPATION, 100, 0, 100, 2),
    new Family(1952, 1.4, Kind.PARTICIPATION, 100, 0, 100, 2),
    // pharmacy: the first code by amount (3313)
    new Family(3313, 10.0, Kind.PHARMACY, 1500, 1.0, 65, 4),
    new Family(3311, 5.0, Kind.PHARMACY, 2500, 1.3, 100, 4),
    new Family(3312, 2.0, Kind.PHARMACY, 600, 0.8, 30, 3),
    new Family(3341, 1.0, Kind.PHARMACY, 500, 0.8, 15, 3),
    new Family(3366, 6.0, Kind.PHARMACY, 102, 0.2, 65, 4),
    new Family(3364, 2.0, Kind.PHARMACY, 102, 0.2, 65, 4),
    new Family(1110, 6.0, Kind.DOCTOR_GP, 3000, 0, 70, 2),
    new Family(1111, 2.0, Kind.DOCTOR_GP, 3000, 0, 70, 2),
    new Family(1112, 2.0, Kind.DOCTOR_SPECIALIST, 5000, 0.3, 70, 2),
    new Family(1103, 0.5, Kind.DOCTOR_SPECIALIST, 6000, 0.2, 70, 1),
    new Family(1191, 0.5, Kind.DOCTOR_GP, 3000, 0, 70, 1),
    new Family(1210, 0.5, Kind.DOCTOR_GP, 4000, 0.1, 70, 1),
    new Family(1352, 3.0, Kind.TECHNICAL_ACT, 6000, 1.0, 70, 2),
    new Family(1351, 2.0, Kind.TECHNICAL_ACT, 7000, 0.9, 70, 2),
    new Family(1324, 1.5, Kind.TECHNICAL_ACT, 5500, 0.5, 70, 2),
    new Family(1321, 0.5, Kind.TECHNICAL_ACT, 20000, 1.0, 70, 1),
    new Family(1323, 0.3, Kind.TECHNICAL_ACT, 15000, 0.8, 70, 1),
    new Family(3111, 6.0, Kind.NURSE, 630, 0.6, 60, 10),
    new Family(3116, 2.0, Kind.NURSE, 135, 0.1, 60, 10),
    new Family(1848, 3.0, Kind.NURSE, 275, 0.1, 60, 10),
    new Family(3122, 3.0, Kind.PHYSIO, 1720, 0.4, 60, 10),
    new Family(3132, 0.5, Kind.SPEECH, 2500, 0.4, 60, 8),
    new Family(3211, 6.0, Kind.LAB, 1800, 0.9, 60, 3),
    new Family(3223, 1.5, Kind.LAB, 500, 0.3, 60, 2),
    new Family(3514, 2.0, Kind.DEVICE, 4000, 1.2, 60, 3),
    new Family(3512, 1.0, Kind.DEVICE, 2000, 1.0, 100, 3),
    new Family(3515, 1.0, Kind.DEVICE, 1200, 0.8, 60, 5),
    new Family(3531, 0.5, Kind.DEVICE, 1000, 1.0, 60, 2),
    new Family(3521, 0.3, Kind.DEVICE, 5000, 1.0, 60, 1),
    new Family(4214, 1.0, Kind.TRANSPORT, 6000, 0.8, 65, 4),
    new Family(4212, 0.5, Kind.TRANSPORT, 15000, 0.7, 65, 2),
    new Family(4213, 0.3, Kind.TRANSPORT, 5000, 0.6, 65, 2),
    new Family(2111, 1.0, Kind.HOSPITAL, 250000, 1.2, 80, 1),
    new Family(2351, 0.5, Kind.HOSPITAL, 6000, 0.5, 100, 1),
    new Family(2251, 0.5, Kind.HOSPITAL, 2000, 0, 100, 10),
    new Family(2211, 0.5, Kind.HOSPITAL, 60000, 1.0, 80, 5),
    new Family(3320, 0.3, Kind.HOSPITAL, 80000, 1.5, 100, 1),
    new Family(6111, 0.8, Kind.ALLOWANCE, 4500, 0.4, 100, 30),
    new Family(6112, 0.4, Kind.ALLOWANCE, 5000, 0.4, 100, 30),
    new Family(6115, 0.2, Kind.ALLOWANCE, 6000, 0.4, 100, 30),
    new Family(6121, 0.1, Kind.ALLOWANCE, 6000, 0.3, 100, 30),
    new Family(7111, 0.3, Kind.PENSION, 90000, 0.5, 100, 1),
    new Family(8111, 0.2, Kind.ANNUITY, 50000, 0.8, 100, 1),
    new Family(1451, 1.5, Kind.DENTAL, 3000, 0.6, 70, 4),
    new Family(1454, 0.5, Kind.DENTAL, 2300, 0, 70, 1),
    new Family(1911, 0.3, Kind.MIDWIFE, 2500, 0.4, 100, 3),
    new Family(9511, 0.1, Kind.PREVENTION, 5000, 0.3, 100, 1),
  };
}
