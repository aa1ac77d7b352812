package fr.sante.workbench.anonymisation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import fr.sante.workbench.anonymisation.internal.LogLinkGlm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The way a model leaves the lake: only its coefficients, and only when the model passes the output rules of its
 * {@link ModelPolicy}. The gate aggregates the data it is given by the factors in Spark (counts traced to
 * {@code count(*)} as for tables), checks every level's units, the residual degrees of freedom (never a saturated
 * model), that the coefficients name exactly the non-reference levels of the data, and refits the model itself
 * ({@link LogLinkGlm}): coefficients that are not the declared model's fit of these data are refused. It writes
 * {@code coefficients.csv} and {@code manifest.json}, re-checks them as {@code audit verify} does, and appends the
 * audit entry. Every refusal is audited and raises {@link DisclosureCheckFailedException} (exit 3).
 */
public final class ModelExports {
  public static final String COEFFICIENTS_FILE = "coefficients.csv";
  /** Largest difference allowed between a given estimate and the gate's refit (log scale). */
  static final double ESTIMATE_TOLERANCE = 1e-5;
  /** Largest relative difference allowed between a given standard error or dispersion and the gate's. */
  static final double RELATIVE_TOLERANCE = 1e-4;
  /** The largest leverage allowed to a cell of fewer units than the threshold (1 = the model gives its mean back). */
  static final double MAX_SMALL_CELL_LEVERAGE = 0.9;
  /** Below this share of the intercept-only model's Pearson statistic, a fit reproduces its cells exactly. */
  static final double EXACT_FIT = 1e-12;

  private ModelExports() {}

  /**
   * A published model.
   *
   * @param units the units the model was fitted on (for the analyst's terminal, not published)
   */
  public record Result(Path coefficients, Path manifest, long auditEntry, ModelManifest published, long units) {}

  /**
   * Publishes {@code fit}, a model of {@code data}: one row per unit or per group of units ({@code policy}'s count
   * column), the factors and the response column.
   */
  public static Result write(SparkSession spark, Dataset<Row> data, ModelPolicy policy, ModelFit fit, Exports.Request request) {
    String time = Instant.now().toString();
    String user = System.getProperty("user.name", "unknown");
    return Exports.staged(spark, policy, request, time, user, dir -> publish(spark, data, policy, fit, request, time, user, dir));
  }

  /** One non-empty cell of the factors: its units and the response's sum in cents. */
  private record Cell(List<String> key, long units, long cents) {}

  private static Result publish(SparkSession spark, Dataset<Row> data, ModelPolicy policy, ModelFit fit, Exports.Request request, String time, String user, Path dir) {
    Exports.Steps steps = request.steps();
    int floor = AuditLog.floor(spark, request.auditLog()).minCount();
    if (policy.minUnits() < floor || policy.minResidualDf() < floor) {
      throw Exports.refuse(spark, policy, request, time, user, String.format(Locale.ROOT,
          "min-units %d and min-residual-df %d must reach the lake's floor of %d (the DPO's floor for this lake: workbench policy show)", policy.minUnits(),
          policy.minResidualDf(), floor));
    }
    ExportPolicy columns = policy.asTable();
    Exports.checkColumns(data, columns);
    Exports.checkTypes(data, columns);
    try {
      CountLineage.check(data, columns, request.countSources());
    } catch (AnonymisationException e) {
      throw Exports.refuse(spark, policy, request, time, user, e.getMessage());
    }
    steps.step("aggregating the data by " + String.join(", ", policy.factors()) + " in Spark");
    List<Cell> cells = aggregate(data, policy, spark, request, time, user);
    List<String> violations = new ArrayList<>();
    Map<String, Map<String, Long>> units = unitsByLevel(policy, cells);
    units.forEach((factor, levels) -> levels.forEach((level, n) -> {
      if (n < policy.minUnits()) {
        violations.add(String.format(Locale.ROOT, "level '%s' of %s has fewer than %d %s (pool it with another level, or leave its units out)", level, factor,
            policy.minUnits(), policy.unit().name().toLowerCase(Locale.ROOT)));
      }
    }));
    units.forEach((factor, levels) -> {
      if (levels.size() < 2) {
        violations.add("factor " + factor + " has a single level in the data: it is not a covariate, and its label would be published as it is");
      }
    });
    violations.addAll(termProblems(policy, fit, units));
    int parameters = 1 + units.values().stream().mapToInt(levels -> levels.size() - 1).sum();
    long residualDf = cells.size() - parameters;
    if (residualDf <= 0) {
      violations.add(String.format(Locale.ROOT, "the model is saturated: %d parameters for %d non-empty cells (its fitted values would give back every cell)", parameters, cells.size()));
    } else if (residualDf < policy.minResidualDf()) {
      violations.add(String.format(Locale.ROOT, "%d residual degrees of freedom (%d non-empty cells less %d parameters), fewer than %d", residualDf, cells.size(), parameters,
          policy.minResidualDf()));
    }
    if (!violations.isEmpty()) {
      throw Exports.refuse(spark, policy, request, time, user, "the model fails the output rules: " + String.join("; ", violations));
    }
    steps.step(String.format(Locale.ROOT, "refitting the model (%s) on %,d cells to check its %d coefficients", fit.describe(), cells.size(), parameters));
    List<String> differences = refitDifferences(fit, cells, policy);
    if (!differences.isEmpty()) {
      throw Exports.refuse(spark, policy, request, time, user, "the coefficients given are not the model's fit of the data the gate read, or that fit discloses the data: "
          + String.join("; ", differences));
    }
    try {
      Path csv = dir.resolve(COEFFICIENTS_FILE);
      List<List<String>> lines = CoefficientsCsv.lines(fit);
      CoefficientsCsv.write(csv, lines);
      Map<String, String> files = new TreeMap<>(Map.of(COEFFICIENTS_FILE, Hashes.sha256(csv)));
      Map<String, Integer> levels = new LinkedHashMap<>();
      units.forEach((factor, byLevel) -> levels.put(factor, byLevel.size()));
      ModelManifest manifest =
          new ModelManifest(Exports.provenance(request, time, user), policy, fit.describe(), fit.references(), levels, cells.size(), parameters, residualDf, fit.dispersion(),
              lines, files);
      long entry = Exports.seal(spark, policy, request, dir, time, user, manifest, null, "model", parameters, 0, 0);
      steps.step("published, audit entry " + entry);
      return new Result(request.outDir().resolve(COEFFICIENTS_FILE), request.outDir().resolve(Exports.MANIFEST_FILE), entry, manifest, cells.stream().mapToLong(Cell::units).sum());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the model to " + request.outDir(), e);
    }
  }

