package fr.sante.workbench.ingest.damir;

import static fr.sante.workbench.testing.DamirFixtures.baseLine;
import static fr.sante.workbench.testing.DamirFixtures.render;
import static fr.sante.workbench.testing.DamirFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.schemas.Variant;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DamirLineParserTest {
  private static final int MONTH = 202501;
  private final TableSchema schema = Schemas.openDamir();
  private final List<String> table = List.of(schema.tableType().fieldNames());
  private final ChunkStats stats = new ChunkStats();
  private final DamirLineParser parser =
      new DamirLineParser(schema, new FileLayout(Variant.REG, 56, true), MONTH, "A202501.csv.gz", stats);

  private Object[] parse(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
    return parser.parse(bytes, 0, bytes.length);
  }

  /** The value in its external Java form (the parser produces Spark's internal one). */
  private Object value(Object[] row, String column) {
    Object v = row[table.indexOf(column)];
    if (v instanceof org.apache.spark.sql.types.Decimal d) {
      return d.toJavaBigDecimal();
    }
    if (v instanceof org.apache.spark.unsafe.types.UTF8String u) {
      return u.toString();
    }
    if (column.equals("CARE_MONTH") && v != null) {
      return Date.valueOf(java.time.LocalDate.ofEpochDay((Integer) v));
    }
    return v;
  }

  @Test
  void parsesTheRealQuirks() {
    Object[] row =
        parse(render(with(baseLine(MONTH), "PRS_REM_MNT", ".81", "FLT_REM_MNT", "-.57", "PRS_ACT_NBR", "", "FLT_ACT_NBR", "", "PRS_REM_TAU", "39.69")));
    assertThat(row).as(parser.reason()).isNotNull();
    assertThat(value(row, "PRS_REM_MNT")).isEqualTo(new BigDecimal("0.81"));
    assertThat(value(row, "FLT_REM_MNT")).isEqualTo(new BigDecimal("-0.57"));
    assertThat(value(row, "PRS_ACT_NBR")).isNull();
    assertThat(value(row, "PRS_ACT_QTE")).isEqualTo(1L);
    assertThat(value(row, "PRS_REM_TAU")).isEqualTo(new BigDecimal("39.69"));
    assertThat(value(row, "FLX_ANN_MOI")).isEqualTo(MONTH);
    assertThat(value(row, "SOI_MOI")).isEqualTo("01");
    assertThat(value(row, "CARE_MONTH")).isEqualTo(Date.valueOf("2025-01-01"));
    assertThat(value(row, "ETB_DCS_MCO")).isEqualTo("Z");
    assertThat(value(row, "ORG_CLE_ZEAT")).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"1,5|1.50", "-12,34|-12.34", "7|7.00", "0.5|0.50", "-0|0.00", "12345678.99|12345678.99"})
  void acceptsCommaDecimalsDefensively(String written, String expected) {
    Object[] row = parse(render(with(baseLine(MONTH), "PRS_PAI_MNT", written)));
    assertThat(row).as(parser.reason()).isNotNull();
    assertThat(value(row, "PRS_PAI_MNT")).isEqualTo(new BigDecimal(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"0000|00", "0001|01", "2025|13", "1899|05"})
  void careMonthIsNullForPlaceholdersAndInvalidDates(String year, String month) {
    Object[] row = parse(render(with(baseLine(MONTH), "SOI_ANN", year, "SOI_MOI", month)));
    assertThat(row).as(parser.reason()).isNotNull();
    assertThat(value(row, "CARE_MONTH")).isNull();
    assertThat(value(row, "SOI_ANN")).as("kept as read").isEqualTo(year);
    assertThat(stats.unknownCareMonths).isEqualTo(1);
  }

  @Test
  void rejectsAMissingField() {
    String line = render(baseLine(MONTH));
    assertThat(parse(line.substring(0, line.length() - 1))).isNull();
    assertThat(parser.reason()).isEqualTo("Expected 57 fields (56 columns and the trailing ';') but found 56");
  }

  @Test
  void rejectsAnExtraField() {
    assertThat(parse(render(baseLine(MONTH)) + "x;")).isNull();
    assertThat(parser.reason()).isEqualTo("Expected 57 fields (56 columns and the trailing ';') but found 58");
  }

  @Test
  void rejectsTextWhereANumberIsRequired() {
    assertThat(parse(render(with(baseLine(MONTH), "PRS_NAT", "33A3")))).isNull();
    assertThat(parser.reason()).isEqualTo("Expected an integer in column PRS_NAT (field 40) but found '33A3'");
  }

  @Test
  void rejectsAnEmptyRequiredValue() {
    assertThat(parse(render(with(baseLine(MONTH), "PRS_ACT_QTE", "")))).isNull();
    assertThat(parser.reason()).isEqualTo("Expected a value in column PRS_ACT_QTE (field 19) but found an empty field");
  }

  @Test
  void rejectsMoreDecimalsThanTheColumnKeepsRatherThanRounding() {
    assertThat(parse(render(with(baseLine(MONTH), "PRS_PAI_MNT", "1.234")))).isNull();
    assertThat(parser.reason())
        .isEqualTo("Expected a decimal with at most 2 decimals and 16 integer digits in column PRS_PAI_MNT (field 21) but found '1.234'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1.234,56", "--1", "1-", "'.'", "'-'", "1e5", "' 12'"})
  void rejectsMalformedDecimals(String written) {
    assertThat(parse(render(with(baseLine(MONTH), "FLT_PAI_MNT", written)))).isNull();
    assertThat(parser.reason()).startsWith("Expected a decimal").endsWith("but found '" + written + "'");
  }

  @Test
  void rejectsALineOfAnotherMonth() {
    assertThat(parse(render(with(baseLine(MONTH), "FLX_ANN_MOI", "202412")))).isNull();
    assertThat(parser.reason()).isEqualTo("Expected FLX_ANN_MOI 202501 (the processing month of 'A202501.csv.gz') but found 202412");
  }

  @Test
  void rejectsAMalformedCareYear() {
    assertThat(parse(render(with(baseLine(MONTH), "SOI_ANN", "25")))).isNull();
    assertThat(parser.reason()).isEqualTo("Expected 4 digits in column SOI_ANN (field 30) but found '25'");
  }

  @Test
  void rejectsTextAfterTheTrailingSeparator() {
    assertThat(parse(String.join(";", baseLine(MONTH).values()) + ";junk")).isNull();
    assertThat(parser.reason()).isEqualTo("Expected an empty field after the trailing ';' but found 'junk'");
  }

  @Test
  void toleratesCrlf() {
    assertThat(parse(render(baseLine(MONTH)) + "\r")).as(parser.reason()).isNotNull();
  }

  @Test
  void countsCodesMissingFromTheirListButKeepsTheRow() {
    Object[] row = parse(render(with(baseLine(MONTH), "PRS_NAT", "1071", "ETB_DCS_MCO", "Q")));
    assertThat(row).isNotNull();
    assertThat(value(row, "PRS_NAT")).isEqualTo(1071);
    assertThat(stats.unknownCodeRows).isEqualTo(Map.of("PRS_NAT", 1L, "ETB_DCS_MCO", 1L));
    assertThat(stats.unknownCodeValues.get("PRS_NAT")).isEqualTo(Map.of("1071", 1L));
  }

  @Test
  void zeatFilesFillTheZeatColumns() {
    DamirLineParser zeat =
        new DamirLineParser(schema, new FileLayout(Variant.ZEAT, 55, true), 201401, "P201401.csv", stats);
    Map<String, String> line = with(baseLine(201401), "ORG_CLE_REG", "7", "BEN_RES_REG", "3");
    line.remove("ETB_DCS_MCO");
    byte[] bytes = render(line).getBytes(StandardCharsets.US_ASCII);
    Object[] row = zeat.parse(bytes, 0, bytes.length);
    assertThat(row).as(zeat.reason()).isNotNull();
    assertThat(value(row, "ORG_CLE_ZEAT")).isEqualTo(7);
    assertThat(value(row, "BEN_RES_ZEAT")).isEqualTo(3);
    assertThat(value(row, "ORG_CLE_REG")).isNull();
    assertThat(value(row, "ETB_DCS_MCO")).isNull();
    assertThat(stats.unknownCodeRows).as("ZEAT codes are checked against the ZEAT list").doesNotContainKey("ORG_CLE_ZEAT");
  }
}
