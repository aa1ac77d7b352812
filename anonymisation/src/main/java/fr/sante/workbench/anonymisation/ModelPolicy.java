package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output rules a fitted model must satisfy to leave the lake (the usual output checks for regression results):
 * every level of every factor has at least {@code minUnits} units, the model is not saturated and keeps at least
 * {@code minResidualDf} residual degrees of freedom over its non-empty cells, and no level rests on a single unit.
 *
 * @param factors the categorical covariates, columns of the data
 * @param countColumn units per row (traced to {@code count(*)} or a declared count, as for tables)
 * @param unit what a unit is
 * @param responseColumn the amount the model explains (a declared amount, summed per cell)
 * @param minUnits least units of any level of any factor (at least the lake's min-count floor)
 * @param minResidualDf least residual degrees of freedom: non-empty cells less parameters
 */
public record ModelPolicy(List<String> factors, String countColumn, ExportPolicy.CountUnit unit, String responseColumn, int minUnits, int minResidualDf)
    implements Policy {
  public ModelPolicy {
    factors = List.copyOf(factors);
    if (factors.isEmpty()) {
      throw new AnonymisationException("Invalid model policy: no factor (expected at least one categorical covariate)");
    }
    if (factors.contains(countColumn) || factors.contains(responseColumn) || countColumn.equals(responseColumn)) {
      throw new AnonymisationException("Invalid model policy: factors " + factors + ", count '" + countColumn + "' and response '" + responseColumn + "' must be distinct columns");
    }
    if (minUnits < 2 || minResidualDf < 1) {
      throw new AnonymisationException("Invalid model policy: min-units " + minUnits + " (expected >= 2) and min-residual-df " + minResidualDf + " (expected >= 1)");
    }
  }

  /** The rules at a table's threshold: levels of at least {@code minCount} units, as many residual degrees of freedom. */
  public static ModelPolicy of(List<String> factors, String countColumn, ExportPolicy.CountUnit unit, String responseColumn, SuppressionPolicy suppression) {
    return new ModelPolicy(factors, countColumn, unit, responseColumn, suppression.minCount(), suppression.minCount());
  }

  /** The same columns as a table policy, for the lineage of the count and the response ({@link CountLineage}). */
  ExportPolicy asTable() {
    return new ExportPolicy(factors, countColumn, unit, new SuppressionPolicy(minUnits, SuppressionPolicy.Zeros.PUBLISH), List.of(responseColumn), null, null, true, 1, true);
  }

  /** The rules in words, for the manifest and the refusal messages. */
  public String describe() {
    return String.format(Locale.ROOT,
        "every level of %s has at least %d %s; at least %d residual degrees of freedom (non-empty cells less parameters), so never saturated; "
            + "coefficients refitted by the gate from the data",
        String.join(", ", factors), minUnits, unit.name().toLowerCase(Locale.ROOT), minResidualDf);
  }

  @Override
  public String toJson() {
    var node = new ObjectMapper().createObjectNode();
    var array = node.putArray("factors");
    factors.forEach(array::add);
    node.put("count-column", countColumn);
    node.put("counts", unit.name().toLowerCase(Locale.ROOT));
    node.put("response-column", responseColumn);
    node.put("min-units", minUnits);
    node.put("min-residual-df", minResidualDf);
    return node.toString();
  }

  static ModelPolicy fromJson(JsonNode node, String source) {
    PolicyFields fields = new PolicyFields(node, source);
    List<String> factors = new ArrayList<>(fields.names("factors"));
    return new ModelPolicy(factors, fields.text("count-column", ""), fields.choice("counts", ExportPolicy.CountUnit.ROWS, ExportPolicy.CountUnit.class),
        fields.text("response-column", ""), fields.integer("min-units", SuppressionPolicy.DEFAULT_MIN_COUNT),
        fields.integer("min-residual-df", SuppressionPolicy.DEFAULT_MIN_COUNT));
  }
}
