package fr.sante.workbench.studies;

import static fr.sante.workbench.testing.DamirFixtures.baseLine;
import static fr.sante.workbench.testing.DamirFixtures.render;
import static fr.sante.workbench.testing.DamirFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.ExportVerification;
import fr.sante.workbench.anonymisation.PublishedTable;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import fr.sante.workbench.studies.model.ModelOptions;
import fr.sante.workbench.studies.model.ModelStudy;
import fr.sante.workbench.studies.prescription.PrescriptionStudy;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudiesTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private Lake ingest(Map<Integer, List<String>> linesByMonth) throws java.io.IOException {
    Files.createDirectories(dir.resolve("raw"));
    Lake lake = new Lake(dir.resolve("lake").toString());
    List<String> files = new ArrayList<>();
    linesByMonth.forEach((month, lines) -> files.add(DamirFixtures.write(dir.resolve("raw").resolve("A" + month + ".csv"), DamirFixtures.header(Variant.REG), lines).toString()));
    IngestDamirJob.run(spark, IngestDamirOptions.of(files, lake));
    return lake;
  }

  private static List<String> times(int n, Map<String, String> line) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(render(line));
    }
    return out;
  }

  /**
   * Three months of lines with known amounts; the growth rates and reimbursement rates below are computed
   * by hand: January 12 × 21.00 = 252.00 reimbursed of 12 × 30.00 = 360.00 spent (70.00 %); February
   * 15 × 25.50 = 382.50 of 600.00 (63.75 %), +51.79 % on January; March 12 × 18.25 = 219.00 of 240.00
   * (91.25 %), −42.75 % on February. Out of scope: a TOP_PS5_TRG = 9 line and a placeholder care date.
   */
  @Test
  void expenditureGrowthAndRatesFromThePublishedTable() throws Exception {
    List<String> jan = times(12, baseLine(202401));
    jan.add(render(with(baseLine(202401), "TOP_PS5_TRG", "9", "FLT_REM_MNT", "1000")));
    jan.add(render(with(baseLine(202401), "SOI_ANN", "0000", "SOI_MOI", "00", "FLT_REM_MNT", "500")));
    List<String> feb = times(15, with(baseLine(202402), "FLT_REM_MNT", "25.50", "FLT_PAI_MNT", "40"));
    List<String> mar = times(12, with(baseLine(202403), "FLT_REM_MNT", "18.25", "FLT_PAI_MNT", "20"));
    Lake lake = ingest(new java.util.TreeMap<>(Map.of(202401, jan, 202402, feb, 202403, mar)));
    StudyResult result =
        ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, dir.resolve("out")).withBreakdowns(List.of(List.of(DamirAxis.REGION))));

    DerivedTable monthly = result.derived("monthly");
    assertThat(monthly.column("month")).containsExactly("2024-01", "2024-02", "2024-03");
    assertThat(monthly.column("reimbursed_eur")).containsExactly("252.00", "382.50", "219.00");
    assertThat(monthly.column("reimbursement_rate_pct")).containsExactly("70.00", "63.75", "91.25");
    assertThat(monthly.column("reimbursed_mom_pct")).containsExactly("", "51.79", "-42.75");
    assertThat(monthly.column("reimbursed_yoy_pct")).containsExactly("", "", "");
    assertThat(result.notes()).anyMatch(n -> n.startsWith("fewer than 11 lines in scope have a placeholder care date"));
    // the published files pass the DPO's re-check, and each has its audit entry
    for (StudyTable table : result.tables()) {
      assertThat(ExportVerification.verifyFolder(spark, lake.tablePath(Lake.AUDIT_LOG), table.published().folder()).problems()).isEmpty();
    }
    assertThat(AuditLog.verify(spark, lake.tablePath(Lake.AUDIT_LOG))).isEmpty();
    assertThat(Files.readString(result.report())).contains("Expenditure", "charts/monthly.svg", "51.79");
    assertThat(result.charts()).allMatch(c -> Files.exists(c.png()) && Files.exists(c.svg()));
    assertThat(result.table("by-region").total().orElseThrow().count().getAsLong()).isEqualTo(39);
  }

  /**
   * Per inhabitant, a margin's numerator covers the people its denominator counts: the Total leaves out the lines of
   * region 99 (unknown residence), which have no population. By hand: 12 × 21.00 = 252.00 in region 84 (Ain's 1,000
   * people, 25 per band), 12 × 10.00 in region 99; Total = 252.00 / 1,000 = 0.25, not 372.00 / 1,000.
   */
  @Test
  void perInhabitantTotalLeavesOutLinesWithoutAPopulation() throws Exception {
    List<String> jan = times(12, baseLine(202401));
    jan.addAll(times(12, with(baseLine(202401), "BEN_RES_REG", "99", "FLT_REM_MNT", "10")));
    Lake lake = ingest(Map.of(202401, jan));
    StringBuilder pop = new StringBuilder("dep;l_dep;annee;sexe;age_max_cat;value\n");
    for (String sex : List.of("h", "f")) {
      for (int b = 0; b < 20; b++) {
        pop.append("01;Ain;2024;").append(sex).append(';').append(b == 19 ? "inf" : String.valueOf(b * 5 + 4)).append(";25\n");
      }
    }
    Path popFile = Files.writeString(dir.resolve("population.csv"), pop);
    fr.sante.workbench.ingest.population.IngestPopulationJob.run(spark, new fr.sante.workbench.ingest.population.IngestPopulationJob.Options(List.of(popFile.toString()), lake));
    StudyResult result =
        ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, dir.resolve("out")).withBreakdowns(List.of(List.of(DamirAxis.REGION))));
    DerivedTable byRegion = result.derived("by-region");
    int total = byRegion.column("region").indexOf(StudyTable.TOTAL);
    int ain = byRegion.column("region").indexOf("84");
    assertThat(byRegion.column("reimbursed_eur").get(total)).isEqualTo("372.00");
    assertThat(byRegion.column("population").get(total)).isEqualTo("1000");
    assertThat(byRegion.column("reimbursed_per_inhabitant_eur").get(total)).isEqualTo("0.25");
    assertThat(byRegion.column("reimbursed_per_inhabitant_eur").get(ain)).isEqualTo("0.25");
    assertThat(result.notes()).anyMatch(n -> n.contains("insee-estimates 2024") && n.contains("all-schemes"));
  }

  /** Only pharmacy lines dispensed by a pharmacist, by rate class; the 65 % class is the PRS_REM_TAU = 65 lines. */
  /** Breakdowns that share dimensions and span more than the gate protects together are refused before anything is published. */
  @Test
  void breakdownsLinkedOverMoreThanFourDimensionsAreRefusedBeforePublishing() throws Exception {
    Lake lake = ingest(new java.util.TreeMap<>(Map.of(202401, times(12, baseLine(202401)))));
    var options =
        ExpenditureStudy.options(lake, dir.resolve("out5"))
            .withBreakdowns(List.of(List.of(DamirAxis.REGION, DamirAxis.AGE, DamirAxis.SEX), List.of(DamirAxis.FAMILY, DamirAxis.REGION), List.of(DamirAxis.SPECIALITY, DamirAxis.AGE)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExpenditureStudy.run(spark, options))
        .hasMessageContaining("span 5")
        .hasMessageContaining("by-region-age-sex, by-family-region, by-speciality-age")
        .hasMessageContaining("nothing was published");
    assertThat(lake.exists(spark, Lake.AUDIT_LOG)).isFalse();
    assertThat(dir.resolve("out5/tables")).doesNotExist();
  }

  @Test
  void prescriptionKeepsPharmacyLinesByRateClass() throws Exception {
    Map<String, String> pharmacy = with(baseLine(202401), "PRS_NAT", "3313", "PSE_ACT_SNDS", "50", "PRS_REM_TAU", "65", "FLT_REM_MNT", "6.50", "FLT_PAI_MNT", "10");
    List<String> lines = times(12, pharmacy);
    lines.addAll(times(13, with(pharmacy, "PRS_NAT", "3311", "PRS_REM_TAU", "100", "FLT_REM_MNT", "10")));
    lines.addAll(times(20, baseLine(202401))); // a consultation: not pharmacy
    lines.addAll(times(11, with(pharmacy, "PSE_ACT_SNDS", "60"))); // a 33xx code not dispensed by a pharmacist
    Lake lake = ingest(Map.of(202401, lines));
    StudyResult result = PrescriptionStudy.run(spark, PrescriptionStudy.options(lake, dir.resolve("out")).withBreakdowns(List.of(List.of(DamirAxis.RATE_CLASS))));
    StudyTable byRate = result.table("by-rate-class");
    assertThat(byRate.cell("65").orElseThrow().count().getAsLong()).isEqualTo(12);
    assertThat(byRate.cell("65").orElseThrow().amount(DamirFigures.REIMBURSED).orElseThrow()).isEqualByComparingTo("78.00");
    assertThat(byRate.cell("100").orElseThrow().count().getAsLong()).isEqualTo(13);
    assertThat(byRate.total().orElseThrow().count().getAsLong()).isEqualTo(25);
  }

  /**
   * Boxes and fee units apart: the fixture's in-scope pharmacy lines (PRS_NAT 33xx, pharmacist, TOP_PS5_TRG = 1) are
   * summed here per kind, the kinds of its codes read from their code-list labels (3313 PHARMACIE 65%, 3366 and
   * 3386 HONORAIRES DE DISPENSATION, 3361 GARDE PHARMACIE NUIT; 3380 is missing from the code list). Lines out of
   * scope, of another professional or outside 33xx must not count.
   */
  @Test
  void prescriptionPublishesQuantitiesByPharmacyLineKind() throws Exception {
    Map<String, String> pharmacy = with(baseLine(202401), "PSE_ACT_SNDS", "50", "PRS_REM_TAU", "65", "FLT_REM_MNT", "1.30", "FLT_PAI_MNT", "2");
    Map<String, String> kindOfCode =
        Map.of("3313", "medicines", "3366", "dispensing-fees", "3386", "dispensing-fees", "3361", "other-pharmacist-fees", "3380", "other-or-unknown");
    List<Map<String, String>> fixture = new ArrayList<>();
    int[][] codesAndLines = {{3313, 14}, {3366, 12}, {3386, 11}, {3361, 13}, {3380, 12}};
    for (int[] codeAndLines : codesAndLines) {
      for (int i = 0; i < codeAndLines[1]; i++) {
        String quantity = String.valueOf(1 + (i * 7 + codeAndLines[0]) % 5);
        fixture.add(with(pharmacy, "PRS_NAT", String.valueOf(codeAndLines[0]), "FLT_ACT_QTE", quantity, "PRS_ACT_QTE", quantity));
      }
    }
    for (int i = 0; i < 11; i++) {
      fixture.add(with(pharmacy, "PRS_NAT", "3366", "FLT_ACT_QTE", "40", "TOP_PS5_TRG", "9")); // out of scope
      fixture.add(with(pharmacy, "PRS_NAT", "3313", "FLT_ACT_QTE", "50", "PSE_ACT_SNDS", "60")); // not a pharmacist
      fixture.add(with(baseLine(202401), "FLT_ACT_QTE", "60")); // a consultation
    }
    Lake lake = ingest(Map.of(202401, fixture.stream().map(DamirFixtures::render).toList()));

    Map<String, java.math.BigDecimal> expectedQuantity = new java.util.TreeMap<>();
    Map<String, Long> expectedLines = new java.util.TreeMap<>();
    for (Map<String, String> line : fixture) {
      int code = Integer.parseInt(line.get("PRS_NAT"));
      if (code >= 3300 && code <= 3399 && line.get("PSE_ACT_SNDS").equals("50") && line.get("TOP_PS5_TRG").equals("1")) {
        String kind = kindOfCode.get(line.get("PRS_NAT"));
        expectedQuantity.merge(kind, new java.math.BigDecimal(line.get("FLT_ACT_QTE")), java.math.BigDecimal::add);
        expectedLines.merge(kind, 1L, Long::sum);
      }
    }
    java.math.BigDecimal allQuantity = expectedQuantity.values().stream().reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);

    // the default breakdowns replaced by one: by-pharmacy-line is published all the same
    StudyResult result = PrescriptionStudy.run(spark, PrescriptionStudy.options(lake, dir.resolve("out")).withBreakdowns(List.of(List.of(DamirAxis.RATE_CLASS))));
    StudyTable byKind = result.table(PrescriptionStudy.BY_PHARMACY_LINE);
    assertThat(byKind.name()).isEqualTo("by-pharmacy-line");
    assertThat(byKind.inner()).extracting(c -> c.key().get(0)).containsExactlyInAnyOrderElementsOf(expectedQuantity.keySet());
    for (String kind : expectedQuantity.keySet()) {
      PublishedTable.Cell cell = byKind.cell(kind).orElseThrow();
      assertThat(cell.suppressed()).as(kind).isFalse();
      assertThat(cell.amount(DamirFigures.QUANTITY).orElseThrow()).as("quantity of %s", kind).isEqualByComparingTo(expectedQuantity.get(kind));
      assertThat(cell.count().getAsLong()).as("lines of %s", kind).isEqualTo(expectedLines.get(kind));
    }
    // the other tables' quantity adds them all, and their method says so
    assertThat(result.table("by-rate-class").total().orElseThrow().amount(DamirFigures.QUANTITY).orElseThrow()).isEqualByComparingTo(allQuantity);
    assertThat(result.derived("by-rate-class").method()).contains("adds boxes of medicines and dispensing-fee units", "table by-pharmacy-line")
        .contains("PRS_REM_TAU, the reimbursement rate applied to the line");
    assertThat(result.derived("monthly").method()).contains("table by-pharmacy-line");
    assertThat(result.derived("by-pharmacy-line").method()).doesNotContain("gives them apart").contains("dispensing-fees (HONORAIRES DE DISPENSATION");
    assertThat(result.derived("by-pharmacy-line").column("pharmacy_line_label")).contains("Dispensing fees (HONORAIRES DE DISPENSATION: quantity counts fees, not boxes)");
    assertThat(Files.readString(result.report())).contains("by-pharmacy-line");
  }

  /**
   * A reimbursement rate above the applied rate is explained, not an error: at a 100 % rate, complement lines
   * (PRS_REM_TYP = 1) add FLT_REM_MNT with FLT_PAI_MNT = 0 (reference §1.4). The expected rate is summed here from the
   * fixture lines.
   */
  @Test
  void reimbursementRateAboveTheAppliedRateIsExplained() throws Exception {
    Map<String, String> boxes = with(baseLine(202401), "PRS_NAT", "3311", "PSE_ACT_SNDS", "50", "PRS_REM_TAU", "100", "FLT_REM_MNT", "12.40", "FLT_PAI_MNT", "12.40");
    List<Map<String, String>> fixture = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      fixture.add(boxes);
      fixture.add(with(boxes, "PRS_REM_TYP", "1", "FLT_PAI_MNT", "0", "FLT_ACT_QTE", "0", "FLT_REM_MNT", "0.62"));
    }
    Lake lake = ingest(Map.of(202401, fixture.stream().map(DamirFixtures::render).toList()));
    java.math.BigDecimal reimbursed = fixture.stream().map(l -> new java.math.BigDecimal(l.get("FLT_REM_MNT"))).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    java.math.BigDecimal spent = fixture.stream().map(l -> new java.math.BigDecimal(l.get("FLT_PAI_MNT"))).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    String expected = reimbursed.multiply(java.math.BigDecimal.valueOf(100)).divide(spent, 2, java.math.RoundingMode.HALF_EVEN).toPlainString();

    StudyResult result = PrescriptionStudy.run(spark, PrescriptionStudy.options(lake, dir.resolve("out")).withBreakdowns(List.of(List.of(DamirAxis.RATE_CLASS))));
    DerivedTable byRate = result.derived("by-rate-class");
    assertThat(expected).isEqualTo("105.00");
    assertThat(byRate.column("reimbursement_rate_pct").get(byRate.column("rate_class").indexOf("100"))).isEqualTo(expected);
    assertThat(byRate.method()).contains("reimbursement_rate_pct can exceed the rate applied", "PRS_REM_TYP = 1");
    assertThat(result.derived("monthly").method()).contains("reimbursement_rate_pct can exceed the rate applied");
  }

  /**
   * Simulated lines whose reimbursement is 10 € × 2 (age 60-69 vs 0-19) × 1.5 (women) × 0.8 (region 84 vs
   * 11) × 3 (pharmacy vs consultations), with ±10 % noise and up to ±2 % that does not cancel within a cell: the GLM
   * must recover log 2, log 1.5, log 0.8 and log 3 within 0.02 (ModelStudyTest checks the fit itself to 1e-6).
   */
  @Test
  void glmRecoversKnownCoefficients() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String age : List.of("0", "60")) {
      for (String sex : List.of("1", "2")) {
        for (String region : List.of("11", "84")) {
          for (String nat : List.of("1110", "3313")) {
            double mean = 10 * (age.equals("60") ? 2 : 1) * (sex.equals("2") ? 1.5 : 1) * (region.equals("84") ? 0.8 : 1) * (nat.equals("3313") ? 3 : 1);
            for (int i = 0; i < 12; i++) {
              // noise that does not cancel within a cell: an exact fit would give back every cell's mean, and the gate refuses it
              double noise = 1 + 0.02 * Math.sin(lines.size() * 1.7);
              String amount = new java.math.BigDecimal(mean * noise * (i % 2 == 0 ? 0.9 : 1.1)).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
              lines.add(render(with(baseLine(202401), "AGE_BEN_SNDS", age, "BEN_SEX_COD", sex, "BEN_RES_REG", region, "PRS_NAT", nat, "FLT_REM_MNT", amount)));
            }
          }
        }
      }
    }
    Lake lake = ingest(Map.of(202401, lines));
    StudyResult result = ModelStudy.run(spark, ModelOptions.of(lake, dir.resolve("out")));
    DerivedTable coefficients = result.derived("coefficients");
    Map<String, Double> expected = Map.of("age=60", Math.log(2), "sex=2", Math.log(1.5), "region=84", Math.log(0.8), "family=pharmacy", Math.log(3), "(intercept)", Math.log(10));
    assertThat(coefficients.column("term")).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (int i = 0; i < coefficients.rows().size(); i++) {
      String term = coefficients.column("term").get(i);
      assertThat(Double.parseDouble(coefficients.column("estimate").get(i))).as(term).isCloseTo(expected.get(term), within(0.02));
    }
  }
}
