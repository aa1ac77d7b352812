package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.SharedData;
import fr.sante.workbench.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real CNAM lines (../shared/data/open-damir-sample/A202501.csv): every line accepted, every sum exact. */
class RealOpenDamirConformanceTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void ingestsEveryRealLineAndKeepsEveryColumnSum() throws Exception {
    Path file = SharedData.require("open-damir-sample/A202501.csv");
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestDamirResult result = IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(file.toString()), lake));

    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    List<String> header = List.of(lines.get(0).split(";", -1));
    assertThat(result.rowsRead()).isEqualTo(lines.size() - 1);
    assertThat(result.rowsRejected()).isZero();
    assertThat(result.rowsAccepted()).isEqualTo(lines.size() - 1);

    Dataset<Row> damir = lake.read(spark, Lake.DAMIR);
    List<String> columns = new ArrayList<>();
    for (StructField field : damir.schema().fields()) {
      boolean numeric =
          field.dataType() instanceof DecimalType || field.dataType().equals(DataTypes.IntegerType) || field.dataType().equals(DataTypes.LongType);
      if (numeric && header.contains(field.name())) {
        columns.add(field.name());
      }
    }
    Column[] sums = columns.stream().map(c -> sum(c).as(c)).toArray(Column[]::new);
    Row actual = damir.agg(sums[0], java.util.Arrays.copyOfRange(sums, 1, sums.length)).first();
    int checked = 0;
    for (String column : columns) {
      int position = header.indexOf(column);
      // independent computation: split the raw text and add with BigDecimal, empty fields count as nothing
      BigDecimal expected = BigDecimal.ZERO;
      for (String line : lines.subList(1, lines.size())) {
        String value = line.split(";", -1)[position];
        if (!value.isEmpty()) {
          expected = expected.add(new BigDecimal(value.replace(',', '.')));
        }
      }
      Object sum = actual.getAs(column);
      assertThat(new BigDecimal(String.valueOf(sum))).as(column).isEqualByComparingTo(expected);
      checked++;
    }
    assertThat(checked).as("numeric columns checked").isEqualTo(53);
    assertThat(damir.filter(damir.col("ETB_DCS_MCO").isNull()).count()).isZero();
  }
}
