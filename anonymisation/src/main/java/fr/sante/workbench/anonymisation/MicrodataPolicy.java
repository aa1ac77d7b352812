package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a record-level export publishes and under which rules: k-anonymity over the quasi-identifiers'
 * hierarchies with a record-suppression budget, l-diversity of sensitive columns. Every column of the
 * result must have a role: quasi-identifier, sensitive or insensitive; any other column is refused.
 *
 * @param kAnonymity the quasi-identifiers and k
 * @param hierarchies one per quasi-identifier
 * @param diversity l-diversity rules (may be empty)
 * @param insensitive columns published as they are
 * @param maxSuppression the share of records that may be suppressed (0 to 1, e.g. 0.02)
 */
public record MicrodataPolicy(KAnonymity kAnonymity, List<Hierarchy> hierarchies, List<LDiversity> diversity, List<String> insensitive, double maxSuppression)
    implements Policy {
  /** Distinct quasi-identifier combinations the search holds in memory (the records themselves stay in Spark). */
  public static final int MAX_COMBINATIONS = 5_000_000;

  static final Set<String> KEYS = Set.of("quasi-identifiers", "k", "max-suppression", "sensitive", "insensitive");

  public MicrodataPolicy {
    hierarchies = List.copyOf(hierarchies);
    diversity = List.copyOf(diversity);
    insensitive = List.copyOf(insensitive);
    List<String> named = hierarchies.stream().map(Hierarchy::column).toList();
    for (String qi : kAnonymity.quasiIdentifiers()) {
      if (!named.contains(qi)) {
        throw new AnonymisationException("Invalid policy: quasi-identifier '" + qi + "' has no hierarchy (give a file or one of " + Hierarchy.BUILT_IN + ")");
      }
    }
    for (String column : named) {
      if (!kAnonymity.quasiIdentifiers().contains(column)) {
        throw new AnonymisationException("Invalid policy: a hierarchy is given for '" + column + "', which is not a quasi-identifier");
      }
    }
    Set<String> roles = new HashSet<>(kAnonymity.quasiIdentifiers());
    for (LDiversity rule : diversity) {
      if (!roles.add(rule.sensitive())) {
        throw new AnonymisationException("Invalid policy: '" + rule.sensitive() + "' has two roles (sensitive and another)");
      }
    }
    for (String column : insensitive) {
      if (!roles.add(column)) {
        throw new AnonymisationException("Invalid policy: '" + column + "' has two roles (insensitive and another)");
      }
    }
    if (!(maxSuppression >= 0 && maxSuppression < 1)) {
      throw new AnonymisationException("Invalid max-suppression: " + maxSuppression + " (must be a share from 0 to below 1, e.g. 0.02)");
    }
  }

  /** The hierarchies in the order of the quasi-identifiers. */
  List<Hierarchy> orderedHierarchies() {
    return kAnonymity.quasiIdentifiers().stream().map(qi -> hierarchies.stream().filter(h -> h.column().equals(qi)).findFirst().orElseThrow()).toList();
  }

  /** Every column with a role, in policy order. */
  public List<String> columns() {
    List<String> columns = new ArrayList<>(kAnonymity.quasiIdentifiers());
    diversity.forEach(d -> columns.add(d.sensitive()));
    columns.addAll(insensitive);
    return columns;
  }

  /**
   * Reads {@code quasi-identifiers} (column → built-in hierarchy name or file path relative to {@code baseDir}),
   * {@code k}, {@code max-suppression}, {@code sensitive} (column → l) and {@code insensitive} (columns).
   */
  static MicrodataPolicy fromJson(JsonNode root, Path baseDir, String source) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new AnonymisationException("Invalid policy file '" + source + "': unknown key '" + key + "' (a record-level policy has " + KEYS + ")");
      }
    }
    if (!root.path("quasi-identifiers").isObject() || root.path("quasi-identifiers").isEmpty()) {
      throw new AnonymisationException("Invalid policy file '" + source + "': quasi-identifiers must map each column to its hierarchy");
    }
    if (!root.has("k")) {
      throw new AnonymisationException("Invalid policy file '" + source + "': k is missing (expected a whole number, e.g. k: 5)");
    }
    PolicyFields fields = new PolicyFields(root, source);
    List<String> qis = new ArrayList<>();
    List<Hierarchy> hierarchies = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("quasi-identifiers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> qi = it.next();
      qis.add(qi.getKey());
      hierarchies.add(Hierarchy.of(qi.getKey(), new PolicyFields(root.get("quasi-identifiers"), source).text(qi.getKey(), ""), baseDir));
    }
    List<LDiversity> diversity = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("sensitive").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      diversity.add(new LDiversity(s.getKey(), new PolicyFields(root.get("sensitive"), source).integer(s.getKey(), 0)));
    }
    return new MicrodataPolicy(
        new KAnonymity(qis, fields.integer("k", 0)), hierarchies, diversity, fields.names("insensitive"), fields.number("max-suppression", 0));
  }

  @Override
  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = json.createObjectNode();
    ObjectNode qis = node.putObject("quasi-identifiers");
    for (Hierarchy h : orderedHierarchies()) {
      qis.put(h.column(), h.levels() + " levels");
    }
    node.put("k", kAnonymity.k());
    node.put("max-suppression", maxSuppression);
    ObjectNode sensitive = node.putObject("sensitive");
    diversity.forEach(d -> sensitive.put(d.sensitive(), d.l()));
    var cols = node.putArray("insensitive");
    insensitive.forEach(cols::add);
    return node.toString();
  }
}
