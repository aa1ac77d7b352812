package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The gate as a boundary, tried as an attacker would. An analyst's SQL cannot write, change the lake, run code
 * or read a file outside the lake, through any command that takes SQL; and a published count is what the gate
 * traced to {@code count(*)} or to a sum of a declared count column, never the query's word. Each attack is
 * checked by its effect (on disk, on the lake, in the audit log), not by the message alone.
 */
class GateBoundaryTest {
  @TempDir static Path dir;
  static String lake;
  static Path secret;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void lakeWithAnExport() throws Exception {
    TestSpark.session();
    Path file = DamirFixtures.write(dir.resolve("A202405.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202405, 400, 5));
    lake = dir.resolve("lake").toString();
    secret = Files.writeString(dir.resolve("secret.txt"), "root:x:0:0\n");
    assertThat(Workbench.commandLine().execute("ingest", "damir", file.toString(), "--lake", lake)).isZero();
    assertThat(
            Workbench.commandLine()
                .execute("export", "--lake", lake, "--query", "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "--dimensions", "BEN_SEX_COD",
                    "--count-column", "n", "--counts", "rows", "--out", dir.resolve("first").toString()))
        .isZero();
  }

  private int run(String... args) {
    CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private long auditEntries() {
    return new Lake(lake).read(TestSpark.session(), Lake.AUDIT_LOG).count();
  }

  private long auditVersion() {
    return io.delta.tables.DeltaTable.forPath(TestSpark.session(), lake + "/audit_log").history(1).first().getLong(0);
  }

  @Test
  void exportOfAnInsertOverwriteDirectoryWritesNothing() {
    Path target = dir.resolve("stolen");
    String query = "INSERT OVERWRITE DIRECTORY '" + target + "' USING csv SELECT * FROM damir";
    assertThat(run("export", "--lake", lake, "--query", query, "--dimensions", "BEN_SEX_COD", "--count-column", "n", "--counts", "rows", "--out", dir.resolve("o1").toString()))
        .isEqualTo(2);
    assertThat(target).doesNotExist();
    assertThat(dir.resolve("o1")).doesNotExist();
    assertThat(err.toString()).contains("InsertIntoDir").contains("not a read-only query operator");
  }

  @Test
  void sqlRefusesEveryCommandAndLeavesTheLakeAsItWas() {
    long entries = auditEntries();
    long version = auditVersion();
    SparkSession spark = TestSpark.session();
    List<String> attacks =
        List.of(
            "INSERT OVERWRITE DIRECTORY '" + dir.resolve("x1") + "' USING csv SELECT * FROM damir",
            "CREATE TABLE stolen USING delta LOCATION '" + dir.resolve("x2") + "' AS SELECT * FROM damir",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE entry_id = 1",
            "UPDATE audit_log SET entry_id = 7",
            "MERGE INTO audit_log t USING audit_log s ON t.entry_id = s.entry_id WHEN MATCHED THEN DELETE",
            "RESTORE TABLE delta.`" + lake + "/audit_log` TO VERSION AS OF 0",
            "CACHE TABLE c AS SELECT * FROM damir",
            "SET spark.sql.warehouse.dir=" + dir.resolve("x3"),
            "CREATE TEMPORARY VIEW v USING csv OPTIONS (path '" + secret + "')",
            "DROP TABLE damir",
            "SELECT TRANSFORM(FLX_ANN_MOI) USING 'cat " + secret + "' AS (line) FROM damir",
            "BEGIN SELECT 1; END");
    for (String attack : attacks) {
      err.getBuffer().setLength(0);
      assertThat(run("sql", "--lake", lake, attack)).as(attack + "\n" + err).isEqualTo(2);
      assertThat(err.toString()).as(attack).startsWith("Error: ");
    }
    assertThat(dir.resolve("x1")).doesNotExist();
    assertThat(dir.resolve("x2")).doesNotExist();
    assertThat(spark.catalog().tableExists("stolen")).isFalse();
    assertThat(spark.catalog().tableExists("c")).isFalse();
    assertThat(spark.conf().get("spark.sql.warehouse.dir")).doesNotContain("x3");
    assertThat(auditEntries()).isEqualTo(entries);
    assertThat(auditVersion()).as("no commit on audit_log").isEqualTo(version);
    assertThat(new Lake(lake).read(spark, Lake.DAMIR).count()).isEqualTo(400);
  }

  @Test
  void noFileOutsideTheLakeCanBeReadNorJavaCalled() {
    List<String> attacks =
        List.of(
            "SELECT * FROM text.`" + secret + "`",
            "SELECT * FROM csv.`" + secret + "`",
            "SELECT * FROM delta.`" + lake + "/damir`",
            "SELECT * FROM spark_catalog.default.damir",
            "SELECT * FROM read_files('" + secret + "')",
            "SELECT * FROM damir WHERE FLX_ANN_MOI IN (SELECT value FROM text.`" + secret + "`)",
            "SELECT (SELECT max(value) FROM text.`" + secret + "`) AS s FROM damir",
            "WITH s AS (SELECT * FROM text.`" + secret + "`) SELECT * FROM s",
            "SELECT * FROM damir d JOIN text.`" + secret + "` t ON true",
            "SELECT reflect('java.lang.System', 'getProperty', 'user.home')",
            "SELECT java_method('java.lang.System', 'getenv', 'HOME')",
            "SELECT * FROM no_such_table");
    for (String attack : attacks) {
      err.getBuffer().setLength(0);
      out.getBuffer().setLength(0);
      assertThat(run("sql", "--lake", lake, attack)).as(attack + "\n" + err).isEqualTo(2);
      assertThat(out.toString()).as(attack).doesNotContain("root:x");
      assertThat(run("risk", "--lake", lake, "--query", attack, "--quasi-identifiers", "value", "--k", "5")).as(attack).isEqualTo(2);
    }
  }

  @Test
  void readOnlyQueriesOfTheLakeStillRun() {
    List<String> queries =
        List.of(
            "SELECT count(*) FROM damir",
            "WITH m AS (SELECT FLX_ANN_MOI, count(*) AS n FROM damir GROUP BY 1) SELECT * FROM m ORDER BY 1 LIMIT 5",
            "SELECT d.PRS_NAT, c.label FROM damir d LEFT JOIN code_lists c ON c.column_name = 'PRS_NAT' AND c.code = CAST(d.PRS_NAT AS STRING) LIMIT 3",
            "SELECT * FROM damir WHERE PRS_NAT IN (SELECT PRS_NAT FROM damir WHERE FLT_REM_MNT > 0) LIMIT 2",
            "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)",
            "SELECT FLX_ANN_MOI, sum(FLT_REM_MNT) OVER (PARTITION BY BEN_SEX_COD) FROM damir LIMIT 2",
            "SELECT entry_id FROM audit_log");
    for (String query : queries) {
      err.getBuffer().setLength(0);
      assertThat(run("sql", "--lake", lake, query)).as(query + "\n" + err).isZero();
    }
  }

  @Test
  void anyDeltaTableUnderTheLakeIsReadByNameAndTheManifestListsWhatWasRead() throws Exception {
    SparkSession spark = TestSpark.session();
    spark.sql("SELECT 1 AS age, 2 AS sex").write().format("delta").save(lake + "/extra");
    assertThat(run("sql", "--lake", lake, "SELECT * FROM extra")).isZero();
    Path outDir = dir.resolve("by-sex");
    assertThat(run("export", "--lake", lake, "--query", "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "--dimensions", "BEN_SEX_COD",
            "--count-column", "n", "--counts", "rows", "--out", outDir.toString()))
        .as(err.toString())
        .isZero();
    String manifest = Files.readString(outDir.resolve("manifest.json"));
    assertThat(manifest).contains("\"damir\"").doesNotContain("\"extra\"").doesNotContain("\"code_lists\"");
  }

  private int export(String query, String counts, String out) {
    return run("export", "--lake", lake, "--query", query, "--dimensions", "BEN_SEX_COD", "--count-column", "n", "--counts", counts, "--out", dir.resolve(out).toString());
  }

  @Test
  void countsTheQueryInventsAreRefusedAndAudited() {
    List<String> attacks =
        List.of(
            "SELECT BEN_SEX_COD, count(*) * 100 AS n FROM damir GROUP BY 1",
            "SELECT BEN_SEX_COD, 1000 AS n FROM damir",
            "SELECT BEN_SEX_COD, count(*) + 20 AS n FROM damir GROUP BY 1",
            "SELECT BEN_SEX_COD, sum(PRS_NAT) AS n FROM damir GROUP BY 1",
            "SELECT BEN_SEX_COD, sum(FLT_ACT_QTE * 100) AS n FROM damir GROUP BY 1",
            "SELECT d.BEN_SEX_COD, count(*) AS n FROM damir d JOIN damir e ON d.BEN_SEX_COD = e.BEN_SEX_COD GROUP BY 1",
            "SELECT BEN_SEX_COD, count(*) AS n FROM (SELECT * FROM damir UNION ALL SELECT * FROM damir) GROUP BY 1",
            "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY ROLLUP(BEN_SEX_COD, AGE_BEN_SNDS)",
            "SELECT BEN_SEX_COD, count(*) AS n FROM damir LATERAL VIEW explode(array(1, 2, 3)) t AS x GROUP BY 1",
            "SELECT BEN_SEX_COD, count(DISTINCT PRS_NAT) AS n FROM damir GROUP BY 1",
            "SELECT BEN_SEX_COD, count(*) OVER (PARTITION BY BEN_SEX_COD) AS n FROM damir",
            "SELECT BEN_SEX_COD, count(PRS_NAT) AS n FROM (SELECT BEN_SEX_COD, PRS_NAT FROM damir GROUP BY 1, 2) GROUP BY 1",
            "SELECT BEN_SEX_COD, count(*) AS n FROM (SELECT BEN_SEX_COD, PRS_NAT FROM damir GROUP BY 1, 2) GROUP BY 1",
            "SELECT BEN_SEX_COD, max(n) AS n FROM (SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1) GROUP BY 1",
            "SELECT BEN_SEX_COD, BEN_SEX_COD AS n FROM damir GROUP BY 1");
    int k = 0;
    for (String attack : attacks) {
      long before = auditEntries();
      err.getBuffer().setLength(0);
      String out = "attack" + k++;
      assertThat(export(attack, "rows", out)).as(attack + "\n" + err).isEqualTo(3);
      assertThat(dir.resolve(out)).as(attack).doesNotExist();
      assertThat(err.toString()).as(attack).contains("Cannot export: the count column 'n'");
      assertThat(auditEntries()).as("the refusal is audited: " + attack).isEqualTo(before + 1);
    }
    // a declared count of the wrong unit: FLT_ACT_QTE counts acts, FLT_REM_MNT is an amount, count(*) counts rows
    assertThat(export("SELECT BEN_SEX_COD, sum(FLT_ACT_QTE) AS n FROM damir GROUP BY 1", "persons", "u1")).isEqualTo(3);
    assertThat(err.toString()).contains("counts acts, but the policy says it counts persons");
    assertThat(export("SELECT BEN_SEX_COD, sum(FLT_REM_MNT) AS n FROM damir GROUP BY 1", "acts", "u2")).isEqualTo(3);
    assertThat(export("SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "persons", "u3")).isEqualTo(3);
    assertThat(err.toString()).contains("which counts rows, but the policy says it counts persons");
    // an amount must trace to a declared amount column
    assertThat(run("export", "--lake", lake, "--query", "SELECT BEN_SEX_COD, count(*) AS n, sum(PRS_NAT) AS euros FROM damir GROUP BY 1", "--dimensions",
            "BEN_SEX_COD", "--count-column", "n", "--counts", "rows", "--amount-columns", "euros", "--out", dir.resolve("u4").toString()))
        .isEqualTo(3);
    assertThat(err.toString()).contains("the amount column 'euros' is column PRS_NAT of table damir, which is declared neither as an amount nor as a count");
  }

  @Test
  void tracedCountsArePublishedWithTheTrueTotals() throws Exception {
    SparkSession spark = TestSpark.session();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> damir = spark.read().format("delta").load(lake + "/damir");
    long lines = damir.count();
    long acts = damir.agg(org.apache.spark.sql.functions.sum("FLT_ACT_QTE")).first().getLong(0);
    List<String[]> accepted =
        List.of(
            new String[] {"SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "rows", String.valueOf(lines)},
            new String[] {"SELECT BEN_SEX_COD, count(1) AS n FROM damir WHERE FLX_ANN_MOI = 202405 GROUP BY 1", "rows", String.valueOf(lines)},
            new String[] {"SELECT BEN_SEX_COD, n FROM (SELECT BEN_SEX_COD, AGE_BEN_SNDS, count(*) AS n FROM damir GROUP BY 1, 2)", "rows", String.valueOf(lines)},
            new String[] {"SELECT BEN_SEX_COD, sum(n) AS n FROM (SELECT BEN_SEX_COD, AGE_BEN_SNDS, count(*) AS n FROM damir GROUP BY 1, 2) GROUP BY 1", "rows", String.valueOf(lines)},
            new String[] {"SELECT BEN_SEX_COD, FLT_ACT_QTE AS n FROM damir", "acts", String.valueOf(acts)},
            new String[] {"WITH q AS (SELECT BEN_SEX_COD, CAST(sum(FLT_ACT_QTE) AS bigint) AS n FROM damir GROUP BY 1) SELECT * FROM q", "acts", String.valueOf(acts)});
    int k = 0;
    for (String[] query : accepted) {
      err.getBuffer().setLength(0);
      Path out = dir.resolve("ok" + k++);
      assertThat(export(query[0], query[1], out.getFileName().toString())).as(query[0] + "\n" + err).isZero();
      // the published grand total, read from the file, equals the count Spark makes of the table directly
      assertThat(Files.readAllLines(out.resolve("table.csv"))).as(query[0]).contains("Total," + query[2] + ",false");
    }
  }

  /** Record-level roles: a quasi-identifier cannot be declared insensitive, nor a column that singles records out. */
  @Test
  void insensitiveColumnsCannotCarryQuasiIdentifiersNorSingleRecordsOut() throws Exception {
    Path sex = Files.writeString(dir.resolve("sex.csv"), "1;*\n2;*\n9;*\n");
    String base = "SELECT BEN_SEX_COD AS sex, %s FROM damir";
    List<String[]> refused =
        List.of(
            new String[] {"BEN_RES_REG AS region", "region", "comes from BEN_RES_REG of damir, a quasi-identifier"},
            new String[] {"CAST(AGE_BEN_SNDS + 0 AS string) AS age", "age", "comes from AGE_BEN_SNDS of damir, a quasi-identifier"},
            new String[] {"FLT_REM_MNT AS amount", "amount", "has a value unique to"});
    int k = 0;
    for (String[] attack : refused) {
      err.getBuffer().setLength(0);
      Path out = dir.resolve("records" + k++);
      assertThat(run("export", "--lake", lake, "--query", String.format(base, attack[0]), "--quasi-identifier", "sex=" + sex, "--insensitive", attack[1], "--k", "5",
              "--max-suppression", "0.05", "--out", out.toString()))
          .as(attack[0] + "\n" + err)
          .isEqualTo(3);
      assertThat(err.toString()).as(attack[0]).contains("insensitive column '" + attack[1] + "' " + attack[2]);
      assertThat(out).doesNotExist();
    }
    // a column that is neither: published as it is
    assertThat(run("export", "--lake", lake, "--query", String.format(base, "PRS_REM_TYP AS kind"), "--quasi-identifier", "sex=" + sex, "--insensitive", "kind", "--k", "5",
            "--max-suppression", "0.05", "--out", dir.resolve("records-ok").toString()))
        .as(err.toString())
        .isZero();
  }
}
