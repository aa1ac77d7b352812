package fr.sante.workbench.studies;

import fr.sante.workbench.BuildInfo;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.ModelExports;
import fr.sante.workbench.anonymisation.ModelFit;
import fr.sante.workbench.anonymisation.ModelPolicy;
import fr.sante.workbench.anonymisation.JointExports;
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
  private final List<ModelExports.Result> models = new ArrayList<>();

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
    StudyTable table = publishOne(new TableSpec(name, title, policy.dimensions()), data, policy, filters);
    published.add(table);
    return table;
  }

  /**
   * One table to publish with others of the same rows.
   *
   * @param dimensions its dimension columns
   */
  public record TableSpec(String name, String title, List<String> dimensions) {
    public TableSpec {
      dimensions = List.copyOf(dimensions);
    }
  }

  /**
   * Publishes tables of the same rows so that they protect each other: tables that share a dimension (directly or
   * through another table) form a group, published together through {@link JointExports} (one union table
   * protected once, each table its margins: a cell two tables share is hidden in both or in neither); tables that
   * share no dimension only share the grand total and cannot undo each other's suppression. A group spanning more
   * than the gate's 4 dimensions is refused before anything is published.
   *
   * @param measures the rows with the given dimension columns, the count and the amounts (called once per group)
   * @param policy the policy of a table over the given dimensions
   * @return each table by name, in {@code specs} order
   */
  public Map<String, StudyTable> publishTogether(
      List<TableSpec> specs, java.util.function.Function<List<String>, Dataset<Row>> measures, java.util.function.Function<List<String>, ExportPolicy> policy,
      String filters) {
    List<List<TableSpec>> groups = groups(specs);
    for (List<TableSpec> group : groups) {
      java.util.LinkedHashSet<String> union = new java.util.LinkedHashSet<>();
      group.forEach(t -> union.addAll(t.dimensions()));
      if (union.size() > 4) {
        throw new WorkbenchException(
            "Cannot publish " + String.join(", ", group.stream().map(TableSpec::name).toList()) + " together: they share dimensions and span " + union.size() + " " + union
                + " (the gate protects at most 4 together; choose breakdowns that share fewer dimensions; the study always publishes by-month, and a"
                + " by-month-<dimension> trend table where it has one; nothing was published)");
      }
    }
    // every group protected first, nothing written: the grand total, which all groups share, is then hidden in
    // all of them if any group hides it
    List<JointExports.Plan> plans = new ArrayList<>();
    for (List<TableSpec> group : groups) {
      java.util.LinkedHashSet<String> union = new java.util.LinkedHashSet<>();
      group.forEach(t -> union.addAll(t.dimensions()));
      progress.accept("protecting " + study + "/" + String.join(", ", group.stream().map(TableSpec::name).toList())
          + (group.size() > 1 ? " together (union " + String.join(" × ", union) + ")" : ""));
      List<JointExports.Part> parts = new ArrayList<>();
      for (TableSpec t : group) {
        parts.add(new JointExports.Part(policy.apply(t.dimensions()), request(t, filters)));
      }
      plans.add(JointExports.plan(spark, measures.apply(List.copyOf(union)), parts));
    }
    boolean hideTotal = plans.stream().anyMatch(JointExports.Plan::hidesGrandTotal);
    Map<String, StudyTable> byName = new java.util.HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      List<TableSpec> group = groups.get(g);
      List<Exports.Result> results = plans.get(g).publish(hideTotal);
      for (int i = 0; i < group.size(); i++) {
        byName.put(group.get(i).name(), new StudyTable(group.get(i).name(), group.get(i).title(), results.get(i)));
      }
    }
    Map<String, StudyTable> ordered = new java.util.LinkedHashMap<>();
    for (TableSpec t : specs) {
      ordered.put(t.name(), byName.get(t.name()));
      published.add(byName.get(t.name()));
    }
    return ordered;
  }

  /** Connected groups of tables: two tables are linked when they share a dimension. */
  static List<List<TableSpec>> groups(List<TableSpec> specs) {
    List<List<TableSpec>> groups = new ArrayList<>();
    List<java.util.Set<String>> dims = new ArrayList<>();
    for (TableSpec spec : specs) {
      java.util.Set<String> mine = new java.util.HashSet<>(spec.dimensions());
      List<TableSpec> merged = new ArrayList<>(List.of(spec));
      for (int g = groups.size() - 1; g >= 0; g--) {
        if (!java.util.Collections.disjoint(dims.get(g), mine)) {
          merged.addAll(0, groups.remove(g));
          mine.addAll(dims.remove(g));
        }
      }
      merged.sort(java.util.Comparator.comparingInt(specs::indexOf));
      groups.add(merged);
      dims.add(mine);
    }
    groups.sort(java.util.Comparator.comparingInt(g -> specs.indexOf(g.get(0))));
    return groups;
  }

  private Exports.Request request(TableSpec t, String filters) {
    String description = "study " + study + ", table " + t.name() + ": " + t.title() + " (" + filters + ")";
    return new Exports.Request(lake.tablePath(Lake.AUDIT_LOG), dir.resolve("tables").resolve(t.name()), description, BuildInfo.version(), inputs, false)
        .withProgress(line -> progress.accept("  " + line));
  }

  private StudyTable publishOne(TableSpec t, Dataset<Row> data, ExportPolicy policy, String filters) {
    progress.accept("publishing " + study + "/" + t.name() + " through the export gate");
    return new StudyTable(t.name(), t.title(), Exports.write(spark, data, policy, request(t, filters)));
  }

  /**
   * Publishes a fitted model through the gate's model rules ({@link ModelExports}): only its coefficients leave, into
   * {@code <out>/tables/<name>/}, after the gate has checked the levels' units and residual degrees of freedom on
   * {@code data} and refitted the model itself. A refusal throws {@link fr.sante.workbench.anonymisation.DisclosureCheckFailedException}.
   */
  public ModelExports.Result publishModel(String name, String title, Dataset<Row> data, ModelPolicy policy, ModelFit fit, String filters) {
    progress.accept("publishing " + study + "/" + name + " (the model's coefficients) through the export gate");
    ModelExports.Result result = ModelExports.write(spark, data, policy, fit, request(new TableSpec(name, title, policy.factors()), filters));
    models.add(result);
    return result;
  }

  /** The models published so far, in order. */
  public List<ModelExports.Result> models() {
    return List.copyOf(models);
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
