package fr.sante.workbench.ingest.damir;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.testing.CliRunner;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month is three commits (damir, damir_rejects, ingest_log). A real child process halted (as a kill would) after
 * each of the first two leaves the month half-written; the next {@code tables} or ingest completes it, so that every
 * table's version and read = accepted + rejected are right again. The oracle counts the lines of the files with
 * plain gzip and the rows with plain Spark filters.
 */
class CommitWindowsTest {
  private static final int MONTH = 202403;
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void haltedAfterTheDataCommitIsCompletedByTables() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    Path first = month(dir.resolve("v1"), 200, 3, 21);
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(first.toString()), lake));
    Map<String, Long> before = versions(lake);

    Path second = month(dir.resolve("v2"), 500, 7, 22);
    assertThat(haltedIngest(second, lake, "damir")).isEqualTo(137);
    // the window: damir holds the new month, its rejects and log row are the old run's
    assertThat(versions(lake)).containsEntry(Lake.DAMIR, before.get(Lake.DAMIR) + 1)
        .containsEntry(Lake.DAMIR_REJECTS, before.get(Lake.DAMIR_REJECTS)).containsEntry(Lake.INGEST_LOG, before.get(Lake.INGEST_LOG));
    assertThat(rows(lake, Lake.DAMIR) + rows(lake, Lake.DAMIR_REJECTS)).as("read != accepted + rejected in the window").isNotEqualTo(lines(second));

    String err = tables(lake);
    assertThat(err).contains("Recovered: ingest").contains("stopped after committing month " + MONTH).contains("its 7 rejected lines").contains("ingest_log row");
    assertConsistent(lake, second, 7);
    assertThat(versions(lake)).containsEntry(Lake.DAMIR, before.get(Lake.DAMIR) + 1)
        .containsEntry(Lake.DAMIR_REJECTS, before.get(Lake.DAMIR_REJECTS) + 1).containsEntry(Lake.INGEST_LOG, before.get(Lake.INGEST_LOG) + 1);
    assertThat(Path.of(lake.stagingPath())).doesNotExist();
    // a second look finds nothing left to do
    assertThat(tables(lake)).doesNotContain("Recovered");
  }

  @Test
  void haltedAfterTheRejectsCommitIsCompletedByTheNextIngest() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(month(dir.resolve("v1"), 200, 0, 31).toString()), lake));
    Path second = month(dir.resolve("v2"), 400, 5, 32);
    assertThat(haltedIngest(second, lake, "rejects")).isEqualTo(137);
    Map<String, Long> window = versions(lake);

    // another month's ingest completes the halted one first, without rewriting the rejects it did commit
    Path april = DamirFixtures.write(Files.createDirectories(dir.resolve("v3")).resolve("A202404.csv.gz"), DamirFixtures.header(Variant.REG),
        DamirFixtures.randomLines(202404, 50, 33));
    List<String> said = new ArrayList<>();
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(april.toString()), lake).withProgress(new Progress() {
      @Override
      public void update(String file, String stage, long done, long total, long rowsDone, long rowsTotal, boolean finished) {}

      @Override
      public void step(String line) {
        said.add(line);
      }
    }));
    assertThat(said).anyMatch(l -> l.contains("stopped after committing month " + MONTH) && l.contains("wrote its ingest_log row") && !l.contains("rejected lines"));
    assertConsistent(lake, second, 5);
    assertThat(versions(lake).get(Lake.INGEST_LOG)).isEqualTo(window.get(Lake.INGEST_LOG) + 2); // the halted month's row, then April's
  }

  @Test
  void haltedBeforeAnyCommitLeavesTheTablesAndIsCleanedUp() throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    Path first = month(dir.resolve("v1"), 200, 2, 41);
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(first.toString()), lake));
    Map<String, Long> before = versions(lake);
    // a header mismatch against the populated lake: refused before anything is written, no version moves
    Path bad = DamirFixtures.write(Files.createDirectories(dir.resolve("bad")).resolve("A202403.csv.gz"),
        DamirFixtures.header(Variant.REG).replace("PRS_NAT", "PRS_NATURE"), DamirFixtures.randomLines(MONTH, 10, 42));
    assertThatThrownBy(() -> IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(bad.toString()), lake))).isInstanceOf(HeaderMismatchException.class);
    assertThat(versions(lake)).isEqualTo(before);
    assertConsistent(lake, first, 2);
  }

  private void assertConsistent(Lake lake, Path file, long rejected) throws Exception {
    long read = lines(file);
    long accepted = lake.read(spark, Lake.DAMIR).where(col("FLX_ANN_MOI").equalTo(MONTH)).count();
    long rejects = lake.read(spark, Lake.DAMIR_REJECTS).where(col("FLX_ANN_MOI").equalTo(MONTH)).count();
    assertThat(rejects).as("rejects of the month").isEqualTo(rejected);
    assertThat(accepted + rejects).as("accepted + rejected = the file's lines").isEqualTo(read);
    List<Row> logged = lake.read(spark, Lake.INGEST_LOG).where(col("FLX_ANN_MOI").equalTo(MONTH)).orderBy(col("ended_at").desc()).collectAsList();
    Row last = logged.get(0);
    assertThat(last.<String>getAs("source_file")).isEqualTo(file.getFileName().toString());
    assertThat(last.<Long>getAs("rows_read")).isEqualTo(read);
    assertThat(last.<Long>getAs("rows_accepted")).isEqualTo(accepted);
    assertThat(last.<Long>getAs("rows_rejected")).isEqualTo(rejects);
    assertThat(last.<String>getAs("sha256")).isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
  }

  /** A month of {@code good} random lines plus {@code bad} lines the parser must reject. */
  private static Path month(Path folder, int good, int bad, long seed) throws Exception {
    List<String> lines = new ArrayList<>(DamirFixtures.randomLines(MONTH, good, seed));
    for (int i = 0; i < bad; i++) {
      lines.add(i * 37 % lines.size(), "garbage " + i);
    }
    return DamirFixtures.write(Files.createDirectories(folder).resolve("A" + MONTH + ".csv.gz"), DamirFixtures.header(Variant.REG), lines);
  }

  /** Data lines of a gzip file, counted without the workbench. */
  private static long lines(Path gz) throws Exception {
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), java.nio.charset.StandardCharsets.ISO_8859_1))) {
      return in.lines().count() - 1;
    }
  }

  private long rows(Lake lake, String table) {
    return lake.read(spark, table).where(col("FLX_ANN_MOI").equalTo(MONTH)).count();
  }

  private Map<String, Long> versions(Lake lake) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String table : List.of(Lake.DAMIR, Lake.DAMIR_REJECTS, Lake.INGEST_LOG)) {
      out.put(table, DeltaTable.forPath(spark, lake.tablePath(table)).history(1).first().getLong(0));
    }
    return out;
  }

  private static String tables(Lake lake) {
    CliRunner cli = new CliRunner();
    assertThat(cli.run("tables", "--lake", lake.root())).as(cli.err.toString()).isZero();
    return cli.err.toString();
  }

  /** A real child process ingesting {@code file}, halted after the {@code stage} commit; its exit code. */
  private static int haltedIngest(Path file, Lake lake, String stage) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("workbench.jvm.flags", "").trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-D" + PendingMonths.HALT_AFTER + "=" + stage, "-cp", System.getProperty("java.class.path"), "fr.sante.workbench.cli.Workbench"));
    command.addAll(List.of("ingest", "damir", file.toString(), "--lake", lake.root()));
    File log = new File(lake.root() + "-" + stage + "-child.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process child = builder.start();
    assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("the child ends").isTrue();
    assertThat(Files.readString(log.toPath())).as("the child's output").contains("Halting after the " + stage + " commit");
    return child.exitValue();
  }
}
