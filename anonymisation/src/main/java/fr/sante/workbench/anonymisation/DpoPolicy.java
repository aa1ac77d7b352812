package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The lake's floor, set by the DPO ({@code workbench policy set}, which needs the audit key) and stored as a
 * signed POLICY entry of the audit log: every export of the lake is at least this strict. An analyst may ask
 * for more (a higher threshold, a coarser rounding), never for less: a looser export is refused naming the floor.
 *
 * @param minCount no published count below this (CASD's 11 by default)
 * @param zeros whether zero counts must be protected
 * @param rounding published counts must be rounded to a multiple of this base (1: exact counts allowed)
 * @param dominance a dominance rule every table with amounts must apply at least as strictly, or null
 * @param k the least k of a record-level export
 * @param insensitive result columns the DPO allows as insensitive in record-level exports although they make more
 *     than {@link #UNIQUE_SHARE} of the records unique (a quasi-identifier never is)
 * @param publicSources lake tables the DPO declares public at their own granularity (only tables whose schema says
 *     their producer publishes every row as open data), each with the Delta version the DPO looked at: a published
 *     cell that is exactly one of their rows, read at that version from the lake's own table, passes without
 *     suppression (an ingest into the table after the declaration ends it until the DPO declares it again)
 */
public record DpoPolicy(int minCount, SuppressionPolicy.Zeros zeros, int rounding, DominanceRule dominance, int k, List<String> insensitive, java.util.Map<String, Long> publicSources) {
  /** The floor of a lake whose DPO set none. */
  public static final DpoPolicy DEFAULT = new DpoPolicy(SuppressionPolicy.DEFAULT_MIN_COUNT, SuppressionPolicy.Zeros.PUBLISH, 1, null, 5, List.of(), java.util.Map.of());
  /** An insensitive column whose value is unique for more than this share of the records singles them out. */
  public static final double UNIQUE_SHARE = 0.01;

  private static final Set<String> KEYS = Set.of("min-count", "zeros", "rounding", "dominance", "k", "insensitive", "public-sources");

  public DpoPolicy {
    insensitive = List.copyOf(insensitive);
    publicSources = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(publicSources));
    publicSources.keySet().forEach(DpoPolicy::checkOpenData);
    new SuppressionPolicy(minCount, zeros); // same checks as any threshold
    if (rounding < 1 || rounding > 1000) {
      throw new AnonymisationException("Invalid rounding floor: " + rounding + " (must be 1 = exact counts allowed, or a base such as 5 or 10)");
    }
    if (k < 2) {
      throw new AnonymisationException("Invalid k floor: " + k + " (must be >= 2)");
    }
  }

  /** Refuses to declare {@code table} public unless data-schemas says its producer publishes its rows as open data. */
  public static void checkOpenData(String table) {
    if (!CountSources.SCHEMAS.openData(table).isPresent()) {
      throw new AnonymisationException("Cannot declare '" + table + "' public: data-schemas does not say its producer publishes its rows as open data"
          + " (tables that do: " + CountSources.openDataTables() + ")");
    }
  }

  /** What {@code policy} does that this floor does not allow (empty when it is at least as strict). */
  public List<String> looserIn(ExportPolicy policy) {
    List<String> problems = new ArrayList<>();
    if (policy.suppression().minCount() < minCount) {
      problems.add("min-count " + policy.suppression().minCount() + " is below the lake's floor of " + minCount);
    }
    if (zeros == SuppressionPolicy.Zeros.PROTECT && policy.suppression().zeros() != SuppressionPolicy.Zeros.PROTECT) {
      problems.add("zeros are published but the lake's floor protects them (zeros: protect)");
    }
    if (rounding > 1 && policy.rounding() % rounding != 0) {
      problems.add("rounding " + policy.rounding() + " is not a multiple of the lake's floor of " + rounding);
    }
    if (dominance != null && !policy.amountColumns().isEmpty()) {
      DominanceRule asked = policy.dominance();
      boolean nk = dominance.n() == 0 || (asked != null && asked.n() >= dominance.n() && asked.k() <= dominance.k());
      boolean pp = dominance.p() == 0 || (asked != null && asked.p() >= dominance.p());
      if (!nk || !pp) {
        problems.add("the amounts' dominance rule " + (asked == null ? "is missing" : describe(asked)) + " but the lake's floor is " + describe(dominance));
      }
    }
    return problems;
  }

  /** What {@code policy} does that this floor does not allow (empty when it is at least as strict). */
  public List<String> looserIn(MicrodataPolicy policy) {
    List<String> problems = new ArrayList<>();
    if (policy.kAnonymity().k() < k) {
      problems.add("k " + policy.kAnonymity().k() + " is below the lake's floor of " + k);
    }
    return problems;
  }

  private static String describe(DominanceRule rule) {
    List<String> parts = new ArrayList<>();
    if (rule.n() > 0) {
      parts.add("(n, k) = (" + rule.n() + ", " + rule.k() + ")");
    }
    if (rule.p() > 0) {
      parts.add("p = " + rule.p() + " %");
    }
    return String.join(" and ", parts);
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = json.createObjectNode();
    node.put("min-count", minCount);
    node.put("zeros", zeros.name().toLowerCase(java.util.Locale.ROOT));
    node.put("rounding", rounding);
    if (dominance != null) {
      ObjectNode d = node.putObject("dominance");
      d.put("n", dominance.n());
      d.put("k", dominance.k());
      d.put("p", dominance.p());
    }
    node.put("k", k);
    if (!insensitive.isEmpty()) {
      insensitive.forEach(node.putArray("insensitive")::add);
    }
    if (!publicSources.isEmpty()) {
      ObjectNode sources = node.putObject("public-sources");
      publicSources.forEach(sources::put);
    }
    return node.toString();
  }

  /** Parses {@link #toJson}; unknown keys and values of the wrong type are errors naming the key. */
  public static DpoPolicy fromJson(String text) {
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new AnonymisationException("Invalid DPO policy: not JSON (" + e.getMessage() + ")");
    }
    for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw new AnonymisationException("Invalid DPO policy: unknown key '" + key + "' (expected one of " + KEYS + ")");
      }
    }
    PolicyFields fields = new PolicyFields(node, "DPO policy");
    DominanceRule dominance = null;
    if (node.has("dominance")) {
      PolicyFields d = fields.object("dominance");
      dominance = new DominanceRule(d.integer("n", 0), d.number("k", 0), d.number("p", 0));
    }
    return new DpoPolicy(
        fields.integer("min-count", DEFAULT.minCount()), fields.choice("zeros", SuppressionPolicy.Zeros.PUBLISH, SuppressionPolicy.Zeros.class),
        fields.integer("rounding", 1), dominance, fields.integer("k", DEFAULT.k()), fields.names("insensitive"), versions(node.path("public-sources")));
  }

  /** {@code {"table": version}}: the Delta version of each public source the DPO declared. */
  private static java.util.Map<String, Long> versions(JsonNode node) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new AnonymisationException("Invalid DPO policy: 'public-sources' must map each table to the Delta version declared, found " + node);
    }
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().canConvertToLong()) {
        throw new AnonymisationException("Invalid DPO policy: the version of public source '" + e.getKey() + "' must be a whole number, found " + e.getValue());
      }
      out.put(e.getKey(), e.getValue().asLong());
    });
    return out;
  }
}
