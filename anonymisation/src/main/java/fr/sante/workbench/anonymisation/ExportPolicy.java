package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an aggregated export publishes and under which rule.
 *
 * @param dimensions the table's dimensions (1 to 4 columns of the result)
 * @param countColumn the column holding the counts
 * @param unit what the count counts (printed in every report)
 * @param suppression the small-cell rule
 * @param amountColumns amount columns summed and published with the count (hidden with it)
 * @param contributorColumn who contributes to an amount (establishment, prescriber…); null: each row of the
 *     result is one contributor
 * @param dominance the dominance rule on the amount columns, or null
 * @param margins whether the margins ({@code Total} rows) are published; either way the table is protected
 *     as if they were known (they often are, from other sources)
 * @param rounding published counts are rounded to a multiple of this base (1 = exact)
 * @param secondary secondary suppression (default); off, the table is published only if the primary
 *     suppressions alone protect every small cell, otherwise refused
 */
public record ExportPolicy(
    List<String> dimensions,
    String countColumn,
    CountUnit unit,
    SuppressionPolicy suppression,
    List<String> amountColumns,
    String contributorColumn,
    DominanceRule dominance,
    boolean margins,
    int rounding,
    boolean secondary)
    implements Policy {
  /** What a count counts. */
  public enum CountUnit {
    PERSONS,
    ACTS,
    ROWS,
    /** Boxes of medicines dispensed (Open Medic). */
    BOXES,
    /** Consumers of a medicine (Open Medic's NB_ bases). */
    CONSUMERS
  }

  private static final Set<String> KEYS =
      Set.of("dimensions", "count-column", "counts", "min-count", "zeros", "amount-columns", "contributor-column", "dominance", "margins", "rounding", "secondary");

  /** A table of counts only. */
  public ExportPolicy(List<String> dimensions, String countColumn, CountUnit unit, SuppressionPolicy suppression) {
    this(dimensions, countColumn, unit, suppression, List.of(), null, null, true, 1, true);
  }

  public ExportPolicy {
    dimensions = List.copyOf(dimensions);
    amountColumns = List.copyOf(amountColumns);
    if (dominance != null && amountColumns.isEmpty()) {
      throw new AnonymisationException("Invalid policy: a dominance rule needs amount columns (amount-columns)");
    }
    for (String amount : amountColumns) {
      if (dimensions.contains(amount) || amount.equals(countColumn) || amount.equals(contributorColumn)) {
        throw new AnonymisationException("Invalid policy: amount column '" + amount + "' is also a dimension, the count or the contributor");
      }
    }
    if (rounding < 1 || rounding > 1000) {
      throw new AnonymisationException("Invalid rounding base: " + rounding + " (must be 1 = none, or a base such as 5 or 10, at most 1000)");
    }
    if (contributorColumn != null && dominance == null) {
      throw new AnonymisationException("Invalid policy: contributor-column '" + contributorColumn + "' is only used by a dominance rule, and none is given");
    }
    if (dimensions.isEmpty() || dimensions.size() > FrequencyTable.MAX_DIMENSIONS) {
      throw new AnonymisationException("Invalid dimensions: " + dimensions + " (must be 1 to " + FrequencyTable.MAX_DIMENSIONS + " columns)");
    }
    if (countColumn == null || countColumn.isBlank()) {
      throw new AnonymisationException("Invalid count column: '" + countColumn + "' (must name a column of the result)");
    }
    if (dimensions.contains(countColumn)) {
      throw new AnonymisationException("Invalid policy: the count column '" + countColumn + "' is also a dimension");
    }
    if (unit == null || suppression == null) {
      throw new AnonymisationException("Invalid policy: the unit and the suppression rule are required");
    }
  }

  /**
   * A table policy from a policy file's content, e.g. {@code {"dimensions": ["BEN_RES_REG", "AGE_BEN_SNDS"],
   * "count-column": "n", "counts": "persons", "min-count": 11, "zeros": "publish"}}. Unknown keys are an error.
   * See {@link Policy#read}.
   */
  static ExportPolicy fromJson(JsonNode root, String source) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new AnonymisationException("Invalid policy file '" + source + "': unknown key '" + key + "' (a table policy has " + KEYS + ")");
      }
    }
    PolicyFields fields = new PolicyFields(root, source);
    DominanceRule dominance = null;
    if (root.has("dominance")) {
      PolicyFields rule = fields.object("dominance");
      for (Iterator<String> it = root.get("dominance").fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!Set.of("n", "k", "p").contains(key)) {
          throw new AnonymisationException("Invalid policy file '" + source + "': unknown dominance key '" + key + "' (expected n, k, p)");
        }
      }
      dominance = new DominanceRule(rule.integer("n", 0), rule.number("k", 0), rule.number("p", 0));
    }
    return new ExportPolicy(
        fields.names("dimensions"),
        fields.text("count-column", ""),
        fields.choice("counts", CountUnit.ROWS, CountUnit.class),
        new SuppressionPolicy(fields.integer("min-count", SuppressionPolicy.DEFAULT_MIN_COUNT), fields.choice("zeros", SuppressionPolicy.Zeros.PUBLISH, SuppressionPolicy.Zeros.class)),
        fields.names("amount-columns"),
        fields.text("contributor-column", null),
        dominance,
        fields.bool("margins", true),
        fields.integer("rounding", 1),
        fields.bool("secondary", true));
  }

  @Override
  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    var node = json.createObjectNode();
    var dims = node.putArray("dimensions");
    dimensions.forEach(dims::add);
    node.put("count-column", countColumn);
    node.put("counts", unit.name().toLowerCase(Locale.ROOT));
    node.put("min-count", suppression.minCount());
    node.put("zeros", suppression.zeros().name().toLowerCase(Locale.ROOT));
    if (!amountColumns.isEmpty()) {
      var amounts = node.putArray("amount-columns");
      amountColumns.forEach(amounts::add);
    }
    node.put("margins", margins);
    node.put("rounding", rounding);
    node.put("secondary", secondary);
    if (contributorColumn != null) {
      node.put("contributor-column", contributorColumn);
    }
    if (dominance != null) {
      node.putObject("dominance").put("n", dominance.n()).put("k", dominance.k()).put("p", dominance.p());
    }
    return node.toString();
  }
}
