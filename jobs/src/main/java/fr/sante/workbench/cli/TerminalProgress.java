package fr.sante.workbench.cli;

import fr.sante.workbench.ingest.damir.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints progress for a person: one line rewritten in place on a terminal, or a line every few seconds
 * when the output is a log file (CI, nohup), and always a final line per step.
 */
final class TerminalProgress implements Progress {
  private static final long TERMINAL_EVERY_MILLIS = 250;
  private static final long LOG_EVERY_MILLIS = 5000;

  private final PrintStream out;
  private final boolean interactive;
  private String currentStep = "";
  private long stepStart;
  private long lastPrint;

  TerminalProgress(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** Step lines on standard error, each with the time since the command started. */
  static java.util.function.Consumer<String> lines() {
    long start = System.nanoTime();
    return line -> {
      System.err.println(String.format(Locale.ROOT, "%7.1f s  %s", (System.nanoTime() - start) / 1e9, line));
      System.err.flush();
    };
  }

  static TerminalProgress toStderr() {
    return new TerminalProgress(System.err, System.console() != null);
  }

  private final long created = System.nanoTime();

  @Override
  public synchronized void step(String line) {
    out.println(String.format(Locale.ROOT, "%7.1f s  %s", (System.nanoTime() - created) / 1e9, line));
    out.flush();
  }

  @Override
  public synchronized void update(
      String file, String step, long bytesDone, long bytesTotal, long rowsDone, long rowsTotal, boolean finished) {
    long now = System.currentTimeMillis();
    String key = file + "/" + step;
    if (!key.equals(currentStep)) {
      currentStep = key;
      stepStart = now;
      lastPrint = now; // the first report of a step only starts its clock
    }
    if (!finished && now - lastPrint < (interactive ? TERMINAL_EVERY_MILLIS : LOG_EVERY_MILLIS)) {
      return;
    }
    lastPrint = now;
    double seconds = Math.max(0.001, (now - stepStart) / 1000.0);
    String line =
        String.format(
            Locale.ROOT,
            "%-16s %-8s %s %s rows  %s  %.1f s",
            file,
            step,
            fraction(bytesDone, bytesTotal),
            rowsTotal >= 0 ? millions(rowsDone) + "/" + millions(rowsTotal) : millions(rowsDone),
            String.format(Locale.ROOT, "%.1f MB/s", bytesDone / 1e6 / seconds),
            seconds);
    if (interactive) {
      out.print("\r" + line + "   ");
      if (finished) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  private static String fraction(long done, long total) {
    if (total <= 0) {
      return String.format(Locale.ROOT, "%8.1f MB", done / 1e6);
    }
    return String.format(Locale.ROOT, "%3d%% %8.1f/%.1f MB", Math.min(100, done * 100 / total), done / 1e6, total / 1e6);
  }

  private static String millions(long rows) {
    return rows >= 1_000_000 ? String.format(Locale.ROOT, "%.2f M", rows / 1e6) : String.format(Locale.ROOT, "%,d", rows);
  }
}
