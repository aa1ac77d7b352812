package fr.sante.workbench.ingest.ald;

import java.math.BigDecimal;

/**
 * One normalised prevalence figure, before it becomes a row of {@code ald_prevalence}.
 *
 * @param persons the count, or null when the source masked it ({@code persons_masked})
 * @param stdRate100k the standardised rate per 100,000, or null when the source gives none
 */
record AldRow(
    int year,
    int aldCode,
    String geoLevel,
    String geoCode,
    int sex,
    String ageClass,
    Long persons,
    boolean personsMasked,
    int rounding,
    BigDecimal stdRate100k,
    boolean nonExhaustive) {

  AldRow withRate(BigDecimal rate) {
    return new AldRow(year, aldCode, geoLevel, geoCode, sex, ageClass, persons, personsMasked, rounding, rate, nonExhaustive);
  }
}
