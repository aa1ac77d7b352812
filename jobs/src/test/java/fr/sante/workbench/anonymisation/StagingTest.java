package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sante.workbench.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export writes in a hidden folder beside its output folder and renames it into place once sealed: whatever
 * stops it, no file is ever left under the output folder's name, nor beside it once the next export has run.
 */
class StagingTest {
  private static final ExportPolicy POLICY = new ExportPolicy(List.of("region"), "n", ExportPolicy.CountUnit.PERSONS, SuppressionPolicy.defaults());
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private Exports.Request request(Path out) {
    return new Exports.Request(dir.resolve("lake/audit_log").toString(), out, "staging test", "test");
  }

  @Test
  void anOutOfMemoryErrorHalfwayThroughAFileLeavesNoFileAndIsNotSwallowed() throws Exception {
    Path out = dir.resolve("out/table");
    Path[] staging = new Path[1];
    assertThatThrownBy(() -> Exports.staged(spark, POLICY, request(out), "2026-12-03T00:00:00Z", "tester", written -> {
          staging[0] = written;
          try {
            Files.writeString(written.resolve(Exports.TABLE_FILE), "region,n\n11,", StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          throw new OutOfMemoryError("Java heap space (thrown by the test)");
        }))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(staging[0]).as("the export was given a hidden folder beside its output").isNotNull();
    assertThat(staging[0].getParent()).isEqualTo(out.getParent());
    assertThat(staging[0].getFileName().toString()).startsWith(".table.partial-" + ProcessHandle.current().pid() + "-");
    assertThat(staging[0]).as("the half-written file's folder").doesNotExist();
    assertThat(out).doesNotExist();
    assertThat(names(out.getParent())).isEmpty();
  }

  @Test
  void aFailureIsLoggedAsFailedAndLeavesNoFile() throws Exception {
    Path out = dir.resolve("out/table");
    assertThatThrownBy(() -> Exports.staged(spark, POLICY, request(out), "2026-12-03T00:00:00Z", "tester", written -> {
          try {
            Files.writeString(written.resolve(Exports.TABLE_FILE), "region,n\n", StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          throw new IllegalStateException("disk full (thrown by the test)");
        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("disk full (thrown by the test)");
    assertThat(names(out.getParent())).isEmpty();
    List<AuditLog.StoredEntry> entries = AuditLog.entries(spark, dir.resolve("lake/audit_log").toString());
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).entry().kind()).isEqualTo("FAILED");
    assertThat(entries.get(0).entry().reason()).isEqualTo("disk full (thrown by the test)");
  }

  @Test
  void theWrittenFolderReplacesAnEmptyOutputFolderButNeverAFilledOne() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path staged = Staging.open(empty);
    Files.writeString(staged.resolve("table.csv"), "a\n", StandardCharsets.UTF_8);
    Staging.publish(staged, empty);
    assertThat(Files.readString(empty.resolve("table.csv"), StandardCharsets.UTF_8)).isEqualTo("a\n");
    assertThat(staged).doesNotExist();

    Path filled = Files.createDirectories(dir.resolve("filled"));
    Path second = Staging.open(filled);
    Files.writeString(second.resolve("table.csv"), "b\n", StandardCharsets.UTF_8);
    Files.writeString(filled.resolve("someone-elses.txt"), "c\n", StandardCharsets.UTF_8); // written while the export ran
    assertThatThrownBy(() -> Staging.publish(second, filled)).isInstanceOf(IOException.class).hasMessageContaining("is no longer an empty folder");
    assertThat(names(filled)).containsExactly("someone-elses.txt");
    assertThat(second.resolve("table.csv")).as("nothing moved, nothing lost").exists();
  }

  @Test
  void aFolderLeftByADeadProcessIsRemovedByTheNextExportButALiveOnesIsKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path parent = Files.createDirectories(dir.resolve("study"));
    Path dead = Files.createDirectories(parent.resolve(".by-region.partial-" + gone.pid() + "-0123abcd"));
    Files.writeString(dead.resolve("table.csv"), "half", StandardCharsets.UTF_8);
    Path live = Files.createDirectories(parent.resolve(".by-age.partial-" + ProcessHandle.current().pid() + "-89abcdef"));
    Path unrelated = Files.createDirectories(parent.resolve(".by-sex.partial-notours"));

    Path opened = Staging.open(parent.resolve("by-month"));

    assertThat(dead).as("left by a process that is gone").doesNotExist();
    assertThat(live).as("another export of this process, still running").exists();
    assertThat(unrelated).as("not a name the gate makes").exists();
    assertThat(opened).exists();
    assertThat(Staging.owner(opened.getFileName().toString())).contains(ProcessHandle.current().pid());
  }

  private static List<String> names(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
