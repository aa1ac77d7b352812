package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.anonymisation.AnonymisationException;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.DisclosureCheckFailedException;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.LDiversity;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.anonymisation.RiskReport;
import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicrodataExportTest {
  private static final String[] DEPARTEMENTS = {"59", "62", "75", "92", "2A", "13", "69", "33"};
  private static final String[] DIAGNOSES = {"E11", "I10", "J45", "F32", "C50"};

  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /** 400 patients: age in years, département, care month, sex, a diagnosis (sensitive), an amount. */
  private Dataset<Row> patients() {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(
          RowFactory.create(
              (int) Math.min(99, Math.abs(random.nextGaussian() * 25 + 45)),
              DEPARTEMENTS[Math.min(DEPARTEMENTS.length - 1, (int) Math.abs(random.nextGaussian() * 3))],
              String.format("2024-%02d", 1 + random.nextInt(12)),
              random.nextBoolean() ? "F" : "M",
              DIAGNOSES[random.nextInt(DIAGNOSES.length)],
              // amounts in steps of 10 euros: an amount in cents would single records out (the gate refuses it)
              new BigDecimal(random.nextInt(20) * 1000).movePointLeft(2)));
    }
    StructType type =
        new StructType()
            .add("age", DataTypes.IntegerType)
            .add("dpt", DataTypes.StringType)
            .add("month", DataTypes.StringType)
            .add("sex", DataTypes.StringType)
            .add("diagnosis", DataTypes.StringType)
            .add("amount", DataTypes.createDecimalType(18, 2));
    return spark.createDataFrame(rows, type);
  }

  private MicrodataPolicy policy(int k, double maxSuppression) {
    Hierarchy sex = new Hierarchy("sex", List.of(List.of("F", "*"), List.of("M", "*")));
    return new MicrodataPolicy(
        new KAnonymity(List.of("age", "dpt", "month", "sex"), k),
        List.of(Hierarchy.ages("age"), Hierarchy.geography("dpt"), Hierarchy.months("month", 2023, 2025), sex),
        List.of(new LDiversity("diagnosis", 2)),
        List.of("amount"),
        maxSuppression);
  }

  private Exports.Request request(String out) {
    return new Exports.Request(dir.resolve("lake/audit_log").toString(), dir.resolve(out), "patients", "test");
  }

  @Test
  void publishesKAnonymousLDiverseRecordsCheckedFromTheFile() throws Exception {
    Exports.MicrodataResult result = Exports.writeMicrodata(spark, patients(), policy(5, 0.05), request("out"));

    List<String> lines = Files.readAllLines(result.records());
    assertThat(lines.get(0)).isEqualTo("age,dpt,month,sex,diagnosis,amount");
    Map<String, Integer> sizes = new HashMap<>();
    Map<String, Set<String>> diagnoses = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String key = f[0] + "|" + f[1] + "|" + f[2] + "|" + f[3];
      sizes.merge(key, 1, Integer::sum);
      diagnoses.computeIfAbsent(key, x -> new HashSet<>()).add(f[4]);
      assertThat(f[5]).matches("\\d+(\\.\\d{1,2})?");
    }
    assertThat(sizes.values()).allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(5));
    assertThat(diagnoses.values()).allSatisfy(d -> assertThat(d).hasSizeGreaterThanOrEqualTo(2));
    long published = lines.size() - 1;
    assertThat(400 - published).isLessThanOrEqualTo(20);
    // the original data is not 5-anonymous: something was generalised
    assertThat(result.anonymised().before().minClassSize()).isLessThan(5);
    assertThat(result.anonymised().generalisation().levels()).anySatisfy(level -> assertThat(level).isPositive());

    JsonNode manifest = new ObjectMapper().readTree(result.manifest().toFile());
    assertThat(manifest.path("kind").asText()).isEqualTo("microdata");
    assertThat(manifest.path("records_published").asLong()).isEqualTo(published);
    assertThat(manifest.path("generalisation").path("suppressed_records").asLong()).isEqualTo(400 - published);
    assertThat(manifest.path("risk_after").path("records").asLong()).isEqualTo(published);
    assertThat(manifest.path("risk_after").path("classes").asLong()).isEqualTo(sizes.size());
    assertThat(manifest.path("rules").asText()).isEqualTo("5-anonymity on age, dpt, month, sex and distinct 2-diversity of diagnosis");

    Row entry = spark.read().format("delta").load(dir.resolve("lake/audit_log").toString()).first();
    assertThat(entry.<String>getAs("kind")).isEqualTo("EXPORT");
    assertThat(entry.<Long>getAs("cells_published")).isEqualTo(published);
    assertThat(AuditLog.verify(spark, dir.resolve("lake/audit_log").toString())).isEmpty();
  }

  @Test
  void riskReportCountsClassesUniquesAndRecordsAtRisk() {
    Dataset<Row> data = patients();
    RiskReport report = RiskReport.of(data, List.of("dpt", "sex"), 5);
    // independent count on the driver
    Map<String, Integer> sizes = new HashMap<>();
    data.collectAsList().forEach(r -> sizes.merge(r.getString(1) + "|" + r.getString(3), 1, Integer::sum));
    assertThat(report.records()).isEqualTo(400);
    assertThat(report.classes()).isEqualTo(sizes.size());
    assertThat(report.minClassSize()).isEqualTo(sizes.values().stream().mapToInt(Integer::intValue).min().orElseThrow());
    assertThat(report.sampleUniques()).isEqualTo(sizes.values().stream().filter(s -> s == 1).count());
    assertThat(report.recordsAtRisk()).isEqualTo(sizes.values().stream().filter(s -> s < 5).mapToLong(Integer::longValue).sum());
    assertThat(report.meanRisk()).isEqualTo((double) sizes.size() / 400);
    assertThat(report.sizes().stream().mapToLong(RiskReport.SizeBand::records).sum()).isEqualTo(400);
  }

  @Test
  void refusesWhenNoGeneralisationIsSafeAndLogsTheRefusal() {
    assertThatThrownBy(() -> Exports.writeMicrodata(spark, patients(), policy(401, 0), request("refused")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("no generalisation satisfies 401-anonymity on age, dpt, month, sex and distinct 2-diversity of diagnosis with at most 0 suppressed records");
    assertThat(dir.resolve("refused")).doesNotExist();
    Row entry = spark.read().format("delta").load(dir.resolve("lake/audit_log").toString()).first();
    assertThat(entry.<String>getAs("kind")).isEqualTo("REFUSED");
    assertThat(entry.<String>getAs("reason")).contains("no generalisation satisfies");
  }

  @Test
  void invalidPoliciesAndInputsFailBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> Exports.writeMicrodata(spark, patients().withColumn("nir", org.apache.spark.sql.functions.lit("1850575")), policy(5, 0), request("a")))
        .isInstanceOf(AnonymisationException.class)
        .hasMessageContaining("column 'nir' has no role");
    assertThatThrownBy(() -> Exports.writeMicrodata(spark, patients().withColumn("dpt", org.apache.spark.sql.functions.lit("99")), policy(5, 0), request("b")))
        .hasMessageContaining("value '99' of 'dpt' is not in its hierarchy");
    assertThatThrownBy(() -> Exports.writeMicrodata(spark, patients().withColumn("sex", org.apache.spark.sql.functions.lit(null).cast("string")), policy(5, 0), request("c")))
        .hasMessageContaining("quasi-identifier 'sex' is null");
    assertThatThrownBy(() -> new MicrodataPolicy(new KAnonymity(List.of("age", "sex"), 5), List.of(Hierarchy.ages("age")), List.of(), List.of(), 0))
        .hasMessage("Invalid policy: quasi-identifier 'sex' has no hierarchy (give a file or one of [geography, month, age])");
    assertThatThrownBy(() -> new KAnonymity(List.of("age"), 1)).hasMessage("Invalid k: 1 (must be >= 2)");
    assertThatThrownBy(() -> policy(5, 1.5)).hasMessageContaining("Invalid max-suppression: 1.5");
    assertThat(dir.resolve("a")).doesNotExist();
    // the three attempts that reached the gate are audited as failed, with their reasons
    List<Row> entries = spark.read().format("delta").load(dir.resolve("lake/audit_log").toString()).orderBy("entry_id").collectAsList();
    assertThat(entries).hasSize(3).extracting(r -> r.<String>getAs("kind")).containsOnly("FAILED");
    assertThat(entries.get(0).<String>getAs("reason")).contains("column 'nir' has no role");
  }

  @Test
  void cliExportsWithAYamlPolicyReportsAndVerifiesAndExitsThreeOnRefusal() throws Exception {
    String lake = dir.resolve("lake").toString();
    patients().write().format("delta").save(lake + "/damir");
    Files.writeString(dir.resolve("sex.csv"), "F;*\nM;*\n");
    Path yaml = dir.resolve("policy.yaml");
    Files.writeString(
        yaml,
        """
        # record-level export of patients
        quasi-identifiers:
          age: age
          dpt: geography
          sex: sex.csv
        k: 5
        max-suppression: 0.02
        sensitive:
          diagnosis: 2
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = cli(out, err).execute("export", "--lake", lake, "--query", "SELECT age, dpt, sex, diagnosis FROM damir", "--policy", yaml.toString(), "--out", dir.resolve("pub").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Published", "Risk before:", "Risk after:");
    assertThat(cli(out, err).execute("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
    Path html = dir.resolve("report.html");
    assertThat(cli(out, err).execute("audit", "report", "1", "--lake", lake, "--out", html.toString())).isZero();
    assertThat(Files.readString(html)).contains("Records by equivalence-class size", "<svg", "Generalisation levels");
    Path all = dir.resolve("reports");
    assertThat(cli(out, err).execute("audit", "report", "--lake", lake, "--out", all.toString())).isZero();
    assertThat(Files.readString(all.resolve("index.html"))).contains("<a href=\"entry-1.html\">1</a>", "verified");
    assertThat(all.resolve("entry-1.html")).exists();

    StringWriter riskOut = new StringWriter();
    assertThat(cli(riskOut, err).execute("risk", "--lake", lake, "--query", "SELECT * FROM damir", "--quasi-identifiers", "age,dpt,sex", "--k", "5")).isZero();
    assertThat(riskOut.toString()).contains("sample uniques", "class size");

    // a tampered file: one record moved to another class
    Path records = dir.resolve("pub/records.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(records));
    String[] first = lines.get(1).split(",", -1);
    first[2] = first[2].equals("F") ? "M" : "F";
    first[1] = "84";
    lines.set(1, String.join(",", first));
    Files.write(records, lines);
    StringWriter err2 = new StringWriter();
    assertThat(cli(out, err2).execute("audit", "verify", "--lake", lake)).isEqualTo(1);
    assertThat(err2.toString()).contains("was altered (SHA-256 differs", "have fewer than k = 5 records");

    StringWriter err3 = new StringWriter();
    assertThat(cli(out, err3).execute("export", "--lake", lake, "--query", "SELECT age, sex FROM damir", "--quasi-identifier", "age=age", "--quasi-identifier",
        "sex=" + dir.resolve("sex.csv"), "--k", "1000", "--out", dir.resolve("no").toString())).isEqualTo(3);
    assertThat(err3.toString()).contains("no generalisation satisfies 1000-anonymity");
    assertThat(dir.resolve("no")).doesNotExist();
  }

  private static picocli.CommandLine cli(StringWriter out, StringWriter err) {
    picocli.CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }
}
