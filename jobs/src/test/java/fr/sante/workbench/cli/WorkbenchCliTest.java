package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkbenchCliTest {
  @TempDir static Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startSpark() {
    TestSpark.session(); // commands reuse the test JVM's session (getOrCreate)
  }

  private int run(String... args) {
    CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsEveryCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("demo", "ingest", "generate", "sql", "tables");
  }

  @Test
  void everyCommandHasHelp() {
    for (List<String> command :
        List.of(
            List.of("audit"),
            List.of("demo"),
            List.of("export"),
            List.of("ingest"),
            List.of("ingest", "damir"),
            List.of("ingest", "ald"),
            List.of("ingest", "population"),
            List.of("ingest", "openmedic"),
            List.of("generate"),
            List.of("generate", "damir"),
            List.of("generate", "openmedic"),
            List.of("sql"),
            List.of("study"),
            List.of("study", "expenditure"),
            List.of("study", "prescription"),
            List.of("study", "medicines"),
            List.of("study", "ald"),
            List.of("study", "model"),
            List.of("tables"))) {
      StringWriter local = new StringWriter();
      CommandLine cli = Workbench.commandLine();
      cli.setOut(new PrintWriter(local, true));
      List<String> args = new java.util.ArrayList<>(command);
      args.add("--help");
      assertThat(cli.execute(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
      assertThat(local.toString()).as(String.join(" ", args)).startsWith("Usage: workbench " + String.join(" ", command));
    }
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(run("ingest", "damir", "x.csv")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--lake=DIR'");
    assertThat(run("ingest")).isEqualTo(2);
    assertThat(run("sql", "--lake", "x", "--format", "xml", "SELECT 1")).isEqualTo(2);
  }

  @Test
  void failuresExitWithOneAndAClearMessage() throws Exception {
    assertThat(run("ingest", "damir", dir.resolve("missing").toString(), "--lake", dir.resolve("l0").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("Error: Cannot ingest '" + dir.resolve("missing") + "': no such file or folder");
    java.nio.file.Files.createDirectories(dir.resolve("folder-without-tables"));
    assertThat(run("sql", "--lake", dir.resolve("folder-without-tables").toString(), "SELECT 1")).isEqualTo(1);
    assertThat(err.toString()).contains("has no tables");
  }

  /** A lake folder that is not there is a mistyped --lake: said before Spark starts, a usage error. */
  @Test
  void aMissingLakeIsAUsageError() {
    Path missing = dir.resolve("no-such-lake");
    assertThat(run("tables", "--lake", missing.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid --lake '" + missing + "': no such folder " + missing + " (expected a lake written by 'workbench ingest')");
    assertThat(run("sql", "--lake", missing.toString(), "SELECT 1")).isEqualTo(2);
    assertThat(missing).doesNotExist();
  }

  @Test
  void aMisspelledOptionNamesTheClosestOne() {
    assertThat(run("tables", "--lak", "x")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("Unknown options: '--lak', 'x'" + System.lineSeparator() + "Possible solutions: --lake" + System.lineSeparator());
  }

  /** A query Spark cannot analyse, parse or run: its error class and first line, not its plan nor unrelated hints. */
  @Test
  void badQueriesGiveOneLine() {
    String lake = dir.resolve("one-table-lake").toString();
    TestSpark.session().range(3).toDF("n").write().format("delta").save(lake + "/damir");

    assertThat(run("sql", "--lake", lake, "SELECT nocol FROM damir")).isEqualTo(1);
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .startsWith("Error: invalid query: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nocol` cannot be resolved.")
        .contains("`n`")
        .endsWith("(line 1, position 7)");

    StringWriter parse = new StringWriter();
    CommandLine cli = Workbench.commandLine();
    cli.setErr(new PrintWriter(parse, true));
    assertThat(cli.execute("sql", "--lake", lake, "SELECT * FORM damir")).isEqualTo(2);
    assertThat(parse.toString().lines().toList()).singleElement().asString()
        .isEqualTo("Error: Refused: the text is not one Spark SQL query: [PARSE_SYNTAX_ERROR] Syntax error at or near 'damir': extra input 'damir'. (line 1, pos 14)");

    StringWriter failed = new StringWriter();
    cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(failed, true));
    assertThat(cli.execute("sql", "--lake", lake, "SELECT n / 0 FROM damir")).isEqualTo(1);
    assertThat(failed.toString().lines().toList()).singleElement().asString().startsWith("Error: the query failed: [DIVIDE_BY_ZERO] Division by zero.");

    StringWriter export = new StringWriter();
    cli = Workbench.commandLine();
    cli.setErr(new PrintWriter(export, true));
    int code = cli.execute("export", "--lake", lake, "--out", dir.resolve("bad-export").toString(), "--dimensions", "n", "--count-column", "c", "--counts", "rows",
        "--query", "SELECT n, count(*) AS c FROM damir GROUP BY nocol");
    assertThat(code).isEqualTo(1);
    assertThat(export.toString().lines().toList()).singleElement().asString().startsWith("Error: invalid query: [UNRESOLVED_COLUMN");
  }

  @Test
  void ingestsThenQueriesAsCsvAndListsTables() {
    Path file = DamirFixtures.write(dir.resolve("A202405.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202405, 40, 3));
    String lake = dir.resolve("lake").toString();
    assertThat(run("ingest", "damir", file.toString(), "--lake", lake)).isZero();
    assertThat(out.toString()).contains("A202405.csv.gz").contains("total").contains("Data quality:");

    StringWriter csv = new StringWriter();
    CommandLine cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(csv, true));
    int code =
        cli.execute("sql", "--lake", lake, "--format", "csv", "SELECT FLX_ANN_MOI, count(*) AS n, 'a,b' AS quoted FROM damir GROUP BY 1");
    assertThat(code).isZero();
    assertThat(csv.toString()).isEqualTo("FLX_ANN_MOI,n,quoted" + System.lineSeparator() + "202405,40,\"a,b\"" + System.lineSeparator());

    StringWriter tables = new StringWriter();
    cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(tables, true));
    assertThat(cli.execute("tables", "--lake", lake)).isZero();
    long version =
        io.delta.tables.DeltaTable.forPath(TestSpark.session(), lake + "/damir").history(1).first().getLong(0);
    assertThat(tables.toString()).containsPattern("damir\\s+40\\s+" + version + "\\s+202405");

    StringWriter limited = new StringWriter();
    cli = Workbench.commandLine();
    cli.setOut(new PrintWriter(limited, true));
    assertThat(cli.execute("sql", "--lake", lake, "--limit", "3", "SELECT PRS_NAT FROM damir")).isZero();
    assertThat(limited.toString()).endsWith("3 rows shown (more exist: raise --limit)" + System.lineSeparator());
  }

  /** Study options are checked before Spark does any work, with messages that say what was expected. */
  @Test
  void studyOptionsAreCheckedWithClearMessages() throws Exception {
    String lake = dir.resolve("empty-lake").toString();
    // a bad option value is a usage error (exit 2), as picocli's own (sql --format xml)
    assertThat(run("study", "expenditure", "--lake", lake, "--out", dir.resolve("o1").toString(), "--time", "billing")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --time 'billing' (expected care or processing)");
    assertThat(run("study", "prescription", "--lake", lake, "--out", dir.resolve("o2").toString(), "--by", "region+colour")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --by 'region+colour': Unknown dimension 'colour' (expected one of [region, age, sex, family");
    assertThat(run("study", "expenditure", "--lake", lake, "--out", dir.resolve("o3").toString(), "--from", "2024-13")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --from '2024-13' (expected a month as YYYY-MM, e.g. 2024-01)");
    assertThat(run("study", "model", "--lake", lake, "--out", dir.resolve("o5").toString(), "--family", "gamma")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --family 'gamma' (expected tweedie or poisson)");
    assertThat(run("study", "ald", "--lake", lake, "--out", dir.resolve("o6").toString(), "--standard", "world")).isEqualTo(2);
    assertThat(run("study", "model", "--lake", lake, "--out", dir.resolve("o8").toString(), "--variance-power", "3")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid Tweedie variance power 3.0 (expected between 1 and 2 exclusive, e.g. 1.5)");
    assertThat(run("study", "medicines", "--lake", lake, "--out", dir.resolve("o9").toString(), "--atc", "C1")).isEqualTo(2);
    assertThat(run("study", "expenditure", "--lake", lake, "--out", dir.resolve("o7").toString(), "--scope", "some")).isEqualTo(2);
    assertThat(run("study", "ald", "--lake", lake, "--out", dir.resolve("o4").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot run the ald study: the lake '" + lake + "' has no table 'ald_prevalence'");
    java.nio.file.Path used = java.nio.file.Files.createDirectories(dir.resolve("used"));
    java.nio.file.Files.writeString(used.resolve("keep.txt"), "earlier results");
    assertThat(run("study", "model", "--lake", lake, "--out", used.toString())).isEqualTo(1);
    assertThat(java.nio.file.Files.readString(used.resolve("keep.txt"))).isEqualTo("earlier results");
  }

  @Test
  void aReportLanguageOtherThanEnglishOrFrenchIsAUsageErrorNamingBoth() {
    String lake = dir.resolve("empty-lake").toString();
    for (String study : List.of("expenditure", "prescription", "medicines", "ald", "model")) {
      assertThat(run("study", study, "--lake", lake, "--out", dir.resolve("lang-" + study).toString(), "--lang", "de")).as(study).isEqualTo(2);
      assertThat(err.toString()).as(study).contains("Invalid --lang 'de' (expected en or fr)");
    }
    assertThat(run("demo", "--dir", dir.resolve("demo-de").toString(), "--lang", "de")).isEqualTo(2);
    assertThat(run("audit", "report", "--lake", lake, "--lang", "de")).isEqualTo(2);
    assertThat(err.toString().split("Invalid --lang 'de' \\(expected en or fr\\)", -1)).as("one message per command").hasSize(8);
    assertThat(java.nio.file.Files.exists(dir.resolve("demo-de"))).as("nothing started").isFalse();
    for (String command : List.of("demo", "audit")) {
      assertThat(Workbench.commandLine().getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " "))
          .as("help of %s", command).contains("--lang=LANG Language of the HTML report: en, fr (default: en).");
    }
  }
}
