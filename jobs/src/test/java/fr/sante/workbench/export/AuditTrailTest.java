package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.CliRunner;
import fr.sante.workbench.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail tried as an attacker who can write the lake but cannot read the DPO's key: deleting the
 * newest entry, removing the last commit of the Delta log, restoring an old version, rebuilding the whole chain
 * consistently; and two exports at once. Each attack is made with Delta's and the file system's own tools, not
 * with the workbench, and {@code audit verify} must fail naming it. The key is found through {@code user.home}
 * ({@code ~/.workbench/audit.key}), set to a scratch folder for this class.
 */
class AuditTrailTest {
  @TempDir static Path dir;
  static String previousHome;
  static Path source;
  private final CliRunner cli = new CliRunner();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  @BeforeAll
  static void keyAndData() {
    previousHome = System.getProperty("user.home");
    System.setProperty("user.home", dir.resolve("home").toString());
    TestSpark.session();
    source = DamirFixtures.write(dir.resolve("A202405.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202405, 300, 9));
  }

  @AfterAll
  static void restoreHome() {
    System.setProperty("user.home", previousHome);
  }

  private int run(String... args) {
    return cli.run(args);
  }

  /** A lake with the key set up and three exports; returns it. */
  private String lakeWithExports(String name) {
    String lake = dir.resolve(name).toString();
    assertThat(run("ingest", "damir", source.toString(), "--lake", lake)).isZero();
    assertThat(run("audit", "init", "--lake", lake)).as(err.toString()).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(export(lake, dir.resolve(name + "-out").resolve("t" + i))).as(err.toString()).isZero();
    }
    assertThat(run("audit", "verify", "--lake", lake, "--exports", dir.resolve(name + "-out").toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("4 entries (4 signed)", "3 published folder(s) found in the log");
    return lake;
  }

  private int export(String lake, Path out) {
    return run("export", "--lake", lake, "--query", "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "--dimensions", "BEN_SEX_COD", "--count-column", "n",
        "--counts", "rows", "--out", out.toString());
  }

  private String verifyFails(String lake, String... extra) {
    err.getBuffer().setLength(0);
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--lake", lake));
    args.addAll(List.of(extra));
    assertThat(run(args.toArray(String[]::new))).as(out.toString()).isEqualTo(1);
    return err.toString();
  }

  @Test
  void deletingTheNewestEntryIsCaught() {
    String lake = lakeWithExports("l1");
    DeltaTable.forPath(TestSpark.session(), lake + "/audit_log").delete(functions.col("entry_id").equalTo(4));
    assertThat(verifyFails(lake)).contains("Commit").contains("is a DELETE");
  }

  @Test
  void removingTheLastCommitOfTheDeltaLogIsCaught() throws Exception {
    String lake = lakeWithExports("l2");
    Path log = Path.of(lake, "audit_log", "_delta_log");
    Path last;
    try (Stream<Path> files = Files.list(log)) {
      last = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).max(Path::compareTo).orElseThrow();
    }
    String version = last.getFileName().toString().substring(0, 20);
    Files.delete(last);
    Files.deleteIfExists(log.resolve("." + version + ".json.crc"));
    // the checksum Delta left beside the commit gives the cut away
    assertThat(verifyFails(lake)).contains("traces of commit " + Long.parseLong(version));
    // a careful attacker removes it too: the published folder still names the entry that was cut
    Files.deleteIfExists(log.resolve(version + ".crc"));
    Files.deleteIfExists(log.resolve("." + version + ".crc.crc"));
    assertThat(verifyFails(lake, "--exports", dir.resolve("l2-out").toString())).contains("carries audit entry 4, which is not in the audit log");
    // and without the folders: the cut commit's data file is still there, in no commit
    assertThat(verifyFails(lake)).contains("of the audit log is not in the table's current state");
  }

  /** A folder is checked as received: its files, not only its entry's place in the chain; a folder without its entry file is named. */
  @Test
  void publishedFoldersAreCheckedWhereTheyWereReceived() throws Exception {
    String lake = lakeWithExports("l9");
    Path received = dir.resolve("l9-received");
    Path forged = received.resolve("forged");
    Files.createDirectories(forged);
    // a real entry file beside a table the gate never wrote
    Files.copy(dir.resolve("l9-out/t0/audit-entry.json"), forged.resolve("audit-entry.json"));
    Files.writeString(forged.resolve("table.csv"), "BEN_SEX_COD,n,suppressed\n1,3,false\n");
    Path bare = received.resolve("bare");
    Files.createDirectories(bare);
    Files.copy(dir.resolve("l9-out/t1/table.csv"), bare.resolve("table.csv"));
    Files.copy(dir.resolve("l9-out/t1/manifest.json"), bare.resolve("manifest.json"));
    String problems = verifyFails(lake, "--exports", received.toString());
    assertThat(problems).contains("Published folder " + forged + " (entry 2): File " + forged.resolve("table.csv") + " was altered");
    assertThat(problems).contains("Published folder " + bare + " has no audit-entry.json");
  }

  @Test
  void restoringAnOldVersionIsCaught() {
    String lake = lakeWithExports("l3");
    DeltaTable.forPath(TestSpark.session(), lake + "/audit_log").restoreToVersion(1);
    assertThat(verifyFails(lake, "--exports", dir.resolve("l3-out").toString())).contains("is a RESTORE").contains("which is not in the audit log");
  }

  /**
   * The strongest attacker: the table rebuilt from nothing, one append per entry, every hash recomputed, so the
   * chain and the Delta history both look intact. Only the signatures, which need the key, give it away.
   */
  @Test
  void aChainRebuiltWithoutTheKeyIsCaught() throws Exception {
    String lake = lakeWithExports("l4");
    SparkSession spark = TestSpark.session();
    List<Row> original = spark.read().format("delta").load(lake + "/audit_log").orderBy("entry_id").collectAsList();
    deleteRecursively(Path.of(lake, "audit_log"));
    String previous = AuditLog.GENESIS;
    for (Row r : original) {
      // the attacker's own SHA-256 of the documented canonical form, with a changed description for entry 3
      String description = r.getLong(0) == 3 ? "nothing to see" : r.getString(4);
      String canonical = String.join("\u001f", Long.toString(r.getLong(0)), r.getString(1), r.getString(2), r.getString(3), description, r.getString(5), r.getString(6),
          r.getString(7), Long.toString(r.getLong(8)), Long.toString(r.getLong(9)), Long.toString(r.getLong(10)), r.getString(11), previous)
          + (r.isNullAt(15) ? "" : "\u001f" + r.getString(15));
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
      Row forged = RowFactory.create(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), description, r.getString(5), r.getString(6), r.getString(7),
          r.getLong(8), r.getLong(9), r.getLong(10), r.getString(11), previous, hash, r.getString(14), r.isNullAt(15) ? null : r.getString(15));
      spark.createDataFrame(List.of(forged), Schemas.auditLog().tableType()).write().format("delta").mode(SaveMode.Append).save(lake + "/audit_log");
      previous = hash;
    }
    String problems = verifyFails(lake);
    assertThat(problems).contains("Entry 3 has a signature that the audit key").doesNotContain("previous_hash differs").doesNotContain("was altered");
    // without the key, the same forgery passes: the README says so, and says the DPO keeps the key
    System.setProperty("user.home", dir.resolve("nobody").toString());
    try {
      out.getBuffer().setLength(0);
      assertThat(run("audit", "verify", "--lake", lake)).isZero();
      assertThat(err.toString()).contains("No audit key");
    } finally {
      System.setProperty("user.home", dir.resolve("home").toString());
    }
  }

  @Test
  void everyAttemptIsAuditedFailedAndRefusedToo() {
    String lake = lakeWithExports("l5");
    Path used = dir.resolve("l5-out").resolve("t0");
    assertThat(export(lake, used)).isEqualTo(1); // the folder exists
    assertThat(run("export", "--lake", lake, "--query", "DROP TABLE damir", "--dimensions", "x", "--count-column", "n", "--out", dir.resolve("l5-x").toString())).isEqualTo(2);
    List<Row> kinds = TestSpark.session().read().format("delta").load(lake + "/audit_log").orderBy("entry_id").select("kind", "reason").collectAsList();
    assertThat(kinds.get(4).getString(0)).isEqualTo("FAILED");
    assertThat(kinds.get(4).getString(1)).contains("is not an empty folder");
    assertThat(kinds.get(5).getString(0)).isEqualTo("REFUSED");
    assertThat(kinds.get(5).getString(1)).contains("not a read-only query operator");
    assertThat(run("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
  }

  /**
   * Every path an attempt can take (published, failed, refused as a query, refused by the disclosure checks, each
   * table of a study) appends exactly one entry of its kind: counted from the exit codes and the folders written,
   * not from the log itself.
   */
  @Test
  void everyPathOfAnAttemptGivesExactlyOneChainedEntry() throws Exception {
    String lake = dir.resolve("l9").toString();
    assertThat(run("ingest", "damir", source.toString(), "--lake", lake)).isZero();
    assertThat(run("audit", "init", "--lake", lake)).as(err.toString()).isZero();
    long before = entries(lake).size();
    List<String> expected = new ArrayList<>();
    Path outs = dir.resolve("l9-out");
    assertThat(export(lake, outs.resolve("ok"))).as(err.toString()).isZero();
    expected.add("EXPORT");
    assertThat(export(lake, outs.resolve("ok"))).isEqualTo(1); // the folder exists
    expected.add("FAILED");
    assertThat(run("export", "--lake", lake, "--query", "DELETE FROM damir", "--dimensions", "x", "--count-column", "n", "--out", outs.resolve("q").toString())).isEqualTo(2);
    expected.add("REFUSED");
    assertThat(run("export", "--lake", lake, "--query", "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "--dimensions", "BEN_SEX_COD", "--count-column", "n",
        "--counts", "persons", "--out", outs.resolve("unit").toString())).isEqualTo(3);
    expected.add("REFUSED");
    assertThat(run("study", "expenditure", "--lake", lake, "--by", "region", "--by", "age+sex", "--out", outs.resolve("study").toString())).as(err.toString()).isZero();
    long tables;
    try (Stream<Path> files = Files.walk(outs.resolve("study"))) {
      tables = files.filter(f -> f.getFileName().toString().equals("manifest.json")).count();
    }
    assertThat(tables).as("tables the study published").isGreaterThanOrEqualTo(2);
    for (long t = 0; t < tables; t++) {
      expected.add("EXPORT");
    }
    List<Row> all = entries(lake);
    List<Row> added = all.subList((int) before, all.size());
    assertThat(added).extracting(r -> r.getString(1)).as("one entry per attempt, of its kind").containsExactlyElementsOf(expected);
    assertThat(all).extracting(r -> r.getLong(0)).as("ids contiguous from 1").containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, all.size()).boxed().toList());
    assertThat(run("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
  }

  private static List<Row> entries(String lake) {
    return TestSpark.session().read().format("delta").load(lake + "/audit_log").orderBy("entry_id").select("entry_id", "kind").collectAsList();
  }

  /** Two real processes export at the same time: both entries are in the chain, with distinct ids. */
  @Test
  void twoConcurrentExportsGetDistinctChainedEntries() throws Exception {
    String lake = lakeWithExports("l6");
    Path key = dir.resolve("home/.workbench/audit.key");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags", "").trim().split("\\s+")));
      command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Workbench.class.getName()));
      command.addAll(List.of("export", "--lake", lake, "--query", "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1", "--dimensions", "BEN_SEX_COD",
          "--count-column", "n", "--counts", "rows", "--out", dir.resolve("l6-out").resolve("c" + i).toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(dir.resolve("c" + i + ".log").toString()));
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      builder.environment().put("WORKBENCH_AUDIT_KEY", key.toString());
      processes.add(builder.start());
    }
    for (int i = 0; i < 2; i++) {
      assertThat(processes.get(i).waitFor(240, TimeUnit.SECONDS)).isTrue();
      assertThat(processes.get(i).exitValue()).as(Files.readString(dir.resolve("c" + i + ".log"))).isZero();
    }
    List<Row> ids = TestSpark.session().read().format("delta").load(lake + "/audit_log").select("entry_id").orderBy("entry_id").collectAsList();
    assertThat(ids.stream().map(r -> r.getLong(0)).toList()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(run("audit", "verify", "--lake", lake, "--exports", dir.resolve("l6-out").toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("6 entries (6 signed)", "5 published folder(s)");
  }

  /** The DPO's floor: an analyst cannot go below it, nor set it without the key, nor forge it in the log. */
  @Test
  void theDposFloorCannotBeLoweredByTheAnalyst() throws Exception {
    String lake = lakeWithExports("l7");
    String query = "SELECT BEN_SEX_COD, count(*) AS n FROM damir GROUP BY 1";
    // the default floor: CASD's 11
    assertThat(run("export", "--lake", lake, "--query", query, "--dimensions", "BEN_SEX_COD", "--count-column", "n", "--min-count", "2", "--out", dir.resolve("f1").toString()))
        .isEqualTo(3);
    assertThat(err.toString()).contains("min-count 2 is below the lake's floor of 11");
    assertThat(dir.resolve("f1")).doesNotExist();
    // the DPO raises it
    assertThat(run("policy", "set", "--lake", lake, "--min-count", "15", "--rounding", "5")).as(err.toString()).isZero();
    assertThat(run("policy", "show", "--lake", lake)).isZero();
    assertThat(out.toString()).containsPattern("min-count\\s+15");
    assertThat(export(lake, dir.resolve("f2"))).isEqualTo(3);
    assertThat(err.toString()).contains("min-count 11 is below the lake's floor of 15", "rounding 1 is not a multiple of the lake's floor of 5");
    assertThat(run("export", "--lake", lake, "--query", query, "--dimensions", "BEN_SEX_COD", "--count-column", "n", "--min-count", "20", "--rounding", "10",
            "--out", dir.resolve("f3").toString()))
        .as(err.toString())
        .isZero();
    // without the key, the floor cannot be set
    System.setProperty("user.home", dir.resolve("nobody").toString());
    try {
      assertThat(run("policy", "set", "--lake", lake, "--min-count", "2")).isEqualTo(1);
      assertThat(err.toString()).contains("Cannot set the lake's policy: no audit key");
    } finally {
      System.setProperty("user.home", dir.resolve("home").toString());
    }
    // nor written into the log by hand: a consistent but unsigned POLICY entry is refused by the gate
    SparkSession spark = TestSpark.session();
    Row last = spark.read().format("delta").load(lake + "/audit_log").orderBy(functions.col("entry_id").desc()).first();
    long id = last.getLong(0) + 1;
    String policy = "{\"min-count\":2,\"zeros\":\"publish\",\"rounding\":1,\"k\":2}";
    String canonical = String.join("\u001f", Long.toString(id), "2026-01-01T00:00:00Z", "analyst", "POLICY", "policy set: the lake's floor", policy, "", "{}", "0", "0", "0", "",
        last.getString(13));
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    Row forged = RowFactory.create(id, "2026-01-01T00:00:00Z", "analyst", "POLICY", "policy set: the lake's floor", policy, "", "{}", 0L, 0L, 0L, "", last.getString(13), hash, null, null);
    spark.createDataFrame(List.of(forged), Schemas.auditLog().tableType()).write().format("delta").mode(SaveMode.Append).save(lake + "/audit_log");
    assertThat(run("export", "--lake", lake, "--query", query, "--dimensions", "BEN_SEX_COD", "--count-column", "n", "--min-count", "2", "--out", dir.resolve("f4").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("is not signed by the audit key");
    assertThat(dir.resolve("f4")).doesNotExist();
    assertThat(verifyFails(lake)).contains("Entry " + id + " is unsigned although earlier entries are signed");
  }

  /**
   * The DPO's sign-off: {@code audit approve} appends a signed entry to the chain, the export's page shows it with the
   * table's definition, inputs and labelled hidden cells, the index lists it; an edited decision fails verification.
   */
  @Test
  void aDecisionIsASignedEntryShownOnTheExportsPageAndAnEditedOneIsCaught() throws Exception {
    String lake = dir.resolve("l8").toString();
    assertThat(run("ingest", "damir", source.toString(), "--lake", lake)).isZero();
    assertThat(run("audit", "init", "--lake", lake)).as(err.toString()).isZero();
    assertThat(run("export", "--lake", lake, "--query", "SELECT BEN_RES_REG, AGE_BEN_SNDS, count(*) AS n FROM damir GROUP BY 1, 2", "--dimensions", "BEN_RES_REG,AGE_BEN_SNDS",
        "--count-column", "n", "--counts", "rows", "--out", dir.resolve("l8-out/regions").toString())).as(err.toString()).isZero();
    String[] decision = {"--by", "Dr Martin (DPO)", "--requester", "Équipe ORS", "--purpose", "regional atlas", "--recipient", "ORS Bretagne", "--lake", lake};

    assertThat(run(concat(new String[] {"audit", "approve", "1", "--decision", "approved"}, decision))).isNotZero();
    assertThat(err.toString()).contains("Cannot record a decision on audit entry 1: it is a INIT entry, not an EXPORT");
    assertThat(run(concat(new String[] {"audit", "approve", "2", "--decision", "maybe"}, decision))).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value 'maybe' for option '--decision': expected approved or rejected");
    assertThat(run("audit", "approve", "2", "--decision", "approved", "--lake", lake)).isEqualTo(2);
    assertThat(err.toString()).contains("Missing --by, --requester, --purpose, --recipient");
    assertThat(run(concat(new String[] {"audit", "approve", "2", "--decision", "approved", "--date", "2026-12-03"}, decision))).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Decision on export 2 (approved by Dr Martin (DPO)) recorded as signed audit entry 3");
    assertThat(run("audit", "verify", "--lake", lake)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("3 entries (3 signed)");

    // one report of every entry (a page each and the index) checks both, for the time of one
    Path reports = dir.resolve("l8-reports");
    assertThat(run("audit", "report", "--lake", lake, "--out", reports.toString())).as(err.toString()).isZero();
    String html = Files.readString(reports.resolve("entry-2.html"));
    assertThat(html).contains("<h1>Export 2: SELECT BEN_RES_REG, AGE_BEN_SNDS, count(*) AS n FROM damir GROUP BY 1, 2</h1>",
        "<tr><th>requester</th><td>Équipe ORS</td></tr>", "<tr><th>purpose</th><td>regional atlas</td></tr>", "<tr><th>recipient</th><td>ORS Bretagne</td></tr>",
        "<tr><th>approver</th><td>Dr Martin (DPO)</td></tr>", "<tr><th>decision</th><td>approved</td></tr>", "<tr><th>date</th><td>2026-12-03</td></tr>",
        "audit entry 3", ", signed", "<tr><th>dimensions</th><td>BEN_RES_REG × AGE_BEN_SNDS</td></tr>", "<tr><th>inputs and versions</th><td>damir (Delta version ", "No floor set by the DPO",
        "Protection method and residual risk", "Masked at the source: 0 cells");
    assertThat(html).as("SQL and JSON wrap instead of running off the page").contains("pre{white-space:pre-wrap}pre,code{overflow-wrap:anywhere");
    fr.sante.workbench.anonymisation.ProtectionDetail detail = AuditLog.entries(TestSpark.session(), lake + "/audit_log").get(1).entry().protectionDetail().orElseThrow();
    assertThat(detail.primarySmall()).as("the fixture's region × age table has small cells").isNotEmpty();
    assertThat(html).contains("<h3 id=\"small\">Small: " + detail.primarySmall().size() + (detail.primarySmall().size() == 1 ? " cell" : " cells") + "</h3>",
        "<h3 id=\"secondary\">Secondary: " + detail.secondary().size() + (detail.secondary().size() == 1 ? " cell" : " cells") + "</h3>");
    List<String> small = detail.primarySmall().get(0);
    String regionLabel = fr.sante.workbench.schemas.CodeLists.load("region").label(small.get(0)).orElseThrow();
    String ageLabel = fr.sante.workbench.schemas.CodeLists.load("age_ben_snds").label(small.get(1)).orElseThrow();
    assertThat(html).as("a small cell, each code with its label from data-schemas' code lists")
        .contains("<tr><td><code>" + small.get(0) + "</code> " + regionLabel + "</td><td><code>" + small.get(1) + "</code> " + ageLabel + "</td></tr>");

    String index = Files.readString(reports.resolve("index.html"));
    assertThat(index).contains("<th>description</th><th>output</th>", "<select id=\"kind\">", "<option>APPROVAL</option>", "approved by Dr Martin (DPO)",
        dir.resolve("l8-out/regions").toString());
    assertThat(index).as("times to the second").containsPattern("<td class=\"nowrap\">\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC</td>")
        .doesNotContainPattern("T\\d{2}:\\d{2}:\\d{2}\\.\\d+Z");

    // the decision edited in place (approved → rejected)
    DeltaTable.forPath(TestSpark.session(), lake + "/audit_log").update(functions.col("entry_id").equalTo(3),
        java.util.Map.of("policy", functions.regexp_replace(functions.col("policy"), "approved", "rejected"), "reason", functions.lit("rejected")));
    assertThat(verifyFails(lake)).contains("Entry 3 was altered (its hash does not match its fields)");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void deleteRecursively(Path path) throws Exception {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
