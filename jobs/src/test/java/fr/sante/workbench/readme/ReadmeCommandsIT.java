package fr.sante.workbench.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import fr.sante.workbench.generate.GenerateDenominators;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README is executable: every shell block runs, in order, as a newcomer would type it, through the
 * project's own {@code ./workbench} script and the built jar, in a scratch folder. A command fails the test
 * when its exit code is not the one the README announces ({@code (exits with 3)} in the comment above it, 0
 * otherwise). Blocks marked {@code <!-- readme-test: skip ... -->} (the test command itself, the notebooks,
 * clusters and object stores) are counted and their count printed.
 *
 * <p>Substitution table (what the scratch folder holds in place of a user's files):
 *
 * <table>
 *   <tr><th>README says</th><th>the test gives</th></tr>
 *   <tr><td>{@code ./workbench}</td><td>a two-line script calling this clone's {@code workbench}</td></tr>
 *   <tr><td>{@code ~} ({@code HOME})</td><td>{@code <scratch>/home}</td></tr>
 *   <tr><td>{@code ~/open-damir/2024/}</td><td>12 months 2024-01..2024-12 of {@value #LINES_PER_MONTH} generated lines each</td></tr>
 *   <tr><td>{@code ~/open-medic/}</td><td>{@code OPEN_MEDIC_2023.zip} and {@code OPEN_MEDIC_2024.zip}, {@value #OPEN_MEDIC_LINES} generated lines each</td></tr>
 *   <tr><td>{@code ../shared/data}</td><td>the real data folder given by {@code -Dworkbench.data}; without it, generated stand-ins
 *       at the same paths (ALD prevalence in the long CSV layout in {@code ald/}, INSEE-layout population files under both
 *       reference names)</td></tr>
 *   <tr><td>{@code generate ... --rows-per-month 1000000}, {@code --rows 100000}</td><td>{@code 2000} (the lines are written, not read back)</td></tr>
 * </table>
 */
class ReadmeCommandsIT {
  static final int LINES_PER_MONTH = 5_000;
  static final int OPEN_MEDIC_LINES = 5_000;
  private static final Map<String, String> SUBSTITUTIONS =
      Map.of("--rows-per-month 1000000", "--rows-per-month 2000", "--rows 100000", "--rows 2000");
  private static final long COMMAND_TIMEOUT_SECONDS = 600;

  @TempDir Path scratch;

  @Test
  void everyShellBlockOfTheReadmeRuns() throws Exception {
    Path root = Readme.file().getParent();
    assertThat(root.resolve("jobs/target/workbench.jar")).as("built by mvn package").isRegularFile();
    Path home = Files.createDirectories(scratch.resolve("home"));
    Path work = Files.createDirectories(scratch.resolve("work"));
    Path logs = Files.createDirectories(scratch.resolve("logs"));
    Path wrapper = work.resolve("workbench");
    Files.writeString(wrapper, "#!/usr/bin/env bash\nexec \"" + root.resolve("workbench") + "\" \"$@\"\n", StandardCharsets.UTF_8);
    assertThat(wrapper.toFile().setExecutable(true)).isTrue();

    // the user's own files
    run(work, home, logs, "stand-in open-damir", "./workbench generate damir --from 2024-01 --to 2024-12 --rows-per-month " + LINES_PER_MONTH + " --seed 11 --out ~/open-damir/2024", 0);
    run(work, home, logs, "stand-in open-medic 2023", "./workbench generate openmedic --year 2023 --rows " + OPEN_MEDIC_LINES + " --seed 12 --out ~/open-medic", 0);
    run(work, home, logs, "stand-in open-medic 2024", "./workbench generate openmedic --year 2024 --rows " + OPEN_MEDIC_LINES + " --seed 13 --out ~/open-medic", 0);
    sharedData(scratch.resolve("shared"));

    List<Readme.Block> blocks = Readme.blocks(Readme.text());
    // the files the README shows (policy.yaml) are in the folder before any command, wherever they are shown
    for (Readme.Block block : blocks) {
      if ("file".equals(block.marker())) {
        Files.writeString(work.resolve(block.argument()), block.text(), StandardCharsets.UTF_8);
      }
    }
    Map<String, Integer> skipped = new TreeMap<>();
    int commands = 0;
    int shellBlocks = 0;
    List<String> refusedAsAnnounced = new ArrayList<>();
    for (Readme.Block block : blocks) {
      if (block.skipped()) {
        skipped.merge(block.skipKind(), 1, Integer::sum);
        continue;
      }
      if (!block.language().equals("bash")) {
        continue;
      }
      shellBlocks++;
      for (Readme.Command command : Readme.commands(block)) {
        String text = command.text();
        for (Map.Entry<String, String> s : SUBSTITUTIONS.entrySet()) {
          text = text.replace(s.getKey(), s.getValue());
        }
        run(work, home, logs, "README.md line " + command.line(), text, command.expectedExit());
        commands++;
        if (command.expectedExit() != 0) {
          refusedAsAnnounced.add("line " + command.line() + " exit " + command.expectedExit());
        }
      }
    }
    int skippedBlocks = skipped.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "README: %d commands run from %d shell blocks (%d with an announced non-zero exit: %s); %d blocks skipped by marker: %s%n",
        commands, shellBlocks, refusedAsAnnounced.size(), refusedAsAnnounced, skippedBlocks, skipped);
    assertThat(commands).as("commands run").isGreaterThan(20);
    assertThat(skipped).as("skipped blocks by kind").containsKeys("tests", "cluster");
    // what the commands left is what the README says they leave
    assertThat(work.resolve("demo/lake/damir/_delta_log")).isDirectory();
    assertThat(work.resolve("lake/damir/_delta_log")).as("the relative --lake of the command tour").isDirectory();
    assertThat(work.resolve("out/cells-by-region-age/table.csv")).isRegularFile();
    assertThat(work.resolve("out/refused")).as("a refused export writes nothing").doesNotExist();
    assertThat(work.resolve("out/expenditure/report/index.html")).isRegularFile();
  }

  /** {@code ../shared/data} seen from the working folder: the real files when given, stand-ins otherwise. */
  private static void sharedData(Path shared) throws IOException {
    Files.createDirectories(shared);
    String given = System.getProperty("workbench.data", "");
    if (!given.isBlank() && !given.startsWith("${")) {
      Path real = Path.of(given).isAbsolute() ? Path.of(given) : Readme.file().getParent().resolve(given).normalize();
      if (!Files.isDirectory(real.resolve("ald")) || !Files.isDirectory(real.resolve("reference"))) {
        fail("workbench.data was given as '" + given + "' but " + real + " has no ald/ and reference/ folders");
      }
      Files.createSymbolicLink(shared.resolve("data"), real);
      return;
    }
    Path data = Files.createDirectories(shared.resolve("data"));
    GenerateDenominators.Written written = GenerateDenominators.write(Files.createDirectories(shared.resolve("generated")), 2014, 5);
    Files.createDirectories(data.resolve("ald"));
    Files.copy(written.ald(), data.resolve("ald").resolve(written.ald().getFileName()));
    Path reference = Files.createDirectories(data.resolve("reference"));
    Files.copy(written.population(), reference.resolve("population-departement-sexe-age5-2009-2014.csv"));
    Files.copy(written.population(), reference.resolve("population-protegee-rg-departement-2014.csv"));
  }

  private static void run(Path work, Path home, Path logs, String where, String command, int expectedExit) throws Exception {
    Path log = logs.resolve(String.format("%03d.log", Files.list(logs).count()));
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -eo pipefail\n" + command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = new LinkedHashMap<>(builder.environment());
    builder.environment().put("HOME", home.toString());
    // the jar mvn package built is the one under test: the script must not rebuild it mid-test if a source changes
    builder.environment().put("WORKBENCH_BUILD", "0");
    // Java takes its home from the password database, not from HOME: the JVMs must see the scratch home too
    // (the audit key of 'audit init' goes to ~/.workbench/audit.key), never the real one
    builder.environment().put("WORKBENCH_JAVA_OPTS", "-Duser.home=" + home);
    builder.environment().put("SPARK_LOCAL_IP", env.getOrDefault("SPARK_LOCAL_IP", "127.0.0.1"));
    long start = System.nanoTime();
    Process process = builder.start();
    boolean finished = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    String shown = output.length() > 6000 ? "..." + output.substring(output.length() - 6000) : output;
    if (!finished) {
      fail(where + ": still running after " + COMMAND_TIMEOUT_SECONDS + " s:\n$ " + command + "\n" + shown);
    }
    System.out.printf("%s: exit %d in %.1f s: %s%n", where, process.exitValue(), (System.nanoTime() - start) / 1e9, command.replace('\n', ' '));
    if (process.exitValue() != expectedExit) {
      fail(where + ": expected exit code " + expectedExit + " but found " + process.exitValue() + ":\n$ " + command + "\n" + shown);
    }
  }
}
