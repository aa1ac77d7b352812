package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import scala.jdk.javaapi.CollectionConverters;

/**
 * k-anonymity and l-diversity of record-level results: the records are counted by combination in Spark, the
 * lattice of generalisations is searched on those counts ({@link LatticeSearch}), and the chosen
 * generalisation and suppression are applied in Spark, so the records never need to fit in memory.
 */
public final class Microdata {
  private Microdata() {}

  /**
   * A protected result, still inside the lake: write it out only with {@link Exports#writeMicrodata}.
   *
   * @param released the generalised records, classes that are too small or not diverse enough removed
   */
  public record Anonymised(Dataset<Row> released, Generalisation generalisation, RiskReport before, RiskReport after) {}

  /**
   * Protects {@code data} under {@code policy}.
   *
   * @throws AnonymisationException if a column has no role, a value is missing from its hierarchy…
   * @throws NoSafeGeneralisationException if no generalisation satisfies the rules within the budget
   */
  public static Anonymised anonymise(Dataset<Row> data, MicrodataPolicy policy) {
    checkColumns(data, policy);
    List<EncodedHierarchy> hierarchies = policy.orderedHierarchies().stream().map(EncodedHierarchy::new).toList();
    List<String> sensitive = policy.diversity().stream().map(LDiversity::sensitive).toList();
    FrequencySet counts = FrequencySet.collect(data, hierarchies, sensitive, MicrodataPolicy.MAX_COMBINATIONS);
    if (counts.records == 0) {
      throw new AnonymisationException("Cannot anonymise: the result has no records");
    }
    int k = policy.kAnonymity().k();
    // the share as written (0.29 of 100 records is 29; in floating point 0.29 * 100 is 28.999…)
    long budget = BigDecimal.valueOf(policy.maxSuppression()).multiply(BigDecimal.valueOf(counts.records)).setScale(0, RoundingMode.FLOOR).longValueExact();
    int[] l = policy.diversity().stream().mapToInt(LDiversity::l).toArray();
    LatticeSearch search = new LatticeSearch(counts, hierarchies, k, budget, l);
    LatticeSearch.Outcome outcome = search.search();
    if (outcome.best() == null) {
      throw new NoSafeGeneralisationException(
          String.format(
              Locale.ROOT,
              "no generalisation satisfies %s with at most %d suppressed records (%.2f %% of %,d): even the most general one would suppress more; "
                  + "allow more suppression or check the rules",
              rules(policy), budget, 100 * policy.maxSuppression(), counts.records));
    }
    LatticeSearch.Node best = outcome.best();
    Generalisation generalisation =
        new Generalisation(
            policy.kAnonymity().quasiIdentifiers(),
            Arrays.stream(best.levels()).boxed().toList(),
            hierarchies.stream().map(EncodedHierarchy::height).toList(),
            counts.records,
            best.suppressed(),
            best.classes(),
            best.loss(),
            outcome.latticeNodes(),
            outcome.evaluated(),
            outcome.compared());
    // both risks from the classes the search counted: no further pass over the records
    RiskReport before = RiskReport.ofClassSizes(search.classSizes(new int[hierarchies.size()], false), k);
    RiskReport after = RiskReport.ofClassSizes(search.classSizes(best.levels(), true), k);
    return new Anonymised(apply(data, policy, hierarchies, best.levels()), generalisation, before, after);
  }

  static String rules(MicrodataPolicy policy) {
    List<String> rules = new ArrayList<>();
    rules.add(policy.kAnonymity().describe());
    policy.diversity().forEach(d -> rules.add(d.describe()));
    return String.join(" and ", rules);
  }

  /** Generalises each quasi-identifier to its level and removes the classes that break a rule, in Spark. */
  private static Dataset<Row> apply(Dataset<Row> data, MicrodataPolicy policy, List<EncodedHierarchy> hierarchies, int[] levels) {
    Dataset<Row> generalised = data;
    for (int t = 0; t < hierarchies.size(); t++) {
      EncodedHierarchy h = hierarchies.get(t);
      List<List<String>> rows = h.hierarchy.rows();
      String[] from = rows.stream().map(r -> r.get(0)).toArray(String[]::new);
      int level = levels[t];
      String[] to = rows.stream().map(r -> r.get(level)).toArray(String[]::new);
      Column mapped = element_at(map_from_arrays(lit(from), lit(to)), col(h.column()).cast(DataTypes.StringType));
      generalised = generalised.withColumn(h.column(), level == 0 ? col(h.column()).cast(DataTypes.StringType) : mapped);
    }
    List<String> qis = policy.kAnonymity().quasiIdentifiers();
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as("__size"));
    Column keep = col("__size").geq(policy.kAnonymity().k());
    for (LDiversity rule : policy.diversity()) {
      String name = "__distinct_" + aggregates.size();
      aggregates.add(countDistinct(col(rule.sensitive())).as(name));
      keep = keep.and(col(name).geq(rule.l()));
    }
    Dataset<Row> classes =
        generalised
            .groupBy(qis.stream().map(c -> col(c)).toArray(Column[]::new))
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .filter(keep)
            .select(qis.stream().map(c -> col(c)).toArray(Column[]::new));
    return generalised.join(classes, CollectionConverters.asScala(qis).toSeq(), "left_semi");
  }

  private static void checkColumns(Dataset<Row> data, MicrodataPolicy policy) {
    List<String> columns = Arrays.asList(data.columns());
    for (String column : policy.columns()) {
      if (!columns.contains(column)) {
        throw new AnonymisationException("Cannot anonymise: the result has no column '" + column + "' named in the policy (columns: " + columns + ")");
      }
    }
    for (String column : columns) {
      if (!policy.columns().contains(column)) {
        throw new AnonymisationException(
            "Cannot anonymise: column '" + column + "' has no role; declare it a quasi-identifier, sensitive or insensitive in the policy, or leave it out of the query");
      }
    }
  }
}
