package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress lines' one format, the heartbeat after a silence, and in-place rewriting on a terminal only. */
class TerminalProgressTest {
  private final AtomicLong clock = new AtomicLong();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private TerminalProgress progress(boolean terminal) {
    return new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, clock::get, false);
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void stepsAndCountsShareOneFormatWithTheTimeSinceStart() {
    TerminalProgress p = progress(false);
    clock.set(1_200);
    p.step("protecting expenditure/by-month");
    clock.set(2_000);
    p.update("A202401.csv.gz", "parsing", 0, 8_000_000, 0, 50_000, false);
    clock.set(7_500);
    p.update("A202401.csv.gz", "parsing", 4_000_000, 8_000_000, 25_000, 50_000, false);
    clock.set(9_000);
    p.update("A202401.csv.gz", "parsing", 8_000_000, 8_000_000, 50_000, 50_000, true);

    assertThat(printed().lines().toList())
        .containsExactly(
            "    1.2 s  protecting expenditure/by-month",
            "    2.0 s  A202401.csv.gz   parsing  started",
            "    7.5 s  A202401.csv.gz   parsing   50%      4.0/8.0 MB 25,000/50,000 rows  0.7 MB/s  5.5 s",
            "    9.0 s  A202401.csv.gz   parsing  100%      8.0/8.0 MB 50,000/50,000 rows  1.1 MB/s  7.0 s");
  }

  @Test
  void aSilenceLongerThanTheHeartbeatGetsALineNamingTheRunningStep() {
    TerminalProgress p = progress(false);
    clock.set(1_000);
    p.step("protecting expenditure/by-month");
    clock.set(1_000 + TerminalProgress.HEARTBEAT_MILLIS - 1);
    p.beat();
    assertThat(printed().lines().count()).as("lines before the heartbeat is due").isEqualTo(1);
    clock.set(1_000 + TerminalProgress.HEARTBEAT_MILLIS);
    p.beat();
    clock.set(1_000 + TerminalProgress.HEARTBEAT_MILLIS + 1_000);
    p.beat(); // one second later: not due again
    clock.set(1_000 + 2 * TerminalProgress.HEARTBEAT_MILLIS);
    p.beat();
    p.step("[  8.0 s] done: protecting expenditure/by-month");
    clock.set(9_000 + TerminalProgress.HEARTBEAT_MILLIS);
    p.beat();

    assertThat(printed().lines().toList())
        .containsExactly(
            "    1.0 s  protecting expenditure/by-month",
            "    5.0 s  ... protecting expenditure/by-month (4 s so far)",
            "    9.0 s  ... protecting expenditure/by-month (8 s so far)",
            "    9.0 s  [  8.0 s] done: protecting expenditure/by-month",
            "   13.0 s  ... working (4 s since: done: protecting expenditure/by-month)");
  }

  @Test
  void inALogFileACountingStepPrintsCountsAndTheHeartbeatOnlyWhenTheCountsStop() {
    TerminalProgress p = progress(false);
    p.update("A202401.csv.gz", "parsing", 0, 8_000_000, 0, 50_000, false);
    for (long t = 250; t <= 8_000; t += 250) { // counts polled twice a second, heartbeat checked four times a second
      clock.set(t);
      if (t % 500 == 0) {
        p.update("A202401.csv.gz", "parsing", t * 100, 8_000_000, t, 50_000, false);
      }
      p.beat();
    }
    for (long t = 8_250; t <= 14_000; t += 250) { // the counts stop (the stage not started, say)
      clock.set(t);
      p.beat();
    }
    assertThat(printed().lines().toList())
        .containsExactly(
            "    0.0 s  A202401.csv.gz   parsing  started",
            "    4.0 s  A202401.csv.gz   parsing    5%      0.4/8.0 MB 4,000/50,000 rows  0.1 MB/s  4.0 s",
            "    8.0 s  A202401.csv.gz   parsing   10%      0.8/8.0 MB 8,000/50,000 rows  0.1 MB/s  8.0 s",
            "   13.0 s  ... A202401.csv.gz parsing (13 s so far)");
  }

  @Test
  void noHeartbeatOnceTheCommandIsOver() {
    TerminalProgress p = progress(false);
    p.step("starting Spark");
    clock.set(100);
    p.step("[  0.1 s] done: starting Spark");
    idle(p);
    clock.set(60_000);
    p.beat();
    assertThat(printed().lines().count()).isEqualTo(2);
  }

  @Test
  void onATerminalCountsAndHeartbeatsAreRewrittenInPlace() {
    TerminalProgress p = progress(true);
    p.step("ingesting");
    clock.set(1_000);
    p.update("A202401.csv.gz", "parsing", 0, 8_000_000, 0, 50_000, false);
    clock.set(1_300);
    p.update("A202401.csv.gz", "parsing", 4_000_000, 8_000_000, 25_000, 50_000, false);
    clock.set(2_300);
    p.beat();
    clock.set(3_000);
    p.update("A202401.csv.gz", "parsing", 8_000_000, 8_000_000, 50_000, 50_000, true);

    String text = printed();
    assertThat(text.split("\n", -1))
        .as("terminal output, split at line ends")
        .containsExactly(
            "\r    0.0 s  ingesting\033[K",
            "\r    1.0 s  A202401.csv.gz   parsing  started\033[K",
            "\r    1.3 s  A202401.csv.gz   parsing   50%      4.0/8.0 MB 25,000/50,000 rows  13.3 MB/s  0.3 s\033[K"
                + "\r    2.3 s  ... A202401.csv.gz parsing (1 s so far)\033[K"
                + "\r    3.0 s  A202401.csv.gz   parsing  100%      8.0/8.0 MB 50,000/50,000 rows  4.0 MB/s  2.0 s\033[K",
            "");
  }

  /** {@link TerminalProgress#idle} on this instance (the static one acts on the shared instance). */
  private static void idle(TerminalProgress p) {
    p.stopRepeating();
  }
}
