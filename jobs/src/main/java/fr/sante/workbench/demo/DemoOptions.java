package fr.sante.workbench.demo;

import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.ingest.damir.Progress;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Objects;

/**
 * Options of {@link DemoJob}.
 *
 * @param dir folder holding {@code raw/} (generated files) and {@code lake/} (Delta tables)
 * @param from first month of the synthetic year
 * @param to last month
 * @param rowsPerMonth lines per generated month
 * @param seed generator seed
 * @param language the language of the studies' reports (HTML pages only)
 */
public record DemoOptions(Path dir, YearMonth from, YearMonth to, long rowsPerMonth, long seed, Progress progress, ReportLanguage language) {
  public static final long DEFAULT_ROWS_PER_MONTH = 50_000;
  public static final long DEFAULT_SEED = 2024;

  public DemoOptions {
    Objects.requireNonNull(dir, "dir is null");
    Objects.requireNonNull(from, "from is null");
    Objects.requireNonNull(to, "to is null");
    Objects.requireNonNull(progress, "progress is null");
    Objects.requireNonNull(language, "language is null");
  }

  /** Options whose reports are in English. */
  public DemoOptions(Path dir, YearMonth from, YearMonth to, long rowsPerMonth, long seed, Progress progress) {
    this(dir, from, to, rowsPerMonth, seed, progress, ReportLanguage.EN);
  }

  /** The year 2024 at the default size. */
  public static DemoOptions of(Path dir) {
    return new DemoOptions(dir, YearMonth.of(2024, 1), YearMonth.of(2024, 12), DEFAULT_ROWS_PER_MONTH, DEFAULT_SEED, Progress.SILENT);
  }

  public DemoOptions withRowsPerMonth(long rows) {
    return new DemoOptions(dir, from, to, rows, seed, progress, language);
  }

  public DemoOptions withProgress(Progress newProgress) {
    return new DemoOptions(dir, from, to, rowsPerMonth, seed, newProgress, language);
  }

  public DemoOptions withLanguage(ReportLanguage newLanguage) {
    return new DemoOptions(dir, from, to, rowsPerMonth, seed, progress, newLanguage);
  }

  public Path rawDir() {
    return dir.resolve("raw");
  }

  public Path lakeDir() {
    return dir.resolve("lake");
  }

  /** Where the demo's studies go, one folder each (replaced on each run). */
  public Path studiesDir() {
    return dir.resolve("out").resolve("studies");
  }

  /** Where the demo's gated export goes (replaced on each run). */
  public Path exportDir() {
    return dir.resolve("out").resolve("lines-by-region-age-sex");
  }
}
