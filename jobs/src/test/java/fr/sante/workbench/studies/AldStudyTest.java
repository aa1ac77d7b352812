package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.ingest.ald.IngestAldJob;
import fr.sante.workbench.ingest.population.IngestPopulationJob;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.ald.AldOptions;
import fr.sante.workbench.studies.ald.AldStudy;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.SharedData;
import fr.sante.workbench.testing.TestSpark;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AldStudyTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /** INSEE layout: 20 bands per sex (4, 9, …, 94, inf); {@code young} persons per band under 45, {@code old} from 45. */
  private static void population(StringBuilder out, String dep, int young, int old) {
    for (String sex : List.of("h", "f")) {
      for (int b = 0; b < 20; b++) {
        out.append(dep).append(";Dep ").append(dep).append(";2024;").append(sex).append(';').append(b == 19 ? "inf" : String.valueOf(b * 5 + 4)).append(';')
            .append(b < 9 ? young : old).append('\n');
      }
    }
  }

  private static String strata(String dep, String menYoung, String menOld, String womenYoung, String womenOld) {
    String row = "2024;8;DEP;" + dep + ";";
    return row + "1;0-44;" + menYoung + ";1;;false\n" + row + "1;45+;" + menOld + ";1;;false\n" + row + "2;0-44;" + womenYoung + ";1;;false\n" + row + "2;45+;"
        + womenOld + ";1;;false\n";
  }

  /**
   * Two départements with age-sex strata (0-44, 45+) and a third with a masked stratum. The expected rates are
   * computed here by the textbook formulas: ESP 2013 weights 54,000 (0-44) and 46,000 (45+), halved by sex.
   */
  @Test
  void crudeAndStandardisedPrevalenceWithIntervals() throws Exception {
    StringBuilder pop = new StringBuilder("dep;l_dep;annee;sexe;age_max_cat;value\n");
    population(pop, "01", 1000, 1000);
    population(pop, "02", 2000, 500);
    population(pop, "03", 1000, 1000);
    Path popFile = Files.writeString(dir.resolve("population.csv"), pop);
    String ald = "year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive\n"
        + strata("01", "20", "300", "15", "250") + strata("02", "40", "90", "30", "80") + strata("03", "<10", "300", "15", "250");
    Path aldFile = Files.writeString(dir.resolve("ald.csv"), ald);
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(popFile.toString()), lake));
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(aldFile.toString()), lake));

    // the fixture's population is INSEE-shaped: chosen by hand (the default, the counts' régime général, has none here)
    StudyResult result = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out"))
        .withPopulation(new PopulationChoice.Wanted(java.util.Optional.of("insee"), java.util.Optional.empty())));
    DerivedTable prevalence = result.derived("prevalence");
    // 03 has a masked stratum and no total: its count is unknown, never 0, and has no rate nor rank
    assertThat(prevalence.column("territory")).containsExactly("01", "02", "03");
    assertThat(prevalence.column("status").get(2)).isEqualTo("masked at the source");
    assertThat(prevalence.column("persons").get(2)).isEmpty();
    assertThat(prevalence.column("crude_per_100k").get(2)).isEmpty();
    assertThat(prevalence.column("rank").get(2)).isEmpty();
    assertThat(result.notes()).anyMatch(n -> n.startsWith("ALD 8: 1 of 3 départements masked at the source"));

    // 01: 585 cases in 40,000 people; strata (cases, people, weight): (20, 9000, 27000) (300, 11000, 23000) (15, 9000, 27000) (250, 11000, 23000)
    assertThat(prevalence.column("crude_per_100k").get(0)).isEqualTo("1462.5");
    double[][] strata = {{20, 9000, 27000}, {300, 11000, 23000}, {15, 9000, 27000}, {250, 11000, 23000}};
    double y = 0, v = 0, wm = 0;
    for (double[] s : strata) {
      double w = s[2] / (100_000 * s[1]);
      y += w * s[0];
      v += w * w * s[0];
      wm = Math.max(wm, w);
    }
    double low = new ChiSquaredDistribution(2 * y * y / v).inverseCumulativeProbability(0.025) * v / (2 * y);
    double high = new ChiSquaredDistribution(2 * (y + wm) * (y + wm) / (v + wm * wm)).inverseCumulativeProbability(0.975) * (v + wm * wm) / (2 * (y + wm));
    assertThat(Double.parseDouble(prevalence.column("standardised_per_100k").get(0))).isCloseTo(100_000 * y, within(0.05));
    assertThat(Double.parseDouble(prevalence.column("standardised_low95").get(0))).isCloseTo(100_000 * low, within(0.05));
    assertThat(Double.parseDouble(prevalence.column("standardised_high95").get(0))).isCloseTo(100_000 * high, within(0.05));
    // 02 is older-heavy in cases but younger in population: its standardised rate ranks it
    double y2 = (27000 * 40 / 18000.0 + 23000 * 90 / 5500.0 + 27000 * 30 / 18000.0 + 23000 * 80 / 5500.0) / 100_000;
    assertThat(Double.parseDouble(prevalence.column("standardised_per_100k").get(1))).isCloseTo(100_000 * y2, within(0.05));
    assertThat(prevalence.column("rank")).containsExactly(y > y2 ? "1" : "2", y > y2 ? "2" : "1", "");
  }

  /**
   * CNAM's real département series (2019, totals only, régime général) with the real INSEE estimates and RNIAM
   * protected population: the denominator is the régime général's, counts masked as {@code <10} stay masked (never
   * 0, no rate, no rank), ranks use CNAM's standardised rate. The oracle reads the two raw files here with POI and
   * plain string splitting, sharing no code with the ingest.
   */
  @Test
  void realAldSeriesUsesTheRegimeGeneralDenominatorAndKeepsMaskedCells() throws Exception {
    Path xls = SharedData.require("ald/2019_ALD-prevalentes-par-departement_serie-annuelle.xls");
    Path insee = SharedData.require("reference/population-departement-sexe-age5-2009-2014.csv");
    Path rg = SharedData.require("reference/population-protegee-rg-departement-2014.csv");
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(insee.toString(), rg.toString()), lake));
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(xls.toString()), lake));
    StudyResult result = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out")).withAlds(List.of(4, 8, 30)));
    assertThat(result.notes()).anyMatch(n -> n.contains("rg-protected 2014") && n.contains("regime-general"));
    DerivedTable prevalence = result.derived("prevalence");

    // the oracle: Ain's ALD 8 count from the counts sheet, Ain's RNIAM population summed from the CSV
    long ainCount = -1;
    long masked4 = 0;
    long small4 = 0;
    try (var book = org.apache.poi.ss.usermodel.WorkbookFactory.create(xls.toFile(), null, true)) {
      var sheet = book.getSheet("Prévalence_tableauVII_2019");
      int col8 = -1;
      int col4 = -1;
      for (var row : sheet) {
        for (var cell : row) {
          String text = cell.toString();
          if (text.contains("(ALD8)")) {
            col8 = cell.getColumnIndex();
          }
          if (text.contains("(ALD4)")) {
            col4 = cell.getColumnIndex();
          }
        }
        var first = row.getCell(0);
        String code = first == null ? "" : first.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC
            ? String.format(java.util.Locale.ROOT, "%02d", (int) first.getNumericCellValue()) : first.toString().trim();
        if (col8 >= 0 && code.equals("01")) {
          ainCount = Math.round(row.getCell(col8).getNumericCellValue());
        }
        if (col4 >= 0 && row.getCell(col4) != null && row.getCell(col4).toString().trim().startsWith("<")) {
          masked4++;
        }
        if (col4 >= 0 && code.matches("\\d\\d|2[AB]|97\\d") && row.getCell(col4) != null && row.getCell(col4).getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC
            && row.getCell(col4).getNumericCellValue() < 11) {
          small4++;
        }
      }
    }
    long ainPeople = 0;
    for (String line : Files.readAllLines(rg)) {
      String[] f = line.split(",");
      if (f[1].equals("01")) {
        for (int i = 2; i < f.length; i++) {
          ainPeople += Math.round(Double.parseDouble(f[i]));
        }
      }
    }
    assertThat(ainCount).isPositive();
    int ain = -1;
    for (int i = 0; i < prevalence.rows().size(); i++) {
      if (prevalence.column("ald").get(i).equals("8") && prevalence.column("territory").get(i).equals("01")) {
        ain = i;
      }
    }
    assertThat(prevalence.column("persons").get(ain)).isEqualTo(String.valueOf(ainCount));
    assertThat(prevalence.column("population").get(ain)).isEqualTo(String.valueOf(ainPeople));
    assertThat(Double.parseDouble(prevalence.column("crude_per_100k").get(ain))).isCloseTo(100_000.0 * ainCount / ainPeople, within(0.05));
    // the reviewer's independent figure: 4999 per 100,000 with the RG denominator (3871.5 with INSEE's)
    assertThat(Double.parseDouble(prevalence.column("crude_per_100k").get(ain))).isCloseTo(4999, within(1.0));
    assertThat(prevalence.column("cnam_standardised_per_100k").get(ain)).isNotEmpty();

    // ALD 4: every cell the source masks is masked here, never a 0, never a rate or a rank
    long maskedHere = 0;
    for (int i = 0; i < prevalence.rows().size(); i++) {
      if (prevalence.column("status").get(i).equals("masked at the source")) {
        assertThat(prevalence.column("persons").get(i)).isEmpty();
        assertThat(prevalence.column("crude_per_100k").get(i)).isEmpty();
        assertThat(prevalence.column("rank").get(i)).isEmpty();
        maskedHere += prevalence.column("ald").get(i).equals("4") ? 1 : 0;
      }
      assertThat(prevalence.column("persons").get(i)).isNotEqualTo("0");
    }
    assertThat(masked4).isPositive();
    assertThat(maskedHere).isEqualTo(masked4);
    String maskedText = String.valueOf(masked4);
    assertThat(result.derived("hidden-by-ald").rows()).anyMatch(r -> r.get(0).equals("4") && r.get(2).equals(maskedText));
    // the report's account of what could not be published: every masked département of ALD 4 and the Total summing them
    List<String> completeness4 = result.derived("completeness").rows().stream().filter(r -> r.get(0).equals("tables/ald-4-by-territory")).findFirst().orElseThrow();
    assertThat(completeness4.get(3)).isEqualTo(String.valueOf(masked4 + 1));
    assertThat(Long.parseLong(completeness4.get(6))).isGreaterThanOrEqualTo(masked4 + 1);
    assertThat(result.derived("completeness").rows()).anyMatch(r -> r.get(0).equals("report/prevalence.csv") && Long.parseLong(r.get(6)) > 0);

    // one table per ALD: ALD 8's figures do not depend on the other ALDs asked for (no margin over ALDs hides its cells
    // to protect ALD 4's), and CNAM's own counts, all in the thousands, are published for (nearly) every département
    StudyResult alone = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out-8")).withAlds(List.of(8)));
    DerivedTable eight = alone.derived("prevalence");
    List<List<String>> withOthers = prevalence.rows().stream().filter(r -> r.get(0).equals("8")).toList();
    assertThat(eight.rows()).isEqualTo(withOthers);
    long departements = eight.rows().stream().filter(r -> r.get(1).matches("\\d\\d|2[AB]|97\\d")).count();
    long published = eight.rows().stream().filter(r -> r.get(4).equals("published") && !r.get(6).isEmpty()).count();
    assertThat(departements).isGreaterThanOrEqualTo(100);
    assertThat(published).as("ALD 8 départements with a published crude rate").isGreaterThanOrEqualTo(95);
    assertThat(alone.tables()).extracting(StudyTable::name).contains("ald-8-by-territory").noneMatch(n -> n.contains("ald-4"));
    assertThat(result.tables()).extracting(StudyTable::name).contains("ald-4-by-territory", "ald-8-by-territory", "ald-30-by-territory");

    // the DPO declares CNAM's series public at its own granularity: CNAM's small but published counts of ALD 4 (10) are
    // then published as they are, never suppressed; what CNAM masked stays masked
    assertThat(small4).as("ALD 4 départements whose published count is below 11 in the .xls").isPositive();
    String home = System.getProperty("user.home");
    try {
      System.setProperty("user.home", dir.resolve("dpo").toString());
      fr.sante.workbench.anonymisation.AuditKey key = fr.sante.workbench.anonymisation.AuditKey.create(fr.sante.workbench.anonymisation.AuditKey.location(java.util.Map.of()));
      fr.sante.workbench.anonymisation.DpoPolicy d = fr.sante.workbench.anonymisation.DpoPolicy.DEFAULT;
      fr.sante.workbench.anonymisation.AuditLog.setFloor(spark, lake.tablePath(Lake.AUDIT_LOG),
          new fr.sante.workbench.anonymisation.DpoPolicy(d.minCount(), d.zeros(), d.rounding(), null, d.k(), List.of(),
              java.util.Map.of("ald_prevalence", lake.registerPinnedViews(spark).get(Lake.ALD_PREVALENCE))), key, "dpo");
      StudyResult declared = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out-public")).withAlds(List.of(4)));
      List<List<String>> four = declared.derived("prevalence").rows();
      long smallPublished = four.stream().filter(r -> r.get(4).equals("published") && !r.get(3).isEmpty() && Long.parseLong(r.get(3)) < 11).count();
      assertThat(smallPublished).isEqualTo(small4);
      assertThat(four.stream().filter(r -> r.get(4).equals("masked at the source")).count()).isEqualTo(masked4);
      assertThat(four.stream().filter(r -> r.get(4).equals("suppressed by the gate")).count()).isZero();
      assertThat(Files.readString(declared.table("ald-4-by-territory").export().manifest())).contains("\"public_source\" : \"ald_prevalence: CNAM");
    } finally {
      System.setProperty("user.home", home);
    }

    // INSEE chosen by hand: the report says the schemes differ
    StudyResult insee2 = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out-insee")).withAlds(List.of(8))
        .withPopulation(new PopulationChoice.Wanted(java.util.Optional.of("insee"), java.util.Optional.empty())));
    assertThat(insee2.notes()).anyMatch(n -> n.contains("insee-estimates 2014") && n.contains("chosen by --population"));
  }

  /** A lake with ALD 8 in four age-sex strata of département 01 and an INSEE-shaped population of 01. */
  private Lake oneDepartementLake() throws java.io.IOException {
    StringBuilder pop = new StringBuilder("dep;l_dep;annee;sexe;age_max_cat;value\n");
    population(pop, "01", 1000, 1000);
    Path popFile = Files.writeString(dir.resolve("population.csv"), pop);
    Path aldFile = Files.writeString(dir.resolve("ald.csv"),
        "year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive\n" + strata("01", "20", "300", "15", "250"));
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(popFile.toString()), lake));
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(aldFile.toString()), lake));
    return lake;
  }

  /**
   * The share of reimbursement under ALD exemption reads the Open DAMIR studies' scope only (TOP_PS5_TRG = 1): the
   * lines of scope 0 and 9, which carry large ALD and non-ALD amounts here, must not move it. The expected shares
   * are summed here from the fixture lines.
   */
  @Test
  void aldShareOfReimbursementUsesTheMonthlyStatisticsScopeOnly() throws Exception {
    Lake lake = oneDepartementLake();
    java.util.Map<String, String> base = DamirFixtures.baseLine(202401);
    List<java.util.Map<String, String>> lines = new java.util.ArrayList<>();
    // scope 1: ALD (EXO_MTF 41 and 45), no exemption (0, 62), unknown (99); scope 9 and 0: large amounts that would move the share
    String[][] kinds = {{"1", "41", "50.25"}, {"1", "45", "30"}, {"1", "0", "20.10"}, {"1", "62", "7"}, {"1", "99", "10"}, {"9", "42", "1000"}, {"0", "0", "300"}};
    for (String[] kind : kinds) {
      for (int i = 0; i < 12; i++) {
        lines.add(DamirFixtures.with(base, "TOP_PS5_TRG", kind[0], "EXO_MTF", kind[1], "FLT_REM_MNT", kind[2]));
      }
    }
    Files.createDirectories(dir.resolve("raw"));
    Path raw = DamirFixtures.write(dir.resolve("raw").resolve("A202401.csv"), DamirFixtures.header(fr.sante.workbench.schemas.Variant.REG),
        lines.stream().map(DamirFixtures::render).toList());
    fr.sante.workbench.ingest.damir.IngestDamirJob.run(spark, fr.sante.workbench.ingest.damir.IngestDamirOptions.of(List.of(raw.toString()), lake));

    BigDecimal ald = BigDecimal.ZERO;
    BigDecimal known = BigDecimal.ZERO;
    BigDecimal all = BigDecimal.ZERO;
    for (java.util.Map<String, String> line : lines) {
      if (!line.get("TOP_PS5_TRG").equals("1")) {
        continue;
      }
      int exo = Integer.parseInt(line.get("EXO_MTF"));
      BigDecimal amount = new BigDecimal(line.get("FLT_REM_MNT"));
      all = all.add(amount);
      known = exo == 99 ? known : known.add(amount);
      ald = exo >= 41 && exo <= 46 ? ald.add(amount) : ald;
    }

    StudyResult result = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out"))
        .withPopulation(new PopulationChoice.Wanted(java.util.Optional.of("insee"), java.util.Optional.empty())));
    DerivedTable shares = result.derived("ald-expenditure-share");
    int region = shares.column("region").indexOf("84");
    assertThat(new BigDecimal(shares.column("ald_reimbursed_eur").get(region))).isEqualByComparingTo(ald);
    assertThat(new BigDecimal(shares.column("known_reimbursed_eur").get(region))).isEqualByComparingTo(known);
    assertThat(new BigDecimal(shares.column("all_reimbursed_eur").get(region))).isEqualByComparingTo(all);
    assertThat(shares.column("ald_share_of_known_pct").get(region))
        .isEqualTo(ald.multiply(BigDecimal.valueOf(100)).divide(known, 2, RoundingMode.HALF_EVEN).toPlainString());
    assertThat(shares.column("ald_share_of_all_pct").get(region))
        .isEqualTo(ald.multiply(BigDecimal.valueOf(100)).divide(all, 2, RoundingMode.HALF_EVEN).toPlainString());
    assertThat(shares.method()).contains("TOP_PS5_TRG = 1");
    StudyTable share = result.table(AldStudy.SHARE);
    assertThat(share.title()).contains("TOP_PS5_TRG = 1");
    assertThat(share.total().orElseThrow().count().getAsLong()).as("lines in scope").isEqualTo(5 * 12);
  }

  /** With only INSEE's population in the lake, ALD counts (régime général) get no rate, and the report says why. */
  @Test
  void noRateWithoutAPopulationOfTheCountsScheme() throws Exception {
    Lake lake = oneDepartementLake();
    StudyResult result = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out")).withPopulation(
        new PopulationChoice.Wanted(java.util.Optional.of("rg-protected"), java.util.Optional.empty())));
    assertThat(result.notes()).anyMatch(n -> n.startsWith("no rates: the lake has no population rg-protected") && n.contains("insee-estimates 2024"));
    assertThat(result.derived("prevalence").column("crude_per_100k")).allMatch(String::isEmpty);
  }
}
