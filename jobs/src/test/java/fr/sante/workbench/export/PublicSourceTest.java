package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.CountSources;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.ingest.ald.IngestAldJob;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.testing.CliRunner;
import fr.sante.workbench.testing.TestSpark;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source the DPO declares public at its own granularity (CNAM's ALD series): a published cell that is exactly one of
 * its rows passes without suppression and the manifest lists it; a cell summing several rows, a source that is not
 * open data, and data of the same shape that is not the source are protected as before. Checked on the written files
 * as plain text. The key is found through {@code user.home}, a scratch folder for this class.
 */
class PublicSourceTest {
  @TempDir static Path dir;
  static String previousHome;
  static String lake;
  private final CliRunner cli = new CliRunner();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  /** ALD 4 totals by département (01 and 06 small, 03 masked), and two départements given only as strata (07: 24 in 4 rows, 08: 5 in 2 rows). */
  private static final String ALD =
      "year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive\n"
          + "2019;4;DEP;01;9;ALL;10;10;;false\n2019;4;DEP;02;9;ALL;20;10;;false\n2019;4;DEP;03;9;ALL;<10;10;;false\n"
          + "2019;4;DEP;04;9;ALL;500;10;;false\n2019;4;DEP;05;9;ALL;30;10;;false\n2019;4;DEP;06;9;ALL;10;10;;false\n"
          + "2019;4;DEP;07;1;0-44;4;1;;false\n2019;4;DEP;07;1;45+;8;1;;false\n2019;4;DEP;07;2;0-44;3;1;;false\n2019;4;DEP;07;2;45+;9;1;;false\n"
          + "2019;4;DEP;08;1;0-44;2;1;;false\n2019;4;DEP;08;2;0-44;3;1;;false\n";

  @BeforeAll
  static void lakeWithTheAldSeries() throws Exception {
    previousHome = System.getProperty("user.home");
    System.setProperty("user.home", dir.resolve("home").toString());
    SparkSession spark = TestSpark.session();
    Path file = Files.writeString(dir.resolve("ald.csv"), ALD);
    lake = dir.resolve("lake").toString();
    IngestAldJob.run(spark, new IngestAldJob.Options(List.of(file.toString()), new Lake(lake)));
  }

  @AfterAll
  static void restoreHome() {
    System.setProperty("user.home", previousHome);
  }

  private int run(String... args) {
    return cli.run(args);
  }

  /** The territory totals (one row each), and the sums of strata for 07 and 08, as one table by territory. */
  private int export(String folder) {
    return run("export", "--lake", lake, "--out", dir.resolve(folder).toString(), "--query",
        "SELECT geo_code AS territory, persons FROM ald_prevalence WHERE ald_code = 4 AND (sex = 9 OR geo_code IN ('07', '08'))",
        "--dimensions", "territory", "--count-column", "persons", "--counts", "persons");
  }

  private static String line(List<String> lines, String territory) {
    return lines.stream().filter(l -> l.startsWith(territory + ",")).findFirst().orElseThrow();
  }

  @Test
  void theSourcesOwnCellsPassAsPublicOnceTheDpoDeclaresIt() throws Exception {
    // not declared: 01 and 06 (10 people) are small and hidden like any small count
    assertThat(export("before")).as(err.toString()).isZero();
    List<String> before = Files.readAllLines(dir.resolve("before/table.csv"));
    assertThat(line(before, "01")).isEqualTo("01,,true");
    assertThat(line(before, "06")).isEqualTo("06,,true");
    assertThat(Files.readString(dir.resolve("before/manifest.json"))).doesNotContain("public_cells");

    // only a table data-schemas declares as open data can be declared public
    assertThat(run("audit", "init", "--lake", lake)).as(err.toString()).isZero();
    assertThat(run("policy", "set", "--lake", lake, "--public-source", "population")).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot declare 'population' public", "ald_prevalence");
    assertThat(run("policy", "set", "--lake", lake, "--public-source", "ald_prevalence")).as(err.toString()).isZero();
    assertThat(run("policy", "show", "--lake", lake)).isZero();
    assertThat(out.toString()).containsPattern("\\{ald_prevalence=\\d+\\}");

    assertThat(export("after")).as(err.toString()).isZero();
    List<String> after = Files.readAllLines(dir.resolve("after/table.csv"));
    // CNAM's own published cells, as they are
    assertThat(after).contains("01,10,false", "06,10,false", "02,20,false", "04,500,false");
    // what the source masked stays masked; a sum of several rows is not the source's cell: 08 (5 in 2 rows) is hidden
    assertThat(line(after, "03")).isEqualTo("03,,true");
    assertThat(line(after, "08")).isEqualTo("08,,true");
    String manifest = Files.readString(dir.resolve("after/manifest.json"));
    assertThat(manifest).contains("\"public_source\" : \"ald_prevalence: CNAM").contains("declared public by the DPO");
    assertThat(manifest.replaceAll("\\s", "")).contains("\"public_cells\":[[\"01\"],[\"06\"]]");
    // the DPO's check of the folders: the small published cells are the manifest's public ones
    assertThat(run("audit", "verify", "--lake", lake, "--exports", dir.toString())).as(out + "\n" + err).isZero();

    // the same numbers from elsewhere (not the declared source) are protected as before
    SparkSession spark = TestSpark.session();
    Dataset<Row> same = spark.read().option("header", true).option("sep", ";").csv(dir.resolve("ald.csv").toString())
        .filter("sex = '9' AND persons <> '<10'").selectExpr("geo_code AS territory", "CAST(persons AS BIGINT) AS persons");
    Exports.Result copied =
        Exports.write(spark, same, new ExportPolicy(List.of("territory"), "persons", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults()),
            new Exports.Request(lake + "/audit_log", dir.resolve("copy"), "same shape, not the source", "test")
                .withCountSources(CountSources.declared(Map.of("persons", ExportPolicy.CountUnit.PERSONS), Set.of())));
    List<String> copy = Files.readAllLines(copied.table());
    assertThat(line(copy, "01")).isEqualTo("01,,true");
    assertThat(line(copy, "06")).isEqualTo("06,,true");

    // found by an attacker helper: a copy of the rows in a folder of the same name elsewhere is not the lake's table
    spark.read().format("delta").load(lake + "/ald_prevalence").write().parquet(dir.resolve("elsewhere/ald_prevalence").toString());
    Dataset<Row> renamed = spark.read().parquet(dir.resolve("elsewhere/ald_prevalence").toString())
        .filter("ald_code = 4 AND sex = 9").selectExpr("geo_code AS territory", "persons");
    Exports.Result relabelled =
        Exports.write(spark, renamed, new ExportPolicy(List.of("territory"), "persons", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults()),
            new Exports.Request(lake + "/audit_log", dir.resolve("relabelled"), "a copy under the source's name", "test", Map.of("ald_prevalence", 0L), false));
    assertThat(line(Files.readAllLines(relabelled.table()), "01")).isEqualTo("01,,true");

    // and rows ingested into the declared table after the declaration (anyone's) end it until the DPO declares again
    Path extra = Files.writeString(dir.resolve("extra.csv"), "year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive\n"
        + "2019;8;DEP;09;9;ALL;3;1;;false\n");
    assertThat(run("ingest", "ald", extra.toString(), "--lake", lake)).as(err.toString()).isZero();
    assertThat(export("later")).as(err.toString()).isZero();
    List<String> later = Files.readAllLines(dir.resolve("later/table.csv"));
    assertThat(line(later, "01")).isEqualTo("01,,true");
    assertThat(Files.readString(dir.resolve("later/manifest.json"))).doesNotContain("public_cells");
  }
}
