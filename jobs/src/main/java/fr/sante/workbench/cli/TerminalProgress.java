package fr.sante.workbench.cli;

import fr.sante.workbench.ingest.damir.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress lines of every command, on standard error, in one format: {@code %7.1f s  <text>}, the time since the
 * JVM started then what is going on. On a terminal, a running count (bytes, rows) and the heartbeat are rewritten in
 * place; in a log file (CI, nohup, stderr redirected) they are lines of their own. While a step runs, a count or a
 * heartbeat line says so whenever nothing else was printed for {@value #HEARTBEAT_MILLIS} ms, so a redirected stderr
 * never stays silent for long. Results go to standard output, never here.
 */
final class TerminalProgress implements Progress {
  private static final long TERMINAL_EVERY_MILLIS = 250;
  /** Longest silence on stderr while a command runs. */
  static final long HEARTBEAT_MILLIS = 4000;

  private static TerminalProgress shared;

  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier millis;
  private String currentStep = "";
  private long stepStart;
  private long lastPrint;
  /** The last line that said what is going on (what the heartbeat repeats), and when it was printed. */
  private String activity;
  private long activitySince;
  /** Whether the running step reports counts (then a count, not the heartbeat, breaks a silence in a log file). */
  private boolean counting;
  /** When anything was last printed. */
  private long lastLine;
  /** Whether the last thing printed is a line rewritten in place (terminal only), not yet ended. */
  private boolean pendingInPlace;
  /** Whether a thread calls {@link #beat} (tests call it themselves, on their own clock). */
  private final boolean beating;
  private Thread heartbeat;

  TerminalProgress(PrintStream out, boolean interactive, LongSupplier millis, boolean beating) {
    this.out = out;
    this.interactive = interactive;
    this.millis = millis;
    this.beating = beating;
  }

  /** The process's progress on standard error: one clock (the JVM's uptime) and one heartbeat for every step. */
  static synchronized TerminalProgress toStderr() {
    if (shared == null) {
      java.lang.management.RuntimeMXBean runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
      shared = new TerminalProgress(System.err, System.console() != null, runtime::getUptime, true);
    }
    return shared;
  }

  /** The command is over: the heartbeat has nothing left to repeat (until the next step, in a test's JVM). */
  static synchronized void idle() {
    if (shared != null) {
      shared.stopRepeating();
    }
  }

  synchronized void stopRepeating() {
    activity = null;
    currentStep = "";
    if (pendingInPlace) {
      out.println();
      out.flush();
      pendingInPlace = false;
    }
  }

  /** Step lines on standard error (see {@link #toStderr}). */
  static java.util.function.Consumer<String> lines() {
    return toStderr()::step;
  }

  /** The one format of a progress line. */
  static String format(long millis, String text) {
    return String.format(Locale.ROOT, "%7.1f s  %s", millis / 1000.0, text);
  }

  @Override
  public synchronized void step(String line) {
    emit(line, false);
    activity = line.strip();
    activitySince = millis.getAsLong();
    counting = false;
    startHeartbeat();
  }

  @Override
  public synchronized void update(
      String file, String step, long bytesDone, long bytesTotal, long rowsDone, long rowsTotal, boolean finished) {
    long now = millis.getAsLong();
    String key = file + "/" + step;
    if (!key.equals(currentStep)) {
      currentStep = key;
      stepStart = now;
      lastPrint = now;
      activity = file + " " + step;
      activitySince = now;
      startHeartbeat();
      if (!finished) {
        emit(String.format(Locale.ROOT, "%-16s %-8s started", file, step), false);
        return;
      }
    }
    counting = !finished;
    // on a terminal, a count every quarter second; in a log file, one whenever nothing else was printed for a while
    if (!finished && (interactive ? now - lastPrint < TERMINAL_EVERY_MILLIS : now - lastLine < HEARTBEAT_MILLIS)) {
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
    emit(line, interactive && !finished);
  }

  /** Prints one progress line; {@code inPlace}: rewritten by the next one (terminal only). */
  private void emit(String text, boolean inPlace) {
    long now = millis.getAsLong();
    String line = format(now, text);
    if (interactive) {
      out.print("\r" + line + "\033[K");
      if (!inPlace) {
        out.println();
      }
      pendingInPlace = inPlace;
    } else {
      out.println(line);
    }
    out.flush();
    lastLine = now;
  }

  /** Says what is still running whenever nothing was printed for a while. */
  private void startHeartbeat() {
    if (heartbeat != null || !beating) {
      return;
    }
    heartbeat =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(250);
                } catch (InterruptedException e) {
                  return;
                }
                beat();
              }
            },
            "progress-heartbeat");
    heartbeat.setDaemon(true);
    heartbeat.start();
  }

  /** One heartbeat: a line if nothing was printed for {@link #HEARTBEAT_MILLIS} (rewritten in place on a terminal). */
  synchronized void beat() {
    long now = millis.getAsLong();
    // in a log file, a step that reports counts gets one more second for its next count before the heartbeat speaks
    if (activity == null || now - lastLine < (interactive ? 1000 : HEARTBEAT_MILLIS + (counting ? 1000 : 0))) {
      return;
    }
    if (interactive && !pendingInPlace && now - lastLine < HEARTBEAT_MILLIS) {
      return;
    }
    double seconds = (now - activitySince) / 1000.0;
    // a line that says a step is over ("[  4.2 s] ...") is no activity of its own: what follows it is not named yet
    String text =
        activity.startsWith("[")
            ? String.format(Locale.ROOT, "... working (%.0f s since: %s)", seconds, activity.replaceFirst("^\\[[^\\]]*\\]\\s*", ""))
            : String.format(Locale.ROOT, "... %s (%.0f s so far)", activity, seconds);
    emit(text, interactive);
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
