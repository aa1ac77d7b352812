package fr.sante.workbench.studies;

import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.lake.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a study writes: every table through the export gate into {@code <out>/tables/<name>/}, then the
 * report, charts and derived figures into {@code <out>/report/}, computed from the published files only.
 * Opening an output pins the lake's tables (temporary views at their current Delta versions), so every
 * table of one study reads the same snapshot, recorded in each manifest.
 */
public final class StudyOutput {
  private final SparkSession spark;
  private final Lake lake;
  private final Path dir;
  private final String study;
  private final SuppressionPolicy suppression;
  private final Consumer<String> progress;
  private final Map<String, Long> inputs;
  private final List<StudyTable> published = new ArrayList<>();

  private StudyOutput(SparkSession spark, Lake lake, Path dir, String study, SuppressionPolicy suppression, Consumer<String> progress) {
    this.spark = spark;
    this.lake = lake;
    this.dir = dir;
    this.study = study;
    this.suppression = suppression;
    this.progress = progress;
    this.inputs = lake.registerPinnedViews(spark);
  }

  /**
   * Opens {@code dir} for a study: it must not exist or be empty (a study never overwrites a previous
   * publication), and the lake must hold {@code required} tables.
   */
  public static StudyOutput open(
      SparkSession spark, Lake lake, Path dir, String study, SuppressionPolicy suppression, Consumer<String> progress, String... required) {
    for (String table : required) {
      if (!lake.exists(spark, table)) {
        throw new WorkbenchException(
            "Cannot run the " + study + " study: the lake '" + lake.root() + "' has no table '" + table + "' (ingest it first; see ./workbench ingest --help)");
      }
    }
    try {
      if (Files.isDirectory(dir)) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new WorkbenchException("Cannot write the " + study + " study to " + dir + ": the folder is not empty (choose a new --out; nothing was written)");
          }
        }
      } else if (Files.exists(dir)) {
        throw new WorkbenchException("Cannot write the " + study + " study to " + dir + ": it is a file, expected a folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the output folder " + dir, e);
    }
    return new StudyOutput(spark, lake, dir, study, suppression, progress);
  }

  /** The lake tables read, with their pinned Delta versions. */
  public Map<String, Long> inputs() {
    return inputs;
  }

  public SuppressionPolicy suppression() {
    return suppression;
  }

  public Consumer<String> progress() {
    return progress;
  }

  public Path dir() {
    return dir;
  }

  /** {@code <out>/report}, created on first use. */
  public Path reportDir() {
    try {
      return Files.createDirectories(dir.resolve("report"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir.resolve("report"), e);
    }
  }

  /** The tables published so far, in order. */
  public List<StudyTable> published() {
    return List.copyOf(published);
  }

  /**
   * Publishes one table through the gate: {@code data} is summed by the policy's dimensions, small and
   * dominated cells are hidden with their secondary suppressions, the files are re-checked and the audit
   * log gets its entry. A refusal throws {@link fr.sante.workbench.anonymisation.DisclosureCheckFailedException}.
   *
   * @param filters what the rows were filtered on, in words, for the manifest and the DPO
   */
  public StudyTable publish(String name, String title, Dataset<Row> data, ExportPolicy policy, String filters) {
    progress.accept("publishing " + study + "/" + name + " through the export gate");
    String description = "study " + study + ", table " + name + ": " + title + " (" + filters + ")";
    Exports.Request request =
        new Exports.Request(lake.tablePath(Lake.AUDIT_LOG), dir.resolve("tables").resolve(name), description, BuildInfo.version(), inputs, false)
            .withProgress(line -> progress.accept("  " + line));
    Exports.Result result = Exports.write(spark, data, policy, request);
    StudyTable table = new StudyTable(name, title, result);
    published.add(table);
    return table;
  }

  /** A row-count policy with margins, under this output's small-cell rule. */
  public ExportPolicy rowsPolicy(List<String> dimensions, String countColumn, List<String> amounts) {
    return new ExportPolicy(dimensions, countColumn, ExportPolicy.CountUnit.ROWS, suppression, amounts, null, null, true, 1, true);
  }

  /** A policy counting {@code unit} with margins, under this output's small-cell rule. */
  public ExportPolicy policy(ExportPolicy.CountUnit unit, List<String> dimensions, String countColumn, List<String> amounts) {
    return new ExportPolicy(dimensions, countColumn, unit, suppression, amounts, null, null, true, 1, true);
  }

  /** A persons-count policy with margins, under this output's small-cell rule. */
  public ExportPolicy personsPolicy(List<String> dimensions, String countColumn, List<String> amounts) {
    return new ExportPolicy(dimensions, countColumn, ExportPolicy.CountUnit.PERSONS, suppression, amounts, null, null, true, 1, true);
  }
}
