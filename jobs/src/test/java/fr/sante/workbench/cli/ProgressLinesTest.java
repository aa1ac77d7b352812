package fr.sante.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.generate.GenerateDamirJob;
import fr.sante.workbench.generate.GenerateDamirOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user with stderr redirected sees it, in a child JVM: progress lines stream on stderr as the work goes,
 * all in one format, never silent for long, with no Spark log line unless --verbose; results stay on stdout.
 */
class ProgressLinesTest {
  /** The one progress format: seconds since the JVM started, two spaces, text. */
  private static final Pattern PROGRESS = Pattern.compile("^ {0,6}\\d+\\.\\d s  \\S.*");
  /** A log4j line of the workbench's layout ({@code %d{HH:mm:ss} %p %c{1}: %m}). */
  private static final Pattern LOG = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) \\S+: .*");
  /** Longest silence allowed on stderr while the command runs: the heartbeat's 4 s, with room for a loaded machine. */
  private static final double MAX_GAP_SECONDS = 10;

  @TempDir Path dir;

  /** A stderr line and when it arrived, in seconds after the child started. */
  private record Line(double at, String text) {}

  private record Run(int exit, double seconds, List<Line> stderr, String stdout) {}

  @Test
  void ingestStreamsOneFormatOnStderrWithoutGapsOrLogs() throws Exception {
    Path raw = dir.resolve("raw");
    GenerateDamirJob.run(GenerateDamirOptions.of(YearMonth.of(2024, 3), YearMonth.of(2024, 3), 50_000, 7, raw));
    Path lake = dir.resolve("lake");

    Run run = run("ingest", List.of("ingest", "damir", raw.resolve("A202403.csv.gz").toString(), "--lake", lake.toString()));

    String all = describe(run);
    assertThat(run.exit()).as("exit code; " + all).isZero();
    assertThat(run.stdout()).as("the results on stdout; " + all).contains("A202403.csv.gz").contains("50,000").contains("total");
    assertThat(run.stdout().lines().filter(l -> PROGRESS.matcher(l).matches()).toList()).as("progress lines on stdout; " + all).isEmpty();
    assertThat(run.stderr()).as("stderr lines; " + all).hasSizeGreaterThanOrEqualTo(3);
    // streamed: the first line (Spark starting) long before the end, not all at once when the process exits
    double first = run.stderr().get(0).at();
    assertThat(first).as("first stderr line's arrival (s) against the run's " + run.seconds() + " s; " + all).isLessThan(run.seconds() / 2);
    assertThat(run.stderr().get(run.stderr().size() - 1).at() - first).as("time between the first and last stderr lines; " + all).isGreaterThan(1);
    List<String> other = run.stderr().stream().map(Line::text).filter(l -> !PROGRESS.matcher(l).matches()).toList();
    assertThat(other).as("stderr lines not in the format '%7.1f s  text'; " + all).isEmpty();
    List<String> logs = run.stderr().stream().map(Line::text).filter(l -> LOG.matcher(l).matches() || l.contains(" WARN ") || l.contains(" INFO ")).toList();
    assertThat(logs).as("Spark/Hadoop/Delta log lines without --verbose; " + all).isEmpty();
    double longest = 0;
    String after = "";
    for (int i = 1; i < run.stderr().size(); i++) {
      double gap = run.stderr().get(i).at() - run.stderr().get(i - 1).at();
      if (gap > longest) {
        longest = gap;
        after = run.stderr().get(i - 1).text();
      }
    }
    assertThat(longest).as("longest silence on stderr (after '" + after + "'); " + all).isLessThanOrEqualTo(MAX_GAP_SECONDS);
    assertThat(run.stderr().stream().map(Line::text).toList())
        .as("step start and end lines; " + all)
        .anyMatch(l -> l.contains("starting Spark"))
        .anyMatch(l -> l.matches(".*\\[ *\\d+\\.\\d s\\] done: starting Spark.*"))
        .anyMatch(l -> l.contains("A202403.csv.gz") && l.contains("parsing  100%"))
        .anyMatch(l -> l.matches(".*\\[ *\\d+\\.\\d s\\] done: A202403.csv.gz committing month 202403 .*"));
  }

  @Test
  void verboseBringsBackSparksLogs() throws Exception {
    Path lake = Files.createDirectories(dir.resolve("lake"));

    Run quiet = run("quiet", List.of("tables", "--lake", lake.toString()));
    Run verbose = run("verbose", List.of("tables", "--verbose", "--lake", lake.toString()));

    assertThat(quiet.exit()).as(describe(quiet)).isZero();
    assertThat(verbose.exit()).as(describe(verbose)).isZero();
    assertThat(quiet.stderr().stream().map(Line::text).filter(l -> LOG.matcher(l).matches()).toList()).as("log lines without --verbose; " + describe(quiet)).isEmpty();
    assertThat(verbose.stderr().stream().map(Line::text).filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d INFO SparkContext: .*")).toList())
        .as("Spark's INFO lines with --verbose; " + describe(verbose))
        .isNotEmpty();
  }

  /** Runs the CLI in a child JVM, stdout to a file, stderr read line by line as it arrives. */
  private Run run(String name, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the flags Spark needs, less the incubating Vector API, as the ./workbench launcher runs it (it would print a JVM warning)
    command.addAll(
        Arrays.stream(System.getProperty("workbench.jvm.flags", "").trim().split("\\s+"))
            .filter(s -> !s.isEmpty() && !s.equals("--add-modules=jdk.incubator.vector"))
            .toList());
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "fr.sante.workbench.cli.Workbench"));
    command.addAll(args);
    Path out = dir.resolve(name + ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long start = System.nanoTime();
    Process process = builder.start();
    List<Line> lines = new ArrayList<>();
    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        lines.add(new Line((System.nanoTime() - start) / 1e9, line));
      }
    }
    boolean finished = process.waitFor(240, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(finished).as("the child finished within 240 s; stderr:\n" + lines).isTrue();
    return new Run(process.exitValue(), seconds, lines, stdout);
  }

  private static String describe(Run run) {
    StringBuilder s = new StringBuilder(String.format("exit %d after %.1f s; stderr (arrival s | line):%n", run.exit(), run.seconds()));
    run.stderr().forEach(l -> s.append(String.format("%7.1f | %s%n", l.at(), l.text())));
    return s.append("stdout:\n").append(run.stdout()).toString();
  }
}
