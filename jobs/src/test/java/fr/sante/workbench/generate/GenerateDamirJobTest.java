package fr.sante.workbench.generate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.generate.GenerateDamirJob.GeneratedFile;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.ingest.damir.IngestDamirResult;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated months pass the ingest with zero rejects, and their shares match the real month A202501 as the
 * reference measured it (open-data-reference.md 1.4-1.6): the expected figures below are the reference's.
 */
class GenerateDamirJobTest {
  private static final int ROWS = 200_000;
  private static final YearMonth MONTH = YearMonth.of(2024, 3);
  @TempDir static Path dir;
  private static Dataset<Row> damir;
  private static IngestDamirResult ingest;
  private static long rows;

  @BeforeAll
  static void generateAndIngest() {
    SparkSession spark = TestSpark.session();
    List<GeneratedFile> files = GenerateDamirJob.run(GenerateDamirOptions.of(MONTH, MONTH, ROWS, 99, dir.resolve("raw")));
    Lake lake = new Lake(dir.resolve("lake").toString());
    ingest = IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(files.get(0).path().toString()), lake));
    damir = lake.read(spark, Lake.DAMIR).cache();
    rows = damir.count();
  }

  private static double share(Column condition) {
    return damir.filter(condition).count() / (double) rows;
  }

  @Test
  void passesTheIngestWithZeroRejectsAndOnlyKnownCodes() {
    assertThat(ingest.rowsRead()).isEqualTo(ROWS);
    assertThat(ingest.rowsRejected()).isZero();
    assertThat(ingest.files().get(0).unknownCodeRows()).as("codes missing from the code lists").isEmpty();
  }

  @Test
  void reproducesTheUnknownBlockEstablishmentsEmptyCountsAndFranchises() {
    assertThat(share(col("PRS_REM_TYP").equalTo(99))).as("unknown block").isCloseTo(14_826_306.0 / 36_640_259, within(0.01));
    Column block = col("PRS_REM_TYP").equalTo(99);
    assertThat(share(block.notEqual(col("EXO_MTF").equalTo(99)))).isZero();
    assertThat(share(block.notEqual(col("MTM_NAT").equalTo(9)))).isZero();
    assertThat(share(block.notEqual(col("TOP_PS5_TRG").equalTo(9)))).isZero();
    assertThat(share(col("ETE_TYP_SNDS").equalTo(99))).as("no establishment").isCloseTo(29_579_197.0 / 36_640_259, within(0.01));
    assertThat(share(col("PRS_ACT_NBR").isNull())).as("empty PRS_ACT_NBR").isCloseTo(3_682_319.0 / 36_640_259, within(0.01));
    assertThat(share(col("FLT_REM_MNT").lt(0))).as("negative FLT_REM_MNT").isCloseTo(5_600_345.0 / 36_640_259, within(0.015));
  }

  @Test
  void reproducesAgeAndRegionWeights() {
    Map<Integer, Double> ages = Map.of(0, 4083931.0, 20, 3679173.0, 50, 4803840.0, 70, 5777861.0, 80, 4887730.0);
    for (Map.Entry<Integer, Double> age : ages.entrySet()) {
      assertThat(share(col("AGE_BEN_SNDS").equalTo(age.getKey()))).as("age " + age.getKey()).isCloseTo(age.getValue() / 36_640_259, within(0.005));
    }
    Map<Integer, Double> regions = Map.of(11, 4142722.0, 99, 3115959.0, 5, 1276470.0, 93, 3050123.0);
    for (Map.Entry<Integer, Double> region : regions.entrySet()) {
      assertThat(share(col("BEN_RES_REG").equalTo(region.getKey())))
          .as("region " + region.getKey())
          .isCloseTo(region.getValue() / 36_640_259, within(0.005));
    }
  }

  @Test
  void reproducesTheCareMonthLag() {
    // months between processing and care: 0 48.1 %, 1 27.9 %, 2 8.2 %, 3 4.2 %, older 11.6 %
    Column lag = lit(MONTH.getYear() * 12 + MONTH.getMonthValue() - 1)
        .minus(col("SOI_ANN").cast("int").multiply(12).plus(col("SOI_MOI").cast("int")).minus(1));
    Column dated = col("CARE_MONTH").isNotNull();
    assertThat(share(dated.and(lag.equalTo(0)))).isCloseTo(0.481, within(0.01));
    assertThat(share(dated.and(lag.equalTo(1)))).isCloseTo(0.279, within(0.01));
    assertThat(share(dated.and(lag.equalTo(2)))).isCloseTo(0.082, within(0.01));
    assertThat(share(dated.and(lag.equalTo(3)))).isCloseTo(0.042, within(0.01));
    assertThat(share(dated.and(lag.geq(4)))).isCloseTo(0.116, within(0.01));
    assertThat(share(dated.and(lag.lt(0)))).as("care after processing").isZero();
    assertThat(share(col("SOI_ANN").equalTo("0000").and(col("SOI_MOI").equalTo("00")))).isGreaterThan(0).isLessThan(0.002);
  }

  @Test
  void keepsTheIdentitiesBetweenGrossAndPrefilteredIndicators() {
    Column copied = col("PRS_REM_TYP").isin(0, 99);
    for (String measure : List.of("ACT_COG", "ACT_QTE", "PAI_MNT", "DEP_MNT", "REM_MNT")) {
      Column flt = col("FLT_" + measure);
      Column prs = col("PRS_" + measure);
      Column keepsRem = measure.equals("REM_MNT") ? col("PRS_REM_TYP").isin(0, 1, 99) : copied;
      assertThat(damir.filter(keepsRem.and(flt.notEqual(prs))).count()).as("FLT_%s = PRS_%s on reference lines", measure, measure).isZero();
      assertThat(damir.filter(org.apache.spark.sql.functions.not(keepsRem).and(flt.notEqual(lit(0)))).count()).as("FLT_%s = 0 elsewhere", measure).isZero();
    }
    Column legal = copied.and(col("PRS_REM_BSE").gt(0));
    Column expected = round(col("PRS_REM_BSE").multiply(col("PRS_REM_TAU")).divide(100), 2);
    assertThat(damir.filter(legal.and(abs(col("PRS_REM_MNT").minus(expected)).gt(0.011))).count()).as("REM = BSE x TAU").isZero();
    Column fees = col("PRS_NAT").isin(1110, 1111, 1112, 1103, 1352, 1351, 1324, 1451).and(copied);
    assertThat(damir.filter(fees.and(col("PRS_PAI_MNT").notEqual(col("PRS_REM_BSE").plus(col("PRS_DEP_MNT"))))).count())
        .as("PAI = BSE + DEP on fee lines")
        .isZero();
  }

  @Test
  void sameSeedGivesTheSameBytesWhateverTheThreads() throws Exception {
    YearMonth m = YearMonth.of(2023, 7);
    Path one = GenerateDamirJob.run(GenerateDamirOptions.of(m, m, 250_000, 5, dir.resolve("t1")).withThreads(1)).get(0).path();
    Path two = GenerateDamirJob.run(GenerateDamirOptions.of(m, m, 250_000, 5, dir.resolve("t2")).withThreads(2)).get(0).path();
    Path other = GenerateDamirJob.run(GenerateDamirOptions.of(m, m, 250_000, 6, dir.resolve("t3"))).get(0).path();
    assertThat(sha(one)).isEqualTo(sha(two)).isNotEqualTo(sha(other));
  }

  private static String sha(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
