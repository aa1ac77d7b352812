package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.anonymisation.AnonymisationException;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.CountSources;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportGateTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private static final ExportPolicy POLICY =
      new ExportPolicy(List.of("region", "sex"), "n", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults());

  /** region x sex counts with one small cell (84, 2) = 4. */
  private Dataset<Row> result() {
    StructType type = new StructType().add("region", DataTypes.StringType).add("sex", DataTypes.IntegerType).add("n", DataTypes.LongType);
    return spark.createDataFrame(
        List.of(
            RowFactory.create("11", 1, 120L), RowFactory.create("11", 2, 130L), RowFactory.create("84", 1, 60L), RowFactory.create("84", 2, 4L),
            RowFactory.create("93", 1, 45L), RowFactory.create("93", 2, 50L)),
        type);
  }

  /** The CLI's query over {@link #asPopulation}: a count of persons the gate traces to {@code population.persons}. */
  private static final String Q = "SELECT region, sex, persons AS n FROM population";

  private Exports.Request request(String out) {
    return new Exports.Request(dir.resolve("lake/audit_log").toString(), dir.resolve(out), "test export", "test")
        .withCountSources(CountSources.declared(java.util.Map.of("n", ExportPolicy.CountUnit.PERSONS), java.util.Set.of()));
  }

  /** The result as a lake table whose count column data-schemas declares ({@code population.persons}). */
  private static Dataset<Row> asPopulation(Dataset<Row> result) {
    return result.withColumnRenamed("n", "persons");
  }

  @Test
  void publishesTheProtectedTableWithItsMarginsManifestAndAuditEntry() throws Exception {
    Exports.Result result = Exports.write(spark, result(), POLICY, request("out"));

    List<String> lines = Files.readAllLines(result.table());
    assertThat(lines.get(0)).isEqualTo("region,sex,n,suppressed");
    assertThat(lines).hasSize(1 + 4 * 3);
    assertThat(lines).contains("84,2,,true", "Total,Total,409,false");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells[3].equals("true")) {
        assertThat(cells[2]).as(line).isEmpty();
      } else {
        assertThat(Long.parseLong(cells[2])).as(line).isGreaterThanOrEqualTo(11);
      }
    }
    // the small cell cannot be recomputed from its row or its column: other cells of both are hidden
    assertThat(lines.stream().filter(l -> l.startsWith("84,") && l.endsWith(",true")).count()).isGreaterThanOrEqualTo(2);
    assertThat(lines.stream().filter(l -> l.contains(",2,") && l.endsWith(",true")).count()).isGreaterThanOrEqualTo(2);

    JsonNode manifest = new ObjectMapper().readTree(result.manifest().toFile());
    assertThat(manifest.path("sha256").path("table.csv").asText()).isEqualTo(sha256(result.table()));
    assertThat(manifest.path("counts").asText()).isEqualTo("persons");
    // how many cells are hidden, not how many are small: that split (and the counts it hides) is the DPO's
    assertThat(manifest.path("cells_hidden").asInt()).isEqualTo(lines.stream().filter(l -> l.endsWith(",true")).count());
    assertThat(manifest.has("cells_primary") || manifest.has("cells_secondary") || manifest.has("secondary_loss")).isFalse();
    assertThat(result.protection().primary()).isEqualTo(1);
    // which hidden cell is the small one stays in the lake: the public manifest does not say
    for (String key : List.of("primary", "primary_small", "primary_dominance", "secondary", "certificates", "intervals")) {
      assertThat(manifest.has(key)).as(key).isFalse();
    }
    assertThat(manifest.toString()).doesNotContain("narrowest", "upper_bound");
    // the only cells the manifest names are the published ones: a hidden small cell and a hidden secondary one look alike
    java.util.Set<String> named = new java.util.HashSet<>();
    manifest.path("published").forEach(c -> named.add(c.path("cell").get(0).asText() + "," + c.path("cell").get(1).asText()));
    java.util.Set<String> visible = new java.util.HashSet<>();
    lines.subList(1, lines.size()).stream().filter(l -> l.endsWith(",false")).forEach(l -> visible.add(l.substring(0, l.indexOf(',', l.indexOf(',') + 1))));
    assertThat(named).isEqualTo(visible);
    assertThat(Files.readString(result.manifest().resolveSibling("audit-entry.json"))).doesNotContain("primary", "84|2", "[\"84\",\"2\"]");

    Row entry = spark.read().format("delta").load(dir.resolve("lake/audit_log").toString()).first();
    assertThat(entry.<String>getAs("kind")).isEqualTo("EXPORT");
    JsonNode detail = new ObjectMapper().readTree(entry.<String>getAs("detail"));
    assertThat(detail.path("primary").toString()).isEqualTo("[[\"84\",\"2\"]]");
    assertThat(detail.path("intervals").get(0).path("high").asDouble()).isGreaterThanOrEqualTo(11);
    assertThat(entry.<String>getAs("files")).contains(sha256(result.table()));
    assertThat(AuditLog.verify(spark, dir.resolve("lake/audit_log").toString())).isEmpty();
  }

  /**
   * A null count is a count the source masked: read back from the written files as plain text, its cell and every
   * margin summing it are hidden (never 0) and listed in the manifest, the small cell beside it is still hidden with
   * a second hidden cell in each of its rows and columns, and the folder passes the DPO's re-check.
   */
  @Test
  void aCountMaskedAtTheSourceIsHiddenWithEveryMarginSummingItNeverZero() throws Exception {
    StructType type = new StructType().add("region", DataTypes.StringType).add("sex", DataTypes.IntegerType).add("n", DataTypes.LongType);
    Dataset<Row> data = spark.createDataFrame(
        List.of(
            RowFactory.create("11", 1, 120L), RowFactory.create("11", 2, 130L), RowFactory.create("84", 1, 60L), RowFactory.create("84", 2, null),
            RowFactory.create("93", 1, 45L), RowFactory.create("93", 2, 4L), RowFactory.create("76", 1, 70L), RowFactory.create("76", 2, 80L)),
        type);
    Exports.Result result = Exports.write(spark, data, POLICY, request("masked"));
    java.util.Map<List<String>, String> counts = new java.util.HashMap<>();
    for (String line : Files.readAllLines(result.table()).subList(1, Files.readAllLines(result.table()).size())) {
      String[] f = line.split(",", -1);
      counts.put(List.of(f[0], f[1]), f[2]);
    }
    List<List<String>> maskedCells = List.of(List.of("84", "2"), List.of("84", "Total"), List.of("Total", "2"), List.of("Total", "Total"));
    for (List<String> cell : maskedCells) {
      assertThat(counts.get(cell)).as(cell.toString()).isEmpty();
    }
    assertThat(counts.values()).doesNotContain("0");
    JsonNode manifest = new ObjectMapper().readTree(result.manifest().toFile());
    List<List<String>> listed = new java.util.ArrayList<>();
    manifest.path("masked_at_source").forEach(c -> listed.add(List.of(c.get(0).asText(), c.get(1).asText())));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(maskedCells);
    // the small cell (93, 2) = 4: hidden, and not alone hidden in its row nor in its column
    assertThat(counts.get(List.of("93", "2"))).isEmpty();
    long hiddenInRow = counts.entrySet().stream().filter(e -> e.getKey().get(0).equals("93") && e.getValue().isEmpty()).count();
    long hiddenInColumn = counts.entrySet().stream().filter(e -> e.getKey().get(1).equals("2") && e.getValue().isEmpty()).count();
    assertThat(hiddenInRow).isGreaterThanOrEqualTo(2);
    assertThat(hiddenInColumn).isGreaterThanOrEqualTo(2);
    assertThat(fr.sante.workbench.anonymisation.ExportVerification.verifyFolder(spark, dir.resolve("lake/audit_log").toString(), result.table().getParent()).problems())
        .isEmpty();
  }

  @Test
  void theAuditChainRevealsAnAlteredOrDeletedEntry() {
    String log = dir.resolve("lake/audit_log").toString();
    Exports.write(spark, result(), POLICY, request("a"));
    Exports.write(spark, result(), POLICY, request("b"));
    assertThat(AuditLog.verify(spark, log)).isEmpty();

    Dataset<Row> entries = spark.read().format("delta").load(log).cache();
    entries.count();
    Dataset<Row> altered =
        entries.withColumn("cells_primary", org.apache.spark.sql.functions.when(entries.col("entry_id").equalTo(1), 0L).otherwise(entries.col("cells_primary")));
    altered.write().format("delta").mode(SaveMode.Overwrite).save(log);
    assertThat(AuditLog.verify(spark, log))
        .containsExactly(
            "Entry 1 was altered (its hash does not match its fields)",
            "Commit 2 of the audit log is a WRITE {mode=Overwrite, partitionBy=[]} (expected only appends of one entry: the log was changed)");

    entries.filter(entries.col("entry_id").equalTo(2)).write().format("delta").mode(SaveMode.Overwrite).save(log);
    assertThat(AuditLog.verify(spark, log))
        .contains("Expected entry 1 but found entry 2 (an entry was deleted)", "Entry 2 does not follow the previous entry (previous_hash differs)");
  }

  @Test
  void invalidPoliciesAndInputsFailBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> Exports.write(spark, result(), new ExportPolicy(List.of("region", "age"), "n", ExportPolicy.CountUnit.ROWS, SuppressionPolicy.defaults()), request("x")))
        .isInstanceOf(AnonymisationException.class)
        .hasMessage("Cannot export: the result has no column 'age' (columns: [region, sex, n])");
    Dataset<Row> negative =
        spark.createDataFrame(
            List.of(RowFactory.create("11", 1, -1L), RowFactory.create("11", 2, 130L)),
            new StructType().add("region", DataTypes.StringType).add("sex", DataTypes.IntegerType).add("n", DataTypes.LongType));
    assertThatThrownBy(() -> Exports.write(spark, negative, POLICY, request("y")))
        .hasMessageStartingWith("Invalid count in 'n' for cell [");
    Dataset<Row> euros = result().withColumn("n", org.apache.spark.sql.functions.col("n").cast("decimal(18,2)"));
    assertThatThrownBy(() -> Exports.write(spark, euros, POLICY, request("z")))
        .hasMessage("Invalid count column 'n': type decimal(18,2) (must be a whole count, e.g. count(*) or a bigint)");
    assertThat(dir.resolve("x")).doesNotExist();
    // every attempt is audited, failed ones too, with what went wrong
    List<Row> entries = spark.read().format("delta").load(dir.resolve("lake/audit_log").toString()).orderBy("entry_id").collectAsList();
    assertThat(entries).extracting(r -> r.<String>getAs("kind")).containsOnly("FAILED");
    assertThat(entries.get(0).<String>getAs("reason")).isEqualTo("Cannot export: the result has no column 'age' (columns: [region, sex, n])");
  }

  @Test
  void theCliExportsAndMapsErrorsToExitCodes() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = cli(out, err);
    int code = cli.execute("export", "--lake", lake, "--query", "SELECT region, sex, persons AS n FROM population", "--dimensions", "region,sex", "--count-column", "n",
        "--counts", "persons", "--out", dir.resolve("cli").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("1 suppressed as small");
    assertThat(dir.resolve("cli/table.csv")).exists();

    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", Q, "--dimensions", "region", "--count-column", "n", "--counts", "persons", "--out", dir.resolve("cli").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("it exists and is not an empty folder");
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", Q, "--dimensions", "region", "--count-column", "n", "--counts", "persons", "--min-count", "1", "--out", dir.resolve("z").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("Invalid min count: 1 (must be >= 2)");
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", "SELECT 1", "--out", dir.resolve("w").toString())).isEqualTo(2);

    // without secondary suppression the single small cell could be recomputed from its row: refused, exit 3
    StringWriter err3 = new StringWriter();
    assertThat(cli(out, err3).execute("export", "--lake", lake, "--query", Q, "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons",
        "--no-secondary", "--out", dir.resolve("nosec").toString())).isEqualTo(3);
    assertThat(err3.toString()).contains("Secondary suppression is off but the primary suppressions alone do not protect the small cells");
    assertThat(dir.resolve("nosec")).doesNotExist();
  }

  @Test
  void innerCellsOnlyWithParquetRecordTheInputVersionsAndResidualRisk() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    asPopulation(result()).write().format("delta").mode(SaveMode.Append).save(lake + "/population"); // version 1: every count doubled
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", "SELECT region, sex, sum(persons) AS n FROM population GROUP BY 1, 2", "--dimensions", "region,sex",
        "--count-column", "n", "--counts", "persons", "--no-margins", "--parquet", "--out", dir.resolve("inner").toString())).as(err.toString()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("inner/table.csv"));
    // 84,2 = 8 is small; with the totals known elsewhere, its row and column partners are hidden too
    assertThat(lines).hasSize(1 + 6).noneMatch(l -> l.contains("Total")).contains("84,2,,true");
    assertThat(lines.stream().filter(l -> l.endsWith(",true")).count()).isGreaterThanOrEqualTo(4);
    List<Row> parquet = spark.read().parquet(dir.resolve("inner/table.parquet").toString()).orderBy("region", "sex").collectAsList();
    assertThat(parquet).hasSize(6);
    assertThat(parquet.get(0).<String>getAs("region")).isEqualTo("11");
    assertThat(parquet.get(0).<Long>getAs("n")).isEqualTo(240L);
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("inner/manifest.json").toFile());
    assertThat(manifest.path("inputs").path("population").asLong()).isEqualTo(1);
    assertThat(manifest.path("sha256").has("table.parquet")).isTrue();
    // each small cell's interval is the DPO's (audit entry), the public manifest states only that none is published
    assertThat(manifest.path("residual_risk").path("published_small_cells").asInt()).isZero();
    assertThat(lastDetail(lake).path("intervals").get(0).path("high").asDouble()).isGreaterThanOrEqualTo(11);
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
  }

  @Test
  void roundedCountsAreMultiplesOfTheBaseAndVerifyAsIntervals() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", Q, "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons",
        "--rounding", "5", "--out", dir.resolve("rounded").toString())).as(err.toString()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("rounded/table.csv"));
    assertThat(lines).contains("Total,Total,410,false", "84,2,,true"); // 409 → 410
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f[3].equals("false")) {
        assertThat(Long.parseLong(f[2]) % 5).as(line).isZero();
      }
    }
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
  }

  @Test
  void auditVerifyNamesTheAlteredCellFileAndEntry() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", Q, "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons",
        "--out", dir.resolve("pub").toString())).isZero();
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Verified: hash chain intact over 1 entries (", "Delta history appends only; 1 export(s) re-checked");
    assertThat(cli(out, err).execute("audit", "list", "--lake", lake)).isZero();
    assertThat(out.toString()).containsPattern("\\s1\\s+\\S+\\s+\\S+\\s+EXPORT");
    assertThat(cli(out, err).execute("audit", "show", "1", "--lake", lake)).isZero();
    assertThat(out.toString()).contains("entry_hash");
    Path html = dir.resolve("report.html");
    assertThat(cli(out, err).execute("audit", "report", "1", "--lake", lake, "--out", html.toString())).isZero();
    assertThat(Files.readString(html)).contains("Verified: hash chain", "<h3 id=\"small\">Small: 1 cell</h3>", "<td><code>84</code>", "What an attacker can prove");

    // a DPO's worst case: someone edits a published count after the export
    Path csv = dir.resolve("pub/table.csv");
    Files.writeString(csv, Files.readString(csv).replace("11,1,120,false", "11,1,121,false"));
    StringWriter err2 = new StringWriter();
    assertThat(cli(out, err2).execute("audit", "verify", "--lake", lake)).isEqualTo(1);
    assertThat(err2.toString())
        .contains("Entry 1: File " + csv + " was altered (SHA-256 differs from the audit log)")
        .contains("Entry 1: Cell [11, 1] was altered: 121 in the file, 120 when exported (line");

    // and someone rewrites the audit entry itself
    Dataset<Row> entries = spark.read().format("delta").load(lake + "/audit_log").cache();
    entries.count();
    entries.withColumn("user", org.apache.spark.sql.functions.lit("nobody")).write().format("delta").mode(SaveMode.Overwrite).save(lake + "/audit_log");
    StringWriter err3 = new StringWriter();
    assertThat(cli(out, err3).execute("audit", "verify", "--lake", lake)).isEqualTo(1);
    assertThat(err3.toString()).contains("ALTERED: Entry 1 was altered (its hash does not match its fields)");
  }

  /**
   * Amounts by establishment: in (84, 2) one establishment holds 950.00 of 1,000.00 euros (95 % > 85 %), so the
   * cell is hidden although its count (40) is not small, and the published amounts must leave its total
   * uncertain by at least 950 / 0.85 − 1,000 = 117.65 euros above.
   */
  @Test
  void dominatedAmountsAreSuppressedAndProtected() throws Exception {
    StructType type =
        new StructType().add("region", DataTypes.StringType).add("sex", DataTypes.IntegerType).add("etab", DataTypes.StringType)
            .add("boxes", DataTypes.LongType).add("reimbursed", DataTypes.createDecimalType(18, 2));
    List<Row> rows = new java.util.ArrayList<>();
    for (String region : List.of("11", "84", "93")) {
      for (int sex = 1; sex <= 2; sex++) {
        if (region.equals("84") && sex == 2) {
          rows.add(RowFactory.create(region, sex, "E1", 20L, new java.math.BigDecimal("950.00")));
          rows.add(RowFactory.create(region, sex, "E2", 20L, new java.math.BigDecimal("50.00")));
          continue;
        }
        for (int e = 0; e < 10; e++) {
          rows.add(RowFactory.create(region, sex, "E" + e, 5L, new java.math.BigDecimal("100.00")));
        }
      }
    }
    String lake = dir.resolve("lake").toString();
    spark.createDataFrame(rows, type).write().format("delta").save(lake + "/open_medic");
    Path yaml = dir.resolve("dominance.yaml");
    Files.writeString(
        yaml,
        """
        dimensions: [region, sex]
        count-column: n
        counts: boxes
        amount-columns: [amount]
        contributor-column: etab
        dominance: {n: 1, k: 85}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", "SELECT region, sex, etab, boxes AS n, reimbursed AS amount FROM open_medic", "--policy", yaml.toString(),
        "--out", dir.resolve("dom").toString()))
        .as(err.toString())
        .isZero();
    List<String> lines = Files.readAllLines(dir.resolve("dom/table.csv"));
    assertThat(lines.get(0)).isEqualTo("region,sex,n,amount,suppressed");
    assertThat(lines).contains("84,2,,,true", "Total,Total,290,6000.00,false", "93,1,50,1000.00,false");
    JsonNode detail = lastDetail(lake);
    assertThat(detail.path("primary_dominance").toString()).isEqualTo("[[\"84\",\"2\"]]");
    assertThat(detail.path("primary_small").size()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("dom/manifest.json").toFile()).has("primary_dominance")).isFalse();

    // the attacker's view of the amounts, by LP on the published file (independently of the gate)
    java.util.Map<List<String>, Long> cents = new java.util.LinkedHashMap<>();
    java.util.Set<List<String>> hidden = new java.util.HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      List<String> key = List.of(f[0], f[1]);
      boolean suppressed = f[4].equals("true");
      cents.put(key, suppressed ? 0L : new java.math.BigDecimal(f[3]).movePointRight(2).longValueExact());
      if (suppressed) {
        hidden.add(key);
      }
    }
    var interval =
        fr.sante.workbench.anonymisation.internal.IntervalVerifier.intervals(fr.sante.workbench.anonymisation.internal.FrequencyTable.fromCells(List.of("region", "sex"), cents), hidden)
            .get(List.of("84", "2"));
    assertThat(interval.high() - 100_000).isGreaterThanOrEqualTo(11_765);
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();

    // a double amount column is refused: money is decimal
    StringWriter err2 = new StringWriter();
    assertThat(cli(out, err2).execute("export", "--lake", lake, "--query", "SELECT region, sex, etab, boxes AS n, CAST(reimbursed AS double) AS amount FROM open_medic",
        "--dimensions", "region,sex", "--count-column", "n", "--counts", "boxes", "--amount-columns", "amount", "--dominance", "1,85", "--contributor-column", "etab",
        "--out", dir.resolve("dbl").toString())).isEqualTo(1);
    assertThat(err2.toString()).contains("Invalid amount column 'amount': type double");
  }

  @Test
  void largeTablesGoThroughCertifiedHypercubesAndVerifyFromTheirFiles() throws Exception {
    // 30 x 30 x 25 inner cells (24,986 with margins): above the whole-table LP size (4,000 cells)
    java.util.Random random = new java.util.Random(5);
    List<Row> rows = new java.util.ArrayList<>();
    for (int a = 0; a < 30; a++) {
      for (int b = 0; b < 30; b++) {
        for (int c = 0; c < 25; c++) {
          double u = random.nextDouble();
          rows.add(RowFactory.create("a" + a, "b" + b, "c" + c, u < 0.3 ? (long) random.nextInt(11) : 11L + random.nextInt(300)));
        }
      }
    }
    StructType type = new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType).add("c", DataTypes.StringType).add("persons", DataTypes.LongType);
    ExportPolicy policy = new ExportPolicy(List.of("a", "b", "c"), "n", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults());
    String lake = dir.resolve("lake").toString();
    spark.createDataFrame(rows, type).write().format("delta").save(lake + "/population");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(cli(out, err).execute("export", "--lake", lake, "--query", "SELECT a, b, c, persons AS n FROM population", "--dimensions", "a,b,c", "--count-column", "n", "--counts", "persons",
        "--out", dir.resolve("big").toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("protection by certified hypercubes");
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("big/manifest.json").toFile());
    assertThat(manifest.path("method").asText()).isEqualTo("hypercube");
    JsonNode detail = lastDetail(lake);
    assertThat(manifest.has("certificates")).isFalse();
    assertThat(detail.path("certificates").size()).isEqualTo(detail.path("primary").size()).isPositive();
    List<String> lines = Files.readAllLines(dir.resolve("big/table.csv"));
    assertThat(lines).hasSize(1 + 31 * 31 * 26);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells[4].equals("false")) {
        assertThat(Long.parseLong(cells[3])).as(line).satisfiesAnyOf(n -> assertThat(n).isZero(), n -> assertThat(n).isGreaterThanOrEqualTo(11));
      }
    }
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();

    // reveal one hidden cell of some cube: verify names the cube that lost a corner
    List<String> secondary = new java.util.ArrayList<>();
    detail.path("secondary").get(0).forEach(c -> secondary.add(c.asText()));
    String hiddenLine = String.join(",", secondary) + ",,true";
    assertThat(lines).contains(hiddenLine);
    lines.set(lines.indexOf(hiddenLine), hiddenLine.replace(",,true", ",99,false"));
    Files.write(dir.resolve("big/table.csv"), lines);
    StringWriter err2 = new StringWriter();
    assertThat(cli(out, err2).execute("audit", "verify", "--lake", lake)).isEqualTo(1);
    assertThat(err2.toString()).contains("is published but the manifest recorded it as suppressed");
  }

  private static picocli.CommandLine cli(StringWriter out, StringWriter err) {
    picocli.CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** Found by an attacker: selecting cells by their count (HAVING, or WHERE on a grouped subquery) gives their hidden values away. */
  @Test
  void aQueryThatKeepsCellsByTheirCountIsRefused() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    for (String query : List.of(
        "SELECT region, sex, n FROM (SELECT region, sex, sum(persons) AS n FROM population GROUP BY 1, 2) WHERE n = 4",
        "SELECT region, sex, sum(persons) AS n FROM population GROUP BY 1, 2 HAVING sum(persons) < 11",
        "SELECT region, sex, persons AS n FROM population WHERE region IN (SELECT region FROM population GROUP BY region HAVING min(persons) = 4)")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertThat(cli(out, err).execute("export", "--lake", lake, "--query", query, "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons",
          "--out", dir.resolve("by-value").toString())).as(query).isEqualTo(3);
      assertThat(err.toString()).as(query).contains("keeps rows by the value of a count or amount");
      assertThat(dir.resolve("by-value")).doesNotExist();
    }
  }

  /** Found by an attacker: a line break in a category broke the CSV re-check, and the Parquet copy was parsed back from the CSV with another escape. */
  @Test
  void awkwardCategoriesArePublishedIdenticallyInCsvAndParquetOrRefusedClearly() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String awkward = "CASE region WHEN '11' THEN 'x\\\\\",y' WHEN '84' THEN ' lead' ELSE 'a,\"b|c' END";
    assertThat(cli(out, err).execute("export", "--lake", lake, "--parquet", "--query", "SELECT " + awkward + " AS region, sex, persons AS n FROM population",
        "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons", "--out", dir.resolve("awk").toString())).as(err.toString()).isZero();
    // the Parquet copy holds exactly the cells of the CSV, read back through the gate's own codec
    var published = fr.sante.workbench.anonymisation.PublishedTable.read(dir.resolve("awk"));
    List<Row> parquet = spark.read().parquet(dir.resolve("awk/table.parquet").toString()).collectAsList();
    assertThat(parquet).hasSize(published.cells().size());
    for (int i = 0; i < parquet.size(); i++) {
      var cell = published.cells().get(i);
      Row row = parquet.get(i);
      assertThat(List.of(row.getString(0), row.getString(1))).isEqualTo(cell.key());
      assertThat(row.isNullAt(2) ? null : row.getLong(2)).isEqualTo(cell.count().isPresent() ? cell.count().getAsLong() : null);
      assertThat(row.getBoolean(3)).isEqualTo(cell.suppressed());
    }
    assertThat(published.cells()).anySatisfy(c -> assertThat(c.key().get(0)).isEqualTo("x\\\",y"));
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();

    StringWriter err2 = new StringWriter();
    assertThat(cli(out, err2).execute("export", "--lake", lake, "--query", "SELECT concat(region, char(10), 'b') AS region, sex, persons AS n FROM population",
        "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons", "--out", dir.resolve("nl").toString())).isEqualTo(1);
    assertThat(err2.toString()).contains("holds a line break");
    assertThat(dir.resolve("nl")).doesNotExist();
  }

  /** Found by an attacker: one unreadable manifest stopped the report of every entry. */
  @Test
  void theReportOfEveryEntrySurvivesABadManifest() throws Exception {
    String lake = dir.resolve("lake").toString();
    asPopulation(result()).write().format("delta").save(lake + "/population");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    for (String name : List.of("r1", "r2")) {
      assertThat(cli(out, err).execute("export", "--lake", lake, "--query", Q, "--dimensions", "region,sex", "--count-column", "n", "--counts", "persons",
          "--out", dir.resolve(name).toString())).isZero();
    }
    Files.writeString(dir.resolve("r1/manifest.json"), "not json");
    assertThat(cli(out, err).execute("audit", "report", "--lake", lake, "--out", dir.resolve("reports").toString())).as(err.toString()).isZero();
    assertThat(dir.resolve("reports/index.html")).exists();
    assertThat(Files.readString(dir.resolve("reports/entry-1.html"))).contains("Cannot read the manifest");
    assertThat(Files.readString(dir.resolve("reports/entry-2.html"))).contains("Verified");
  }

  /** The DPO detail of the newest audit entry of the lake. */
  private JsonNode lastDetail(String lake) throws java.io.IOException {
    Row last = spark.read().format("delta").load(lake + "/audit_log").orderBy(org.apache.spark.sql.functions.col("entry_id").desc()).first();
    return new ObjectMapper().readTree(last.<String>getAs("detail"));
  }

  /**
   * Found by an attacker helper: a dimension's label carried a value a subquery computed (one line's amount), and
   * passed through the gate as a category. Every dimension must be a column of the rows counted or a row-wise function
   * of them: a subquery, an aggregate or a window in it is refused, with an audit entry.
   */
  @Test
  void aDimensionComputedByASubqueryOrAnAggregateIsRefused() {
    result().createOrReplaceTempView("cells");
    Dataset<Row> smuggled = spark.sql("SELECT concat('r', CAST((SELECT max(n) FROM cells WHERE region = '84' AND sex = 2) AS STRING)) AS region, sex, n FROM cells");
    assertThatThrownBy(() -> Exports.write(spark, smuggled, POLICY, request("smuggled")))
        .isInstanceOf(fr.sante.workbench.anonymisation.DisclosureCheckFailedException.class)
        .hasMessageContaining("the dimension 'region' is computed with a subquery");
    assertThatThrownBy(() -> Exports.write(spark, spark.sql("SELECT CAST(max(n) OVER (PARTITION BY region) AS STRING) AS region, sex, n FROM cells"), POLICY, request("window")))
        .isInstanceOf(fr.sante.workbench.anonymisation.DisclosureCheckFailedException.class);
    assertThat(dir.resolve("smuggled")).doesNotExist();
    assertThat(AuditLog.entries(spark, dir.resolve("lake/audit_log").toString())).extracting(e -> e.entry().kind()).containsOnly("REFUSED");
  }
}
