package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.CellSuppression;
import fr.sante.workbench.anonymisation.internal.FrequencyTable;
import fr.sante.workbench.anonymisation.internal.IntervalVerifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attack on tables published together, from their published cells alone: every table is placed in the
 * union table (a cell of a table over some of the union's dimensions is the union cell with {@code Total} in the
 * others), a union cell no table publishes is an unknown, and the union's small cells must stay protected: by LP
 * intervals over the union's relations (small unions) or with every corner of their certified cube unknown.
 * Two tables that disagree on a shared cell (different values, or hidden in one and published in the other)
 * are named.
 */
final class JointCheck {
  private JointCheck() {}

  /** One table of the group: a name for messages, its dimensions (a subset of the union's), its published lines. */
  record Part(String name, List<String> dimensions, List<PublishedTable.Cell> cells) {}

  /** With {@code zerosPublished}, a cell some table hides is known to be at least 1 (no bound if that is impossible). */
  static List<String> check(ProtectionDetail.Link link, int minCount, boolean zerosPublished, List<Part> parts) {
    List<String> problems = new ArrayList<>();
    List<String> union = link.dimensions();
    List<Set<String>> categories = new ArrayList<>();
    union.forEach(d -> categories.add(new LinkedHashSet<>()));
    Map<List<String>, Long> published = new HashMap<>();
    Map<List<String>, String> publishedBy = new HashMap<>();
    Map<List<String>, String> hiddenBy = new HashMap<>();
    for (Part part : parts) {
      int[] at = new int[part.dimensions().size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = union.indexOf(part.dimensions().get(i));
        if (at[i] < 0) {
          problems.add("Table " + part.name() + " has dimension '" + part.dimensions().get(i) + "', not one of the group's " + union);
          return problems;
        }
      }
      for (PublishedTable.Cell cell : part.cells()) {
        List<String> key = new ArrayList<>(java.util.Collections.nCopies(union.size(), FrequencyTable.TOTAL));
        for (int i = 0; i < at.length; i++) {
          key.set(at[i], cell.key().get(i));
          if (!FrequencyTable.TOTAL.equals(cell.key().get(i))) {
            categories.get(at[i]).add(cell.key().get(i));
          }
        }
        List<String> unionKey = List.copyOf(key);
        if (cell.suppressed() || cell.count().isEmpty()) {
          if (publishedBy.containsKey(unionKey)) {
            problems.add("Cell " + unionKey + " is published by " + publishedBy.get(unionKey) + " but hidden by " + part.name() + " (the value gives it away)");
          }
          hiddenBy.putIfAbsent(unionKey, part.name());
          continue;
        }
        long value = cell.count().getAsLong();
        Long before = published.putIfAbsent(unionKey, value);
        if (before != null && before != value) {
          problems.add("Cell " + unionKey + " is " + before + " in " + publishedBy.get(unionKey) + " but " + value + " in " + part.name());
        }
        if (hiddenBy.containsKey(unionKey)) {
          problems.add("Cell " + unionKey + " is hidden by " + hiddenBy.get(unionKey) + " but published by " + part.name() + " (the value gives it away)");
        }
        publishedBy.putIfAbsent(unionKey, part.name());
      }
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    // the union table: every combination of the categories seen (and Total); what no table publishes is unknown
    List<List<String>> keys = FrequencyTable.allKeys(categories.stream().map(c -> (List<String>) new ArrayList<>(c)).toList());
    Map<List<String>, Long> cells = new LinkedHashMap<>();
    Set<List<String>> unknown = new HashSet<>();
    for (List<String> key : keys) {
      Long value = published.get(key);
      cells.put(key, value == null ? 0L : value);
      if (value == null) {
        unknown.add(key);
      }
    }
    String group = "tables " + String.join(", ", parts.stream().map(Part::name).toList()) + " (published together, group " + link.group() + ")";
    if (link.method() == ProtectionMethod.HYPERCUBE) {
      for (List<String> small : link.small()) {
        List<String> partner = link.certificates().get(small);
        if (partner == null) {
          problems.add("Cell " + small + " of " + group + " has no protection certificate");
          continue;
        }
        PublishedTableCheck.publishedCorner(small, partner, unknown)
            .ifPresent(corner -> problems.add("Cell " + small + " of " + group + " is under-protected: cell " + corner + " of its cube is published"));
      }
      return problems;
    }
    if (cells.size() > CellSuppression.LP_CELLS) {
      problems.add(group + ": the union table has " + cells.size() + " cells, more than the " + CellSuppression.LP_CELLS + " the LP re-check handles");
      return problems;
    }
    Set<List<String>> nonZero = zerosPublished ? new HashSet<>(hiddenBy.keySet()) : Set.of();
    Map<List<String>, Interval> intervals = IntervalVerifier.intervals(FrequencyTable.fromCells(union, cells), unknown, unknown, nonZero);
    for (List<String> small : link.small()) {
      Interval interval = intervals.get(small);
      if (interval == null) {
        problems.add("Cell " + small + " of " + group + " is small but published");
      } else if (!interval.protects(minCount)) {
        problems.add("Cell " + small + " of " + group + " is under-protected: the tables together pin it to " + interval);
      }
    }
    return problems;
  }
}
