package fr.sante.workbench.ingest.ald;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.TestSpark;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture workbooks written here with POI, in the layout of CNAM's series (open-data-reference.md 2.2). */
class IngestAldJobTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private Lake lake() {
    return new Lake(dir.resolve("lake").toString());
  }

  /** cells[row][col]: Double for numbers, String for text; null = no cell. */
  private Path workbook(String name, String countsTitle, Object[][] counts, Object[][] rates) throws Exception {
    try (HSSFWorkbook book = new HSSFWorkbook()) {
      fill(book.createSheet("Prévalence_tableauVII_2019"), countsTitle, counts);
      if (rates != null) {
        fill(book.createSheet("Prévalence_tableauVIII_2019"), "Tableau VIII : taux standardisé ... pour 100 000 personnes protégées", rates);
      }
      book.createSheet("Feuil2");
      Path file = dir.resolve(name);
      try (OutputStream out = Files.newOutputStream(file)) {
        book.write(out);
      }
      return file;
    }
  }

  private static void fill(Sheet sheet, String title, Object[][] cells) {
    sheet.createRow(0).createCell(0).setCellValue(title);
    for (int r = 0; r < cells.length; r++) {
      Row row = sheet.createRow(r + 1);
      for (int c = 0; c < cells[r].length; c++) {
        Object v = cells[r][c];
        if (v instanceof Double d) {
          row.createCell(c).setCellValue(d);
        } else if (v instanceof String s) {
          row.createCell(c).setCellValue(s);
        }
      }
    }
  }

  private static final String COUNTS_TITLE =
      "Tableau VII : effectifs des personnes prises en charge pour affection de longue durée ... en 2019 (effectifs arrondis à la dizaine)";

  private static Object[][] counts() {
    return new Object[][] {
      {"Code département", "Nom du département", "Diabète de type 1 et diabète de type 2 (ALD8)", "Bilharziose compliquée (ALD4)"},
      {"01", "Ain", 24290.0, "<10"},
      {201.0, "Corse-du-Sud", 6200.0, 20.0},
      {976.0, "Mayotte*", 260.0, "<10"},
      {null},
      {"Source : Cnam-DSES"},
      {"* Pour Mayotte, les données ne sont pas exhaustives"}
    };
  }

  private static Object[][] rates() {
    return new Object[][] {
      {"Code département", "Nom du département", "Diabète (ALD8)", "Bilharziose (ALD4)"},
      {"01", "Ain", 3950.0, 0.4},
      {201.0, "Corse-du-Sud", 4102.0, 3.0},
      {976.0, "Mayotte*", 1212.0, 0.0},
      {"Source : Cnam-DSES"}
    };
  }

  @Test
  void readsCountsRatesMaskedCellsCorseAndMayotte() throws Exception {
    Path file = workbook("2019_ALD.xls", COUNTS_TITLE, counts(), rates());
    IngestAldJob.Result result = IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), lake()));

    assertThat(result.files().get(0).rows()).isEqualTo(6);
    assertThat(result.files().get(0).masked()).isEqualTo(2);
    Dataset<org.apache.spark.sql.Row> table = lake().read(spark, Lake.ALD_PREVALENCE);
    org.apache.spark.sql.Row corse = table.filter(col("geo_code").equalTo("2A").and(col("ald_code").equalTo(8))).first();
    assertThat(corse.<Long>getAs("persons")).isEqualTo(6200L);
    assertThat(corse.<Integer>getAs("rounding")).isEqualTo(10);
    assertThat(corse.<BigDecimal>getAs("std_rate_100k")).isEqualByComparingTo("4102");
    assertThat(corse.<String>getAs("ald_label")).isEqualTo("Diabète de type 1 et diabète de type 2");
    assertThat(corse.<Integer>getAs("year")).isEqualTo(2019);
    assertThat(corse.<Integer>getAs("sex")).isEqualTo(9);
    assertThat(corse.<String>getAs("age_class")).isEqualTo("ALL");
    org.apache.spark.sql.Row masked = table.filter(col("geo_code").equalTo("01").and(col("ald_code").equalTo(4))).first();
    assertThat(masked.<Object>getAs("persons")).as("masked, not zero").isNull();
    assertThat(masked.<Boolean>getAs("persons_masked")).isTrue();
    assertThat(masked.<BigDecimal>getAs("std_rate_100k")).isEqualByComparingTo("0.4");
    assertThat(table.filter(col("geo_code").equalTo("976")).filter(col("non_exhaustive")).count()).isEqualTo(2);
    assertThat(table.filter(col("non_exhaustive")).count()).isEqualTo(2);
  }

  @Test
  void reingestingTheSameFileIsIdempotent() throws Exception {
    Path file = workbook("2019_ALD.xls", COUNTS_TITLE, counts(), rates());
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), lake()));
    List<org.apache.spark.sql.Row> first = lake().read(spark, Lake.ALD_PREVALENCE).collectAsList();
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), lake()));
    assertThat(lake().read(spark, Lake.ALD_PREVALENCE).collectAsList()).containsExactlyInAnyOrderElementsOf(first).hasSize(6);
  }

  @Test
  void anUnknownSheetIsAnErrorAndNothingIsWritten() throws Exception {
    Path file = workbook("odd.xls", "Tableau IX : dépenses remboursées", counts(), null);
    assertThatThrownBy(() -> IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), lake())))
        .isInstanceOf(AldLayoutException.class)
        .hasMessageStartingWith("Unknown sheet 'Prévalence_tableauVII_2019' in 'odd.xls': expected a title with 'effectifs'");
    assertThat(lake().exists(spark, Lake.ALD_PREVALENCE)).isFalse();
  }

  @Test
  void anAldColumnThatCannotBeMappedNamesFileSheetRowAndColumn() throws Exception {
    Object[][] bad = counts();
    bad[0][3] = "Autre affection (ALD99)";
    Path file = workbook("bad.xls", COUNTS_TITLE, bad, null);
    assertThatThrownBy(() -> IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), lake())))
        .isInstanceOf(AldLayoutException.class)
        .hasMessage(
            "In 'bad.xls', sheet 'Prévalence_tableauVII_2019', row 2, column D: expected an ALD column headed '<label> (ALD<n>)' with n in 1-32 but found 'Autre affection (ALD99)'");
  }

  @Test
  void aDepartementThatDoesNotExistNamesItsCell() throws Exception {
    Object[][] bad = counts();
    bad[2][0] = 203.0;
    Path good = workbook("good.xls", COUNTS_TITLE, counts(), null);
    Path file = workbook("bad.xls", COUNTS_TITLE, bad, null);
    assertThatThrownBy(() -> IngestAldJob.run(spark, new IngestAldJob.Options(List.of(good.toString(), file.toString()), lake())))
        .isInstanceOf(AldLayoutException.class)
        .hasMessage("In 'bad.xls', sheet 'Prévalence_tableauVII_2019', row 4, column A: expected a département code but found '203'");
    assertThat(lake().exists(spark, Lake.ALD_PREVALENCE)).as("the good file is not written either").isFalse();
  }

  @Test
  void textInACountCellIsAnError() throws Exception {
    Object[][] bad = counts();
    bad[1][2] = "n.d.";
    Path file = workbook("bad.xls", COUNTS_TITLE, bad, null);
    assertThatThrownBy(() -> IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), lake())))
        .hasMessage("In 'bad.xls', sheet 'Prévalence_tableauVII_2019', row 3, column C: expected a count or '<10' but found 'n.d.'");
  }

  @Test
  void readsTheLongCsvLayoutAtEveryLevel() throws Exception {
    Path csv = dir.resolve("ald-2022-national.csv");
    Files.writeString(
        csv,
        String.join(
            "\n",
            "year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive",
            "2022;30;FR;FR;9;ALL;2386370;1;;false",
            "2022;8;REG;94;2;60-69;4100;10;812,5;false",
            "2022;18;DEP;2A;1;0-19;<10;10;;false",
            "2022;4;DEP;976;9;ALL;<10;10;;true",
            ""));
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(csv.toString()), lake()));
    Dataset<org.apache.spark.sql.Row> table = lake().read(spark, Lake.ALD_PREVALENCE);
    assertThat(table.count()).isEqualTo(4);
    assertThat(table.filter(col("geo_level").equalTo("FR")).first().<Long>getAs("persons")).isEqualTo(2386370L);
    assertThat(table.filter(col("geo_level").equalTo("REG")).first().<BigDecimal>getAs("std_rate_100k")).isEqualByComparingTo("812.5");
    assertThat(table.filter(col("persons_masked")).count()).isEqualTo(2);
  }

  @Test
  void longCsvErrorsNameTheLineAndColumn() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive\n2022;8;DEP;20;9;ALL;10;10;;false\n");
    assertThatThrownBy(() -> IngestAldJob.run(spark, new IngestAldJob.Options(List.of(csv.toString()), lake())))
        .hasMessage("In 'bad.csv', line 2, column geo_code: expected a département code but found '20'");
    Files.writeString(csv, "year;ald;geo\n");
    assertThatThrownBy(() -> IngestAldJob.run(spark, new IngestAldJob.Options(List.of(csv.toString()), lake())))
        .hasMessageStartingWith("Expected the header 'year;ald_code;geo_level;");
  }
}
