package fr.sante.workbench.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.demo.DemoJob;
import fr.sante.workbench.demo.DemoOptions;
import fr.sante.workbench.ingest.damir.Progress;
import fr.sante.workbench.studies.StudyResult;
import fr.sante.workbench.testing.CliRunner;
import fr.sante.workbench.testing.HeadlessChromium;
import fr.sante.workbench.testing.TestSpark;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of page the workbench writes (each study's report, the DPO's page of an export, of a model and of a
 * refusal, and the audit index), from one small demo lake, laid out by Debian's headless {@code chromium} at a desktop
 * and a narrow width: what the browser laid out is measured (no sideways scrolling, no table or code running off the
 * page, every image loaded, months and numbers on one line, no text clipped) and each page is screenshot to
 * {@code target/screenshots/}, the paths printed in the test output. Without chromium the test fails, saying how to
 * install it or to skip it on purpose with {@code -Dworkbench.noBrowserTests}.
 */
class ReportsInBrowserTest {
  private static final int DESKTOP = 1280;
  private static final int NARROW = 800;
  /** Columns a table may have and still fit a desktop window without scrolling in its box. */
  private static final int FITS_ON_A_DESKTOP = 10;
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  /** The demo's folder, kept after the test beside the screenshots (a re-run empties it: the demo's own). */
  private static final Path DEMO = TARGET.resolve("browser-pages");
  private static String previousHome;
  private static HeadlessChromium chromium;
  /** Each page by name, with the number of images it must show. */
  private static final Map<String, Page> PAGES = new LinkedHashMap<>();

  private record Page(Path file, int images) {}

  @BeforeAll
  static void everyKindOfPage() throws Exception {
    assumeFalse(HeadlessChromium.skippedOnPurpose(), "Browser tests skipped on purpose (-D" + HeadlessChromium.SKIP_PROPERTY + ")");
    chromium = HeadlessChromium.find(TARGET.resolve("browser-check")).orElseThrow(() -> new AssertionError(
        "Expected Debian's 'chromium' on the PATH (the report pages are laid out and screenshot in headless Chromium) but found none: install it with "
            + "'apt-get install chromium', or pass -D" + HeadlessChromium.SKIP_PROPERTY + " to skip the browser tests on purpose"));
    previousHome = System.getProperty("user.home");
    System.setProperty("user.home", Files.createDirectories(TARGET.resolve("browser-home")).toString()); // no audit key of the machine's user
    DemoOptions options = new DemoOptions(DEMO, YearMonth.of(2024, 1), YearMonth.of(2024, 2), 3_000, 7, Progress.SILENT);
    DemoJob.DemoResult demo = DemoJob.run(TestSpark.session(), options);
    for (StudyResult study : demo.studies()) {
      PAGES.put("study-" + study.study(), new Page(study.report(), study.charts().size()));
    }
    String lake = options.lakeDir().toString();
    CliRunner cli = new CliRunner();
    // a count the query makes up: refused by the gate, with its entry
    assertThat(cli.run("export", "--lake", lake, "--out", DEMO.resolve("made-up").toString(), "--dimensions", "BEN_SEX_COD", "--count-column", "n", "--counts", "rows",
        "--query", "SELECT BEN_SEX_COD, count(*) * 100 AS n FROM damir GROUP BY 1")).as(cli.err.toString()).isEqualTo(3);
    Path reports = DEMO.resolve("audit-reports");
    assertThat(cli.run("audit", "report", "--lake", lake, "--out", reports.toString())).as(cli.err.toString()).isZero();
    List<AuditLog.StoredEntry> entries = AuditLog.entries(TestSpark.session(), new fr.sante.workbench.lake.Lake(lake).tablePath(fr.sante.workbench.lake.Lake.AUDIT_LOG));
    long export = demo.export().auditEntry();
    long model = entries.stream().filter(e -> e.isExport() && Path.of(e.entry().outDir()).startsWith(options.studiesDir().resolve("model"))).findFirst()
        .orElseThrow(() -> new AssertionError("Expected the model's export in the demo's audit log but found none")).id();
    long refused = entries.stream().filter(e -> e.entry().kind().equals("REFUSED")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("Expected the made-up count's REFUSED entry but found none")).id();
    PAGES.put("audit-export", new Page(reports.resolve("entry-" + export + ".html"), 0));
    PAGES.put("audit-model", new Page(reports.resolve("entry-" + model + ".html"), 0));
    PAGES.put("audit-refused", new Page(reports.resolve("entry-" + refused + ".html"), 0));
    PAGES.put("audit-index", new Page(reports.resolve("index.html"), 0));
  }

