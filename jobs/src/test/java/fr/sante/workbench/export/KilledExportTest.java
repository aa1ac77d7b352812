package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.cli.Workbench;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export killed (SIGKILL) while it runs leaves nothing under its output folder's name (its files are written in
 * a hidden folder beside it and renamed into place once sealed), and the next export to that folder removes the
 * dead process's hidden folder and publishes.
 */
class KilledExportTest {
  private static final String QUERY = "SELECT BEN_RES_REG, AGE_BEN_SNDS, count(*) AS n FROM damir GROUP BY 1, 2";
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void aKilledExportLeavesNoFileAndTheNextOneCleansUpAndPublishes() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    Path month = DamirFixtures.write(dir.resolve("A202405.csv.gz"), DamirFixtures.header(Variant.REG), DamirFixtures.randomLines(202405, 3_000, 5));
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(month.toString()), lake));
    Path study = Files.createDirectories(dir.resolve("study"));
    Path out = study.resolve("by-region-age");

    Process child = startExport(lake, out);
    Optional<Path> staging = Optional.empty();
    try {
      long deadline = System.currentTimeMillis() + 300_000; // a loaded 2-core machine starts the child slowly
      while (staging.isEmpty() && child.isAlive() && System.currentTimeMillis() < deadline) {
        staging = partial(study);
        Thread.sleep(5);
      }
      assertThat(child.isAlive()).as("the child must still be exporting when it is killed (else the test proves nothing); its log: "
          + Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8)).isTrue();
      assertThat(staging).as("the export's hidden folder").isPresent();
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(out).as("nothing under the output folder's name").doesNotExist();
    assertThat(staging.orElseThrow()).as("the killed process's hidden folder, left behind").exists();
    assertThat(staging.orElseThrow().getFileName().toString()).startsWith(".by-region-age.partial-" + child.pid() + "-");
    long exportsBefore = exports(lake);

    // the next export to the same folder, in this process: it removes the dead one's folder and publishes
    int exit = Workbench.commandLine().execute(
        "export", "--lake", lake.root(), "--query", QUERY, "--dimensions", "BEN_RES_REG,AGE_BEN_SNDS", "--count-column", "n", "--counts", "rows", "--out", out.toString());
    assertThat(exit).isEqualTo(0);
    assertThat(staging.orElseThrow()).doesNotExist();
    try (Stream<Path> entries = Files.list(study)) {
      assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("by-region-age");
    }
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(AuditLog.ENTRY_FILE, "manifest.json", "table.csv");
    }
    assertThat(exports(lake)).isEqualTo(exportsBefore + 1);
  }

  private long exports(Lake lake) {
    return AuditLog.entries(spark, lake.tablePath(Lake.AUDIT_LOG)).stream().filter(AuditLog.StoredEntry::isExport).count();
  }

  private static Optional<Path> partial(Path study) throws Exception {
    try (Stream<Path> entries = Files.list(study)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(".by-region-age.partial-")).findFirst();
    }
  }

  private Process startExport(Lake lake, Path out) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags", "").trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-Duser.home=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"), Workbench.class.getName()));
    command.addAll(List.of("export", "--lake", lake.root(), "--query", QUERY, "--dimensions", "BEN_RES_REG,AGE_BEN_SNDS", "--count-column", "n", "--counts", "rows",
        "--out", out.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(dir.resolve("child.log").toString()));
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }
}
