package fr.sante.workbench.ingest.damir;

import static fr.sante.workbench.testing.DamirFixtures.baseLine;
import static fr.sante.workbench.testing.DamirFixtures.render;
import static fr.sante.workbench.testing.DamirFixtures.with;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestDamirJobTest {
  private static final int MONTH = 202403;
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private Lake lake() {
    return new Lake(dir.resolve("lake").toString());
  }

  private IngestDamirResult ingest(Path... files) {
    List<String> paths = new ArrayList<>();
    for (Path f : files) {
      paths.add(f.toString());
    }
    return IngestDamirJob.run(spark, IngestDamirOptions.of(paths, lake()));
  }

  /** A month with every quirk of the real files and one line of each kind of bad line. */
  private List<String> quirkyMonth() {
    Map<String, String> base = baseLine(MONTH);
    return List.of(
        render(with(base, "PRS_REM_MNT", ".81", "FLT_REM_MNT", ".81")), // line 2
        render(with(base, "PRS_REM_MNT", "-.57", "FLT_REM_MNT", "-.57", "PRS_NAT", "1972")), // 3
        render(with(base, "PRS_ACT_NBR", "", "FLT_ACT_NBR", "")), // 4
        render(with(base, "SOI_ANN", "0000", "SOI_MOI", "00")), // 5
        render(with(base, "PRS_NAT", "33A3")), // 6: text where a number is required
        render(base).substring(0, render(base).length() - 1), // 7: wrong field count
        render(with(base, "FLX_ANN_MOI", "202402")), // 8: another month
        render(with(base, "PRS_NAT", "1071")), // 9: code missing from the list, kept
        render(with(base, "PRS_PAI_MNT", "1,5", "FLT_PAI_MNT", "1,5"))); // 10: comma decimal
  }

  @Test
  void acceptsGoodLinesAndRejectsBadOnesWithLineNumbersAndReasons() throws Exception {
    Path file = DamirFixtures.write(dir.resolve("A202403.csv.gz"), DamirFixtures.header(Variant.REG), quirkyMonth());
    IngestDamirResult result = ingest(file);

    FileResult f = result.files().get(0);
    assertThat(f.rowsRead()).isEqualTo(9);
    assertThat(f.rowsAccepted()).isEqualTo(6);
    assertThat(f.rowsRejected()).isEqualTo(3);
    assertThat(f.rowsRead()).isEqualTo(f.rowsAccepted() + f.rowsRejected());
    assertThat(f.unknownCareMonths()).isEqualTo(1);
    assertThat(f.unknownCodeRows()).isEqualTo(Map.of("PRS_NAT", 1L));
    assertThat(f.sha256()).isEqualTo(sha256(file));

    List<Row> rejects = lake().read(spark, Lake.DAMIR_REJECTS).orderBy("line_number").collectAsList();
    assertThat(rejects).extracting(r -> r.getLong(r.fieldIndex("line_number"))).containsExactly(6L, 7L, 8L);
    assertThat(rejects.get(0).<String>getAs("reason")).isEqualTo("Expected an integer in column PRS_NAT (field 40) but found '33A3'");
    assertThat(rejects.get(1).<String>getAs("reason")).startsWith("Expected 57 fields");
    assertThat(rejects.get(2).<String>getAs("reason")).startsWith("Expected FLX_ANN_MOI 202403");
    assertThat(rejects.get(0).<String>getAs("raw_line")).isEqualTo(quirkyMonth().get(4));
    assertThat(rejects.get(0).<String>getAs("source_file")).isEqualTo("A202403.csv.gz");

    Dataset<Row> damir = lake().read(spark, Lake.DAMIR);
    assertThat(damir.count()).isEqualTo(6);
    // expected sum computed from the fixture values: 4 lines at 21, .81, -.57
    BigDecimal expectedRem = new BigDecimal("21").multiply(BigDecimal.valueOf(4)).add(new BigDecimal("0.81")).add(new BigDecimal("-0.57"));
    assertThat(damir.agg(org.apache.spark.sql.functions.sum("FLT_REM_MNT")).first().getDecimal(0)).isEqualByComparingTo(expectedRem);
    assertThat(damir.filter(col("PRS_ACT_NBR").isNull()).count()).isEqualTo(1);
    assertThat(damir.filter(col("CARE_MONTH").isNull()).count()).isEqualTo(1);
    assertThat(damir.filter(col("PRS_PAI_MNT").equalTo(new BigDecimal("1.50"))).count()).isEqualTo(1);

    Row log = lake().read(spark, Lake.INGEST_LOG).first();
    assertThat(log.<Long>getAs("rows_read")).isEqualTo(9L);
    assertThat(log.<Long>getAs("rows_rejected")).isEqualTo(3L);
    assertThat(log.<String>getAs("sha256")).isEqualTo(f.sha256());
  }

  @Test
  void parallelChunksKeepExactLineNumbersAndCounts() {
    List<String> lines = new ArrayList<>(DamirFixtures.randomLines(MONTH, 4000, 7));
    lines.set(1234, "garbage");
    lines.set(3999, lines.get(3999).replace(";65.33;", ";6x;").replace(";100;", ";6x;"));
    Path file = DamirFixtures.write(dir.resolve("A202403.csv.gz"), DamirFixtures.header(Variant.REG), lines);
    IngestDamirResult result =
        IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(file.toString()), lake()).withChunkBytes(IngestDamirOptions.MIN_CHUNK_BYTES));

    assertThat(result.rowsRead()).isEqualTo(4000);
    assertThat(result.rowsRejected()).isEqualTo(2);
    List<Row> rejects = lake().read(spark, Lake.DAMIR_REJECTS).orderBy("line_number").collectAsList();
    // list index i is file line i + 2 (line 1 is the header)
    assertThat(rejects).extracting(r -> r.getLong(r.fieldIndex("line_number"))).containsExactly(1236L, 4001L);
    assertThat(rejects.get(0).<String>getAs("raw_line")).isEqualTo("garbage");
    assertThat(lake().read(spark, Lake.DAMIR).inputFiles().length).as("several chunks, several files").isGreaterThan(2);
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < lines.size(); i++) {
      if (i != 1234 && i != 3999) {
        expected = expected.add(new BigDecimal(lines.get(i).split(";", -1)[26]));
      }
    }
    assertThat(lake().read(spark, Lake.DAMIR).agg(org.apache.spark.sql.functions.sum("FLT_PAI_MNT")).first().getDecimal(0))
        .isEqualByComparingTo(expected);
  }

  @Test
  void reingestingAMonthReplacesItAndLeavesIdenticalContents() {
    Path file = DamirFixtures.write(dir.resolve("A202403.csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 300, 1));
    Path other = DamirFixtures.write(dir.resolve("A202404.csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202404, 50, 2));
    ingest(file, other);
    List<Row> first = lake().read(spark, Lake.DAMIR).collectAsList();
    long rejectsBefore = lake().read(spark, Lake.DAMIR_REJECTS).count();
    ingest(file);
    List<Row> second = lake().read(spark, Lake.DAMIR).collectAsList();

    assertThat(second).hasSize(350).containsExactlyInAnyOrderElementsOf(first);
    assertThat(lake().read(spark, Lake.DAMIR_REJECTS).count()).isEqualTo(rejectsBefore);
    assertThat(lake().read(spark, Lake.INGEST_LOG).count()).isEqualTo(3);
  }

  /**
   * The ingest writes its Parquet files itself: Delta's per-file statistics (which data skipping trusts) must
   * equal what Spark computes from each file, and the files must read back as the table's typed columns.
   */
  @Test
  void dataFileStatisticsMatchTheFilesAndTheColumnsReadBackTyped() throws Exception {
    List<String> lines = new ArrayList<>(DamirFixtures.randomLines(MONTH, 6000, 5));
    lines.add(render(with(baseLine(MONTH), "SOI_ANN", "0000", "SOI_MOI", "00"))); // no care month: a null
    Path file = DamirFixtures.write(dir.resolve("A202403.csv"), DamirFixtures.header(Variant.REG), lines);
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(file.toString()), lake()).withChunkBytes(128 << 10));

    String table = lake().tablePath(Lake.DAMIR);
    List<Row> files =
        org.apache.spark.sql.delta.DeltaLog.forTable(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).allFiles().toDF().select("path", "stats").collectAsList();
    assertThat(files).as("one file per chunk").hasSizeGreaterThan(1);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    long nullCareMonths = 0;
    for (Row f : files) {
      com.fasterxml.jackson.databind.JsonNode stats = json.readTree(f.getString(1));
      Row actual =
          spark
              .read()
              .parquet(table + "/" + f.getString(0))
              .agg(
                  org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
                  org.apache.spark.sql.functions.min("SOI_ANN"),
                  org.apache.spark.sql.functions.max("SOI_ANN"),
                  org.apache.spark.sql.functions.min("SOI_MOI"),
                  org.apache.spark.sql.functions.max("SOI_MOI"),
                  org.apache.spark.sql.functions.min("CARE_MONTH").cast("string"),
                  org.apache.spark.sql.functions.max("CARE_MONTH").cast("string"),
                  org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(col("CARE_MONTH").isNull(), 1).otherwise(0)))
              .first();
      assertThat(stats.get("numRecords").asLong()).isEqualTo(actual.getLong(0));
      assertThat(stats.at("/minValues/SOI_ANN").asText()).isEqualTo(actual.getString(1));
      assertThat(stats.at("/maxValues/SOI_ANN").asText()).isEqualTo(actual.getString(2));
      assertThat(stats.at("/minValues/SOI_MOI").asText()).isEqualTo(actual.getString(3));
      assertThat(stats.at("/maxValues/SOI_MOI").asText()).isEqualTo(actual.getString(4));
      assertThat(stats.at("/minValues/CARE_MONTH").asText()).isEqualTo(actual.getString(5));
      assertThat(stats.at("/maxValues/CARE_MONTH").asText()).isEqualTo(actual.getString(6));
      assertThat(stats.at("/nullCount/CARE_MONTH").asLong()).isEqualTo(actual.getLong(7));
      assertThat(stats.at("/nullCount/SOI_ANN").asLong()).isZero();
      nullCareMonths += actual.getLong(7);
    }
    assertThat(nullCareMonths).isGreaterThanOrEqualTo(1);

    // the files carry the table's types (not strings or doubles), as Spark's own writer would
    org.apache.spark.sql.types.StructType read = spark.read().parquet(table).schema();
    org.apache.spark.sql.types.StructType expected = fr.sante.workbench.schemas.Schemas.openDamir().tableType();
    for (org.apache.spark.sql.types.StructField field : expected.fields()) {
      assertThat(read.apply(field.name()).dataType()).as(field.name()).isEqualTo(field.dataType());
    }
    // data skipping on the care month gives the same answer as a full scan
    long skipped = lake().read(spark, Lake.DAMIR).filter(col("CARE_MONTH").geq(java.sql.Date.valueOf("2024-02-01"))).count();
    long scanned = spark.read().parquet(table).filter(col("CARE_MONTH").geq(java.sql.Date.valueOf("2024-02-01"))).count();
    assertThat(skipped).isEqualTo(scanned);
  }

  @Test
  void unchangedCodeListsCostNoCommit() {
    Path file = DamirFixtures.write(dir.resolve("A202403.csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 20, 3));
    ingest(file);
    long version = io.delta.tables.DeltaTable.forPath(spark, lake().tablePath(Lake.CODE_LISTS)).history(1).first().getLong(0);
    ingest(file);
    assertThat(io.delta.tables.DeltaTable.forPath(spark, lake().tablePath(Lake.CODE_LISTS)).history(1).first().getLong(0)).isEqualTo(version);
    assertThat(lake().read(spark, Lake.CODE_LISTS).filter(col("table_name").equalTo(Lake.DAMIR)).count()).isGreaterThan(100);
  }

  /** Several files are read in one Spark job (one task per file): a truncated gzip is named, and nothing is written. */
  @Test
  void aTruncatedFileAmongSeveralIsNamedAndNothingIsWritten() throws Exception {
    Path good = DamirFixtures.write(dir.resolve("A202403.csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 10, 1));
    Path whole = DamirFixtures.write(dir.resolve("whole.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202404, 5000, 2));
    byte[] bytes = java.nio.file.Files.readAllBytes(whole);
    Path truncated = java.nio.file.Files.write(dir.resolve("A202404.csv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ingest(good, truncated))
        .isInstanceOf(fr.sante.workbench.WorkbenchException.class)
        .hasMessageStartingWith("Cannot read Open DAMIR file '")
        .hasMessageContaining("A202404.csv.gz' while indexing month 202404: truncated or corrupt gzip file 'A202404.csv.gz' (Unexpected end of ZLIB input stream)");
    assertThat(lake().exists(spark, Lake.DAMIR) ? lake().read(spark, Lake.DAMIR).count() : 0).isZero();
  }

  @Test
  void aTruncatedGzipIsNamedAsSuchAndLeavesNoStaging() throws Exception {
    Path whole = DamirFixtures.write(dir.resolve("whole.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 5000, 2));
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = Files.write(dir.resolve("A202403.csv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ingest(truncated))
        .isInstanceOf(fr.sante.workbench.WorkbenchException.class)
        .hasMessage(
            "Cannot read Open DAMIR file '" + new org.apache.hadoop.fs.Path(truncated.toUri()) + "' while indexing month 202403: truncated or corrupt gzip file"
                + " 'A202403.csv.gz' (Unexpected end of ZLIB input stream); download it again or check it with 'gzip -t'");
    assertThat(dir.resolve("lake").resolve(Lake.STAGING)).as("staging folder").doesNotExist();
  }

  @Test
  void anEmptyGzipFileIsCalledEmpty() throws Exception {
    Path empty = Files.write(dir.resolve("A202403.csv.gz"), new byte[0]);
    assertThatThrownBy(() -> ingest(empty))
        .isInstanceOf(HeaderMismatchException.class)
        .hasMessage("Expected a header line in 'A202403.csv.gz' but the file is empty (0 bytes)");
    assertThat(dir.resolve("lake")).as("lake").doesNotExist();
  }

  @Test
  void aFileThatIsNotGzipIsNamed() throws Exception {
    Path notGzip = DamirFixtures.write(dir.resolve("plain.csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 3, 2));
    Path misnamed = Files.copy(notGzip, dir.resolve("A202403.csv.gz"));
    assertThatThrownBy(() -> ingest(misnamed))
        .isInstanceOf(fr.sante.workbench.WorkbenchException.class)
        .hasMessageStartingWith("Cannot read the header of Open DAMIR file '")
        .hasMessageContaining(": truncated or corrupt gzip file 'A202403.csv.gz' (Not in GZIP format)");
  }

  @Test
  void aBadHeaderInAnyFileWritesNothing() {
    Path good = DamirFixtures.write(dir.resolve("A202403.csv"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(MONTH, 10, 1));
    Path bad =
        DamirFixtures.write(
            dir.resolve("A202404.csv.gz"), DamirFixtures.header(Variant.REG).replace("PRS_NAT", "PRS_NATURE"), DamirFixtures.randomLines(202404, 10, 1));
    assertThatThrownBy(() -> ingest(good, bad))
        .isInstanceOf(HeaderMismatchException.class)
        .hasMessageStartingWith("Header mismatch in 'A202404.csv.gz': expected column 'PRS_NAT' at position 40 but found 'PRS_NATURE'");
    assertThat(lake().existingTables(spark)).isEmpty();
  }

  @Test
  void ingestsAFolderInMonthOrderAndPFilesIntoTheZeatColumns() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("in"));
    DamirFixtures.write(folder.resolve("A202402.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202402, 20, 3));
    DamirFixtures.write(folder.resolve("A202401.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202401, 10, 4));
    List<String> zeatLines = new ArrayList<>();
    for (String line : DamirFixtures.randomLines(201312, 5, 5)) {
      zeatLines.add(line.replaceFirst("^201312;84;", "201312;7;").replace(";Z;", ";"));
    }
    String zeatHeader = DamirFixtures.header(Variant.ZEAT).replace(";ETB_DCS_MCO;", ";");
    DamirFixtures.write(folder.resolve("P201312.csv"), zeatHeader, zeatLines);
    Files.writeString(folder.resolve("README.txt"), "not a DAMIR file");

    IngestDamirResult result = ingest(folder);

    assertThat(result.files()).extracting(FileResult::month).containsExactly(201312, 202401, 202402);
    assertThat(result.rowsRejected()).isZero();
    Dataset<Row> p = lake().read(spark, Lake.DAMIR).filter(col("FLX_ANN_MOI").equalTo(201312));
    assertThat(p.filter(col("ORG_CLE_ZEAT").equalTo(7)).count()).isEqualTo(5);
    assertThat(p.filter(col("ORG_CLE_REG").isNotNull()).count()).isZero();
    assertThat(result.files().get(0).variant()).isEqualTo("ZEAT");
  }

  @Test
  void loadsTheCodeListsWithTheirLabels() {
    ingest(DamirFixtures.write(dir.resolve("A202403.csv"), DamirFixtures.header(Variant.REG), List.of()));
    Row pharmacy =
        lake().read(spark, Lake.CODE_LISTS).filter(col("column_name").equalTo("PRS_NAT").and(col("code").equalTo("3313"))).first();
    assertThat(pharmacy.<String>getAs("label")).isEqualTo("PHARMACIE 65%");
    assertThat(lake().read(spark, Lake.CODE_LISTS).filter(col("column_name").equalTo("BEN_RES_ZEAT")).count()).isEqualTo(10);
    assertThat(lake().read(spark, Lake.DAMIR).count()).as("a header-only file is an empty month").isZero();
  }

  static String sha256(Path file) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    return java.util.HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)));
  }
}
