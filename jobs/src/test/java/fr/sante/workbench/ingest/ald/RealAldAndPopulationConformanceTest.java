package fr.sante.workbench.ingest.ald;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.ingest.population.IngestPopulationJob;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import fr.sante.workbench.testing.SharedData;
import fr.sante.workbench.testing.TestSpark;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CNAM and INSEE files of ../shared/data, checked against sums computed here from the raw cells. */
class RealAldAndPopulationConformanceTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void loadsThe2019SeriesWithMaskedCellsAndExactRegionalSums() throws Exception {
    Path xls = SharedData.require("ald/2019_ALD-prevalentes-par-departement_serie-annuelle.xls");
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(xls.toString()), lake));
    Dataset<org.apache.spark.sql.Row> table = lake.read(spark, Lake.ALD_PREVALENCE);

    assertThat(table.count()).isEqualTo(101 * 30);
    assertThat(table.select("geo_code").distinct().count()).isEqualTo(101);
    assertThat(table.select("ald_code").distinct().count()).isEqualTo(30);

    // independent reading of the counts sheet: text "<10" cells, numeric cells summed per INSEE region
    Map<String, Long> expectedByRegion = new HashMap<>();
    int maskedCells = 0;
    try (InputStream in = Files.newInputStream(xls);
        HSSFWorkbook book = new HSSFWorkbook(in)) {
      Sheet counts = book.getSheet("Prévalence_tableauVII_2019");
      for (int r = 2; r < 2 + 101; r++) {
        Row row = counts.getRow(r);
        Cell code = row.getCell(0);
        String raw = code.getCellType() == CellType.NUMERIC ? String.valueOf((long) code.getNumericCellValue()) : code.getStringCellValue();
        Departement dep = Geography.departement(raw).orElseThrow();
        for (int c = 2; c < 32; c++) {
          Cell cell = row.getCell(c);
          if (cell.getCellType() == CellType.STRING) {
            assertThat(cell.getStringCellValue().trim()).isEqualTo("<10");
            maskedCells++;
          } else {
            String key = dep.region() + "/" + c;
            expectedByRegion.merge(key, (long) cell.getNumericCellValue(), Long::sum);
          }
        }
      }
    }
    assertThat(table.filter(col("persons_masked")).count()).isEqualTo(maskedCells);
    assertThat(table.filter(col("persons_masked").and(col("persons").isNotNull())).count()).as("masked is not zero").isZero();

    List<org.apache.spark.sql.Row> byRegion = AldAggregates.byTerritory(spark, table, AldAggregates.Level.REGION).collectAsList();
    assertThat(byRegion).hasSize(18 * 30);
    long checked = 0;
    for (org.apache.spark.sql.Row r : byRegion) {
      int ald = r.getInt(r.fieldIndex("ald_code"));
      Long expected = expectedByRegion.get(r.getString(r.fieldIndex("territory")) + "/" + (ald + 1));
      Object actual = r.get(r.fieldIndex("persons_known"));
      if (expected == null) {
        assertThat(actual).as("region %s ALD %s: every cell masked", r.get(4), ald).isNull();
      } else {
        assertThat((Long) actual).as("region %s ALD %s", r.get(4), ald).isEqualTo(expected);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(500);
    // DAMIR's 13 zones + overseas: all of France, once
    assertThat(AldAggregates.byTerritory(spark, table, AldAggregates.Level.DAMIR_REGION).select("territory").distinct().count()).isEqualTo(13);
  }

  @Test
  void loadsInseeEstimatesAndTheProtectedPopulation() throws Exception {
    Path insee = SharedData.require("reference/population-departement-sexe-age5-2009-2014.csv");
    Path rg = SharedData.require("reference/population-protegee-rg-departement-2014.csv");
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestPopulationJob.run(spark, new IngestPopulationJob.Options(List.of(insee.toString(), rg.toString()), lake));
    Dataset<org.apache.spark.sql.Row> table = lake.read(spark, Lake.POPULATION);

    long expectedInsee2014 = 0;
    for (String line : Files.readAllLines(insee, StandardCharsets.UTF_8).subList(1, 24001)) {
      String[] c = line.split(";");
      if (c[2].equals("2014")) {
        expectedInsee2014 += Long.parseLong(c[5]);
      }
    }
    long actualInsee2014 =
        table.filter(col("source").equalTo("insee-estimates").and(col("year").equalTo(2014))).agg(org.apache.spark.sql.functions.sum("persons")).first().getLong(0);
    assertThat(actualInsee2014).isEqualTo(expectedInsee2014);

    double expectedRg = 0;
    List<String> rgLines = Files.readAllLines(rg, StandardCharsets.UTF_8);
    for (String line : rgLines.subList(1, rgLines.size())) {
      String[] c = line.split(",");
      for (int i = 2; i < c.length; i++) {
        expectedRg += Double.parseDouble(c[i]);
      }
    }
    Dataset<org.apache.spark.sql.Row> protectedPopulation = table.filter(col("source").equalTo("rg-protected"));
    assertThat(protectedPopulation.agg(org.apache.spark.sql.functions.sum("persons")).first().getLong(0)).isEqualTo((long) expectedRg);
    assertThat(protectedPopulation.select("geo_code").distinct().count()).as("Nord's four caisses are one département").isEqualTo(100);
    assertThat(protectedPopulation.filter(col("geo_code").equalTo("59")).count()).isEqualTo(38);
  }
}
