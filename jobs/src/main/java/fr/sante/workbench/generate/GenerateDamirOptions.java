package fr.sante.workbench.generate;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.ingest.damir.Progress;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Objects;

/**
 * Options of {@link GenerateDamirJob}.
 *
 * @param from first processing month
 * @param to last processing month (inclusive)
 * @param rowsPerMonth data lines per file
 * @param seed the same seed gives byte-identical files, whatever the number of threads
 * @param out folder to write {@code A<yyyy><mm>.csv.gz} files into
 * @param threads worker threads (each generates and compresses blocks of lines)
 */
public record GenerateDamirOptions(YearMonth from, YearMonth to, long rowsPerMonth, long seed, Path out, int threads, Progress progress) {
  /** Lines per block: the unit of parallel work and of one gzip member (about 16 MB of CSV). */
  public static final int BLOCK_ROWS = 100_000;

  public GenerateDamirOptions {
    Objects.requireNonNull(from, "from is null");
    Objects.requireNonNull(to, "to is null");
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(progress, "progress is null");
    if (to.isBefore(from)) {
      throw new WorkbenchException("Invalid month range: " + from + " to " + to + " (--to must not be before --from)");
    }
    if (rowsPerMonth < 0) {
      throw new WorkbenchException("Invalid rows per month: " + rowsPerMonth + " (must be >= 0)");
    }
    if (threads < 1) {
      throw new WorkbenchException("Invalid thread count: " + threads + " (must be >= 1)");
    }
  }

  public static GenerateDamirOptions of(YearMonth from, YearMonth to, long rowsPerMonth, long seed, Path out) {
    return new GenerateDamirOptions(from, to, rowsPerMonth, seed, out, Runtime.getRuntime().availableProcessors(), Progress.SILENT);
  }

  public GenerateDamirOptions withThreads(int newThreads) {
    return new GenerateDamirOptions(from, to, rowsPerMonth, seed, out, newThreads, progress);
  }

  public GenerateDamirOptions withProgress(Progress newProgress) {
    return new GenerateDamirOptions(from, to, rowsPerMonth, seed, out, threads, newProgress);
  }
}
