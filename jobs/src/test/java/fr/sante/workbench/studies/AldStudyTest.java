package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.ingest.ald.IngestAldJob;
import fr.sante.workbench.ingest.population.IngestPopulationJob;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.ald.AldOptions;
import fr.sante.workbench.studies.ald.AldStudy;
import fr.sante.workbench.testing.SharedData;
import fr.sante.workbench.testing.TestSpark;
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

    StudyResult result = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out")));
    DerivedTable prevalence = result.derived("prevalence");
    assertThat(prevalence.column("territory")).containsExactly("01", "02"); // 03 has a masked stratum and no total
    assertThat(result.notes()).anyMatch(n -> n.startsWith("1 counts masked at the source"));

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
    assertThat(prevalence.column("rank")).containsExactly(y > y2 ? "1" : "2", y > y2 ? "2" : "1");
  }

  /** CNAM's real département series (2019, totals only) with INSEE's real estimates: crude rates only, nearest population year. */
  @Test
  void realAldSeriesGivesCrudeRates() throws Exception {
    Path xls = SharedData.require("ald/2019_ALD-prevalentes-par-departement_serie-annuelle.xls");
    Path population = SharedData.require("reference/population-departement-sexe-age5-2009-2014.csv");
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(population.toString()), lake));
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(xls.toString()), lake));
    StudyResult result = AldStudy.run(spark, AldOptions.of(lake, dir.resolve("out")).withAlds(List.of(8)));
    assertThat(result.notes()).anyMatch(n -> n.contains("no age-sex strata")).anyMatch(n -> n.contains("2014"));
    DerivedTable prevalence = result.derived("prevalence");
    assertThat(prevalence.rows().size()).isGreaterThan(90);
    for (int i = 0; i < prevalence.rows().size(); i++) {
      String crude = prevalence.column("crude_per_100k").get(i);
      if (!crude.isEmpty()) {
        // diabetes in ALD, régime général over the whole population: a few thousand per 100,000
        assertThat(Double.parseDouble(crude)).as(prevalence.column("territory_label").get(i)).isBetween(1_000.0, 15_000.0);
      }
    }
    assertThat(prevalence.column("standardised_per_100k")).allMatch(String::isEmpty);
    assertThat(prevalence.column("rank")).contains("1");
  }
}