  @AfterAll
  static void restoreHome() {
    if (previousHome != null) {
      System.setProperty("user.home", previousHome);
    }
  }

  @Test
  void everyPageLaysOutCleanlyAtADesktopAndANarrowWidth() throws Exception {
    assertThat(PAGES.keySet()).as("pages").containsExactly("study-expenditure", "study-prescription", "study-medicines", "study-ald", "study-model", "audit-export",
        "audit-model", "audit-refused", "audit-index");
    Path screenshots = TARGET.resolve("screenshots");
    List<Future<HeadlessChromium.Rendering>> renderings = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (Map.Entry<String, Page> page : PAGES.entrySet()) {
        for (int width : List.of(DESKTOP, NARROW)) {
          Path png = screenshots.resolve(page.getKey() + "-" + width + ".png");
          renderings.add(pool.submit(() -> chromium.render(page.getValue().file(), width, png)));
        }
      }
      SoftAssertions softly = new SoftAssertions();
      int r = 0;
      for (Map.Entry<String, Page> page : PAGES.entrySet()) {
        for (int width : List.of(DESKTOP, NARROW)) {
          HeadlessChromium.Rendering rendering = renderings.get(r++).get();
          HeadlessChromium.Layout layout = rendering.layout();
          String what = page.getKey() + " at " + width + " px (" + page.getValue().file() + ")";
          System.out.println("Screenshot of " + what + ": " + rendering.screenshot());
          System.out.println("[[ATTACHMENT|" + rendering.screenshot() + "]]");
          layout.scrolled().forEach(s -> System.out.println("  scrolls inside its box: " + s));
          softly.assertThat(layout.viewport()).as("%s: viewport width", what).isEqualTo(width);
          softly.assertThat(layout.problems()).as("%s: what the browser laid out", what).isEmpty();
          if (width == DESKTOP) {
            softly.assertThat(layout.scrolled()).as("%s: tables of up to %d columns scroll at a desktop width", what, FITS_ON_A_DESKTOP)
                .noneMatch(t -> t.columns() <= FITS_ON_A_DESKTOP);
          }
          softly.assertThat(layout.images()).as("%s: images (the study's charts)", what).isEqualTo(page.getValue().images());
          BufferedImage image = ImageIO.read(rendering.screenshot().toFile());
          softly.assertThat(image).as("%s: a PNG screenshot", what).isNotNull();
          if (image != null) {
            softly.assertThat(image.getWidth()).as("%s: screenshot width", what).isEqualTo(width);
            softly.assertThat(image.getHeight()).as("%s: screenshot height (the page's, at least the window's)", what)
                .isEqualTo(Math.max(900, Math.min(12_000, layout.height())));
            softly.assertThat(inkShare(image)).as("%s: share of pixels that are not the background (a blank page has none)", what).isGreaterThan(0.005);
          }
        }
      }
      softly.assertAll();
    } finally {
      pool.shutdownNow();
    }
  }

  /** The share of pixels that differ from the top-left one (the page's background). */
  private static double inkShare(BufferedImage image) {
    int background = image.getRGB(0, 0);
    long ink = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRGB(x, y) != background) {
          ink++;
        }
      }
    }
    return (double) ink / ((long) image.getWidth() * image.getHeight());
  }
}