  private static List<Cell> aggregate(Dataset<Row> data, ModelPolicy policy, SparkSession spark, Exports.Request request, String time, String user) {
    Column[] factors = policy.factors().stream().map(f -> col(f).cast(DataTypes.StringType).as(f)).toArray(Column[]::new);
    List<Row> rows =
        data.groupBy(factors)
            .agg(sum(col(policy.countColumn()).cast(DataTypes.LongType)).as("n"), sum(Exports.cents(col(policy.responseColumn()))).as("cents"),
                max(col(policy.countColumn()).isNull()).as("masked"), min(col(policy.responseColumn())).as("least"))
            .limit(Exports.MAX_CELLS + 1)
            .collectAsList();
    if (rows.size() > Exports.MAX_CELLS) {
      throw new AnonymisationException("Cannot publish the model: more than " + Exports.MAX_CELLS + " cells of " + policy.factors() + " (use coarser factors)");
    }
    int k = policy.factors().size();
    List<Cell> cells = new ArrayList<>();
    for (Row row : rows) {
      List<String> key = new ArrayList<>();
      for (int d = 0; d < k; d++) {
        if (row.isNullAt(d)) {
          throw new AnonymisationException("Cannot publish the model: factor '" + policy.factors().get(d) + "' has null values (fill or filter them)");
        }
        key.add(row.getString(d));
      }
      if (row.getBoolean(k + 2)) {
        throw Exports.refuse(spark, policy, request, time, user, "the data hold counts the source masked (cell " + key + "): a model cannot be fitted on unknown counts");
      }
      if (!row.isNullAt(k + 3) && ((Number) row.get(k + 3)).doubleValue() < 0) {
        throw new AnonymisationException("Cannot fit a log-link model: '" + policy.responseColumn() + "' has negative values (in cell " + key + "); leave those rows out first");
      }
      long n = row.isNullAt(k) ? 0 : row.getLong(k);
      if (n < 0) {
        throw new AnonymisationException("Invalid count in '" + policy.countColumn() + "' for cell " + key + ": " + n + " (counts must be >= 0)");
      }
      if (n > 0) {
        cells.add(new Cell(List.copyOf(key), n, row.isNullAt(k + 1) ? 0 : row.getLong(k + 1)));
      }
    }
    cells.sort(java.util.Comparator.comparing(c -> String.join("\u0000", c.key())));
    return cells;
  }

  /** Units of each level of each factor, levels in order. */
  private static Map<String, Map<String, Long>> unitsByLevel(ModelPolicy policy, List<Cell> cells) {
    Map<String, Map<String, Long>> units = new LinkedHashMap<>();
    for (int d = 0; d < policy.factors().size(); d++) {
      Map<String, Long> levels = new TreeMap<>();
      for (Cell cell : cells) {
        levels.merge(cell.key().get(d), cell.units(), Long::sum);
      }
      units.put(policy.factors().get(d), levels);
    }
    return units;
  }

