package fr.sante.workbench.studies;

import static fr.sante.workbench.testing.DamirFixtures.baseLine;
import static fr.sante.workbench.testing.DamirFixtures.render;
import static fr.sante.workbench.testing.DamirFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.studies.expenditure.ExpenditureStudy;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The French page of a small study and of a DPO entry, checked against the English page of the same run with an oracle
 * that shares nothing with the bundles: no run of {@value #WORDS} plain words of the English page's visible text is in
 * the French page (except code labels, which stay as the code lists give them, and recorded data: queries, paths,
 * JSON); every table cell holds the same numbers, parsed from each language's typography; the CSV files are the same
 * bytes.
 */
class FrenchReportTest {
  /** "Longer than a few words". */
  private static final int WORDS = 4;
  private static final Pattern PLAIN_WORD = Pattern.compile("[\\p{L}'’-]*\\p{Ll}[\\p{L}'’-]*");
  private static final Pattern EN_NUMBER = Pattern.compile("-?\\d{1,3}(,\\d{3})*(\\.\\d+)?");
  private static final Pattern FR_NUMBER = Pattern.compile("-?\\d{1,3}(\u202F\\d{3})*(,\\d+)?");
  private static final Pattern CELL = Pattern.compile("(?s)<td[^>]*>(.*?)</td>");

  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;
  private Lake lake;

  /** Three months, two regions published, one hidden; amounts above 1,000 so that French pages group thousands. */
  @BeforeEach
  void ingest() throws Exception {
    Files.createDirectories(dir.resolve("raw"));
    lake = new Lake(dir.resolve("lake").toString());
    List<String> files = new ArrayList<>();
    for (int month : List.of(202401, 202402, 202403)) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        lines.add(render(with(baseLine(month), "FLT_REM_MNT", "125.50", "FLT_PAI_MNT", "150.25")));
        lines.add(render(with(baseLine(month), "BEN_RES_REG", "11", "FLT_REM_MNT", "98.10", "FLT_PAI_MNT", "120")));
      }
      lines.add(render(with(baseLine(month), "BEN_RES_REG", "93", "FLT_REM_MNT", "40", "FLT_PAI_MNT", "50")));
      files.add(DamirFixtures.write(dir.resolve("raw").resolve("A" + month + ".csv"), DamirFixtures.header(Variant.REG), lines).toString());
    }
    IngestDamirJob.run(spark, IngestDamirOptions.of(files, lake));
  }

  @Test
  void theFrenchStudyPageSaysTheSameNumbersWithNoEnglishSentence() throws Exception {
    List<List<DamirAxis>> breakdowns = List.of(List.of(DamirAxis.REGION), List.of(DamirAxis.FAMILY));
    StudyResult english = ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, dir.resolve("en")).withBreakdowns(breakdowns));
    StudyResult french = ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, dir.resolve("en").resolveSibling("fr")).withBreakdowns(breakdowns)
        .withLanguage(ReportLanguage.FR));
    String en = Files.readString(english.report(), StandardCharsets.UTF_8);
    String fr = Files.readString(french.report(), StandardCharsets.UTF_8);

    assertThat(en).contains("<html lang=\"en\">");
    assertThat(fr).contains("<html lang=\"fr\">", "<h1>Dépenses</h1>", "title=\"reimbursed_eur\">Remboursé (€)</th>");
    // code labels are kept as the code lists (or data-schemas' groupings) give them: the *_label values of the CSV files
    Set<String> labels = new TreeSet<>();
    for (DerivedTable table : english.derived()) {
      for (String header : table.headers()) {
        if (header.endsWith("_label")) {
          labels.addAll(table.column(header));
        }
      }
    }
    assertThat(labels).as("code labels of the run").isNotEmpty();
    assertThat(englishRunsIn(en, fr, labels)).as("runs of %d words of the English page found in the French page", WORDS).isEmpty();
    assertSameNumbers(en, fr);
    // each month: 12 × 125.50 + 12 × 98.10 + 40 reimbursed
    assertThat(fr).as("a thousands separator in French").contains("<td>2\u202F723,20</td>");
    assertThat(en).contains("<td>2,723.20</td>");
    // the CSV files do not depend on the language
    assertSameFiles(dir.resolve("en"), dir.resolve("fr"));
  }

  @Test
  void theFrenchAuditPageSaysTheSameNumbersWithNoEnglishSentence() throws Exception {
    ExpenditureStudy.run(spark, ExpenditureStudy.options(lake, dir.resolve("out")).withBreakdowns(List.of(List.of(DamirAxis.REGION))));
    for (String lang : List.of("en", "fr")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      picocli.CommandLine cli = Workbench.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      assertThat(cli.execute("audit", "report", "--lake", lake.root(), "--out", dir.resolve("audit-" + lang).toString(), "--lang", lang)).as(err.toString()).isZero();
    }
    for (String page : List.of("entry-1.html", "entry-2.html", "index.html")) {
      String en = Files.readString(dir.resolve("audit-en").resolve(page), StandardCharsets.UTF_8);
      String fr = Files.readString(dir.resolve("audit-fr").resolve(page), StandardCharsets.UTF_8);
      assertThat(fr).as(page).contains("<html lang=\"fr\">");
      // recorded data stays as recorded: the query or study, paths, JSON, codes, the descriptions in the index
      Set<String> recorded = new TreeSet<>(tagged(en, "pre"));
      recorded.addAll(tagged(en, "code"));
      recorded.addAll(descriptions(en));
      assertThat(englishRunsIn(en, fr, recorded)).as("%s: runs of %d words of the English page found in the French page", page, WORDS).isEmpty();
      assertSameNumbers(en, fr);
    }
    String byMonth = Files.readString(dir.resolve("audit-fr/entry-1.html"), StandardCharsets.UTF_8);
    assertThat(byMonth).as("a derived dimension by its label").contains("<tr><th>dimensions</th><td>Mois</td></tr>", "Cellules masquées, par motif");
  }

  /** Runs of {@link #WORDS} plain words of the English page's visible text that the French page's visible text also has, outside {@code exempt}. */
  private static List<String> englishRunsIn(String en, String fr, Set<String> exempt) {
    String french = " " + normalise(String.join(" ", visibleText(fr))) + " ";
    List<String> exempted = exempt.stream().map(FrenchReportTest::normalise).filter(s -> !s.isEmpty()).toList();
    List<String> found = new ArrayList<>();
    for (String fragment : visibleText(en)) {
      String[] tokens = fragment.split(" ");
      for (int i = 0; i + WORDS <= tokens.length; i++) {
        List<String> run = new ArrayList<>();
        for (int j = i; j < i + WORDS; j++) {
          String word = tokens[j].replaceAll("^[(«“\"]+|[,.;:)»”\"!?]+$", "");
          if (PLAIN_WORD.matcher(word).matches()) {
            run.add(word.toLowerCase(Locale.ROOT));
          }
        }
        String words = String.join(" ", run);
        if (run.size() == WORDS && french.contains(" " + words + " ") && exempted.stream().noneMatch(e -> e.contains(words))) {
          found.add(words + "   (in: " + fragment + ")");
        }
      }
    }
    return found;
  }

  /** Every table cell holds the same numbers: a whole number cell parsed in each language, any other cell's digit runs. */
  private static void assertSameNumbers(String en, String fr) {
    List<String> enCells = cells(en);
    List<String> frCells = cells(fr);
    List<String> enRaw = rawCells(en);
    assertThat(frCells).as("table cells").hasSameSizeAs(enCells);
    int numbers = 0;
    for (int i = 0; i < enCells.size(); i++) {
      String e = enCells.get(i);
      String f = frCells.get(i);
      boolean recorded = enRaw.get(i).contains("<code") || enRaw.get(i).contains("<pre"); // a hash, a path, a query: as recorded
      if (!recorded && (EN_NUMBER.matcher(e).matches() && !e.matches("\\d+") || e.matches("\\d{4,}"))) {
        assertThat(f).as("cell %d: English '%s'", i, e).matches(FR_NUMBER);
        assertThat(new BigDecimal(f.replace("\u202F", "").replace(',', '.'))).as("cell %d: English '%s', French '%s'", i, e, f)
            .isEqualByComparingTo(new BigDecimal(e.replace(",", "")));
        numbers++;
      } else if (!e.contains(" UTC")) { // a time is written in words in French (ReportTextTest checks it)
        assertThat(digitRuns(f)).as("digits of cell %d: English '%s', French '%s'", i, e, f).isEqualTo(digitRuns(e));
        numbers += digitRuns(e).isEmpty() ? 0 : 1;
      }
    }
    assertThat(numbers).as("cells with numbers compared").isPositive();
  }

  private static List<String> digitRuns(String text) {
    List<String> runs = new ArrayList<>();
    Matcher m = Pattern.compile("\\d+").matcher(text);
    while (m.find()) {
      runs.add(m.group());
    }
    return runs;
  }

  private static List<String> rawCells(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = CELL.matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> cells(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = CELL.matcher(html);
    while (m.find()) {
      out.add(unescape(m.group(1).replaceAll("<[^>]*>", " ")).replaceAll("\\s+", " ").trim());
    }
    return out;
  }

  private static List<String> visibleText(String html) {
    String body = html.replaceAll("(?s)<style.*?</style>", " ").replaceAll("(?s)<script.*?</script>", " ");
    List<String> out = new ArrayList<>();
    for (String part : body.split("<[^>]*>")) {
      String text = unescape(part).replaceAll("\\s+", " ").trim();
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return out;
  }

  private static List<String> tagged(String html, String tag) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)<" + tag + "[^>]*>(.*?)</" + tag + ">").matcher(html);
    while (m.find()) {
      out.add(unescape(m.group(1)));
    }
    return out;
  }

  /** The index's description column: recorded data, abbreviated. */
  private static List<String> descriptions(String html) {
    List<String> out = new ArrayList<>();
    Matcher rows = Pattern.compile("(?s)<tr data-kind.*?</tr>").matcher(html);
    while (rows.find()) {
      List<String> cells = cells(rows.group());
      out.add(cells.get(4).replace("…", ""));
    }
    return out;
  }

  private static String normalise(String text) {
    return Arrays.stream(text.split("\\s+")).map(w -> w.replaceAll("^[(«“\"]+|[,.;:)»”\"!?]+$", "").toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty())
        .reduce((a, b) -> a + " " + b).orElse("");
  }

  private static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  private static void assertSameFiles(Path en, Path fr) throws Exception {
    List<Path> csv;
    try (Stream<Path> files = Files.walk(en)) {
      csv = files.filter(f -> f.toString().endsWith(".csv")).toList();
    }
    assertThat(csv).as("CSV files of the English run").hasSizeGreaterThan(4);
    for (Path file : csv) {
      assertThat(fr.resolve(en.relativize(file))).as("%s in French", en.relativize(file)).hasSameBinaryContentAs(file);
    }
  }
}
