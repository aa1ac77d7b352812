package fr.sante.workbench.anonymisation;

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
 */
public record ExportPolicy(List<String> dimensions, String countColumn, CountUnit unit, SuppressionPolicy suppression) implements Policy {
  /** What a count counts. */
  public enum CountUnit {
    PERSONS,
    ACTS,
    ROWS
  }

  private static final Set<String> KEYS = Set.of("dimensions", "count-column", "counts", "min-count", "zeros");

  public ExportPolicy {
    dimensions = List.copyOf(dimensions);
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
    List<String> dimensions = new ArrayList<>();
    root.path("dimensions").forEach(d -> dimensions.add(d.asText()));
    String unit = root.path("counts").asText("rows");
    String zeros = root.path("zeros").asText("publish");
    try {
      return new ExportPolicy(
          dimensions,
          root.path("count-column").asText(""),
          CountUnit.valueOf(unit.toUpperCase(Locale.ROOT)),
          new SuppressionPolicy(root.path("min-count").asInt(SuppressionPolicy.DEFAULT_MIN_COUNT), SuppressionPolicy.Zeros.valueOf(zeros.toUpperCase(Locale.ROOT))));
    } catch (IllegalArgumentException e) {
      throw new AnonymisationException("Invalid policy file '" + source + "': counts must be persons, acts or rows and zeros publish or protect (found '" + unit + "', '" + zeros + "')");
    }
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
    return node.toString();
  }
}