  /** The coefficients must be the intercept and one per non-reference level of the data, nothing else. */
  private static List<String> termProblems(ModelPolicy policy, ModelFit fit, Map<String, Map<String, Long>> units) {
    List<String> problems = new ArrayList<>();
    if (!fit.references().keySet().equals(new java.util.LinkedHashSet<>(policy.factors()))) {
      problems.add("the fit names reference levels for " + fit.references().keySet() + ", expected one for each factor " + policy.factors());
      return problems;
    }
    Set<String> expected = new TreeSet<>();
    for (Map.Entry<String, Map<String, Long>> factor : units.entrySet()) {
      String reference = fit.references().get(factor.getKey());
      if (!factor.getValue().containsKey(reference)) {
        problems.add("reference level '" + reference + "' of " + factor.getKey() + " is not a level of the data " + factor.getValue().keySet());
      }
      factor.getValue().keySet().stream().filter(level -> !level.equals(reference)).forEach(level -> expected.add(factor.getKey() + "=" + level));
    }
    long intercepts = fit.coefficients().stream().filter(ModelFit.Coefficient::isIntercept).count();
    if (intercepts != 1 || !fit.coefficients().get(0).isIntercept()) {
      problems.add("expected the intercept first and once, found " + intercepts + " intercept(s)");
    }
    Set<String> given = new HashSet<>();
    for (ModelFit.Coefficient c : fit.coefficients()) {
      if (c.isIntercept()) {
        continue;
      }
      if (!given.add(c.term())) {
        problems.add("coefficient " + c.term() + " is given twice");
      } else if (!expected.contains(c.term())) {
        problems.add("coefficient " + c.term() + " is not a non-reference level of the data");
      }
    }
    expected.stream().filter(term -> !given.contains(term)).forEach(term -> problems.add("no coefficient for " + term + ", a level of the data"));
    return problems;
  }

  /** The gate's own fit of the declared model on the cells, against the coefficients given. */
  private static List<String> refitDifferences(ModelFit fit, List<Cell> cells, ModelPolicy policy) {
    List<ModelFit.Coefficient> coefficients = fit.coefficients();
    int p = coefficients.size();
    double[][] x = new double[cells.size()][p];
    double[] y = new double[cells.size()];
    double[] w = new double[cells.size()];
    for (int i = 0; i < cells.size(); i++) {
      Cell cell = cells.get(i);
      for (int j = 0; j < p; j++) {
        ModelFit.Coefficient c = coefficients.get(j);
        x[i][j] = c.isIntercept() || cell.key().get(policy.factors().indexOf(c.factor())).equals(c.level()) ? 1 : 0;
      }
      w[i] = cell.units();
      y[i] = cell.cents() / 100.0 / cell.units();
    }
    LogLinkGlm.Fit refit = LogLinkGlm.fit(x, y, w, fit.power());
    List<String> differences = new ArrayList<>();
    if (refit.residualShare() < EXACT_FIT) {
      // the fitted values are then every cell's mean: the coefficients would give them all back
      differences.add("the model reproduces every cell's mean exactly (no residual variation), so its coefficients would publish them");
      return differences;
    }
    // a cell the model fits by itself (leverage 1, e.g. the only cell of a level, or cornered by such cells) has its mean
    // given back by the coefficients: refused for a cell of fewer units than the threshold
    for (int i = 0; i < cells.size(); i++) {
      if (cells.get(i).units() < policy.minUnits() && refit.leverage()[i] > MAX_SMALL_CELL_LEVERAGE) {
        differences.add(String.format(Locale.ROOT, "a cell of fewer than %d %s has leverage %.3f: the coefficients would give back its mean (its levels: %s)",
            policy.minUnits(), policy.unit().name().toLowerCase(Locale.ROOT), refit.leverage()[i], cells.get(i).key()));
        return differences;
      }
    }
    for (int j = 0; j < p; j++) {
      ModelFit.Coefficient c = coefficients.get(j);
      if (!(Math.abs(c.estimate() - refit.beta()[j]) <= ESTIMATE_TOLERANCE)) {
        differences.add(String.format(Locale.ROOT, "%s: estimate %.8f given, %.8f refitted", c.term(), c.estimate(), refit.beta()[j]));
      } else if (!(Math.abs(c.stdError() - refit.stdErrors()[j]) <= RELATIVE_TOLERANCE * refit.stdErrors()[j])) {
        differences.add(String.format(Locale.ROOT, "%s: standard error %.8f given, %.8f refitted", c.term(), c.stdError(), refit.stdErrors()[j]));
      }
    }
    if (!(Math.abs(fit.dispersion() - refit.dispersion()) <= RELATIVE_TOLERANCE * refit.dispersion())) {
      differences.add(String.format(Locale.ROOT, "dispersion %.8f given, %.8f refitted", fit.dispersion(), refit.dispersion()));
    }
    return differences;
  }
}
