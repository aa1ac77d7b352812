package fr.sante.workbench.anonymisation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Primary and secondary cell suppression for a table with its margins. Primary: every count the policy
 * calls small. Secondary: while some primary cell is under-protected (its LP interval lets an attacker prove
 * it is below the threshold, or pins it), suppress the published cell that costs least (smallest count,
 * inner cells before margins) among those sharing a relation with it, and check again.
 */
public final class CellSuppression {
  private CellSuppression() {}

  /**
   * The outcome, for the DPO's manifest.
   *
   * @param primary cells hidden because they are small
   * @param secondary cells hidden so that the primary ones cannot be recomputed
   * @param intervals what an attacker can deduce about each hidden cell
   */
  public record Result(FrequencyTable table, Set<List<String>> primary, Set<List<String>> secondary, Map<List<String>, Interval> intervals) {
    public Result {
      primary = Set.copyOf(primary);
      secondary = Set.copyOf(secondary);
      intervals = Map.copyOf(intervals);
    }

    public boolean isSuppressed(List<String> key) {
      return primary.contains(key) || secondary.contains(key);
    }

    /** Counts hidden by secondary suppression: the information the protection cost. */
    public long secondaryLoss() {
      return secondary.stream().mapToLong(table::count).sum();
    }
  }

  public static Result protect(FrequencyTable table, SuppressionPolicy policy) {
    Set<List<String>> primary = new LinkedHashSet<>();
    for (Map.Entry<List<String>, Long> cell : table.cells().entrySet()) {
      if (policy.isSmall(cell.getValue())) {
        primary.add(cell.getKey());
      }
    }
    Set<List<String>> suppressed = new LinkedHashSet<>(primary);
    List<FrequencyTable.Relation> relations = table.relations();
    while (true) {
      Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, suppressed);
      Optional<List<String>> exposed =
          primary.stream().filter(cell -> !intervals.get(cell).protects(policy.minCount())).findFirst();
      if (exposed.isEmpty()) {
        Set<List<String>> secondary = new LinkedHashSet<>(suppressed);
        secondary.removeAll(primary);
        return new Result(table, primary, secondary, intervals);
      }
      List<String> next =
          cheapestNeighbour(table, relations, exposed.get(), suppressed)
              .orElseThrow(
                  () -> new AnonymisationException("Cannot protect cell " + exposed.get() + ": every cell related to it is already suppressed"));
      suppressed.add(next);
    }
  }

  /**
   * The next cell to suppress for {@code cell}, by tiers: inner cells sharing a relation with it, then
   * inner cells sharing a relation with any suppressed cell (to close cycles), then margins in the same
   * order; within a tier, the smallest count (least information lost).
   */
  private static Optional<List<String>> cheapestNeighbour(
      FrequencyTable table, List<FrequencyTable.Relation> relations, List<String> cell, Set<List<String>> suppressed) {
    Set<List<String>> near = new LinkedHashSet<>();
    Set<List<String>> frontier = new LinkedHashSet<>();
    for (FrequencyTable.Relation relation : relations) {
      boolean withCell = relation.involves(cell);
      boolean withSuppressed = withCell || suppressed.stream().anyMatch(relation::involves);
      if (!withSuppressed) {
        continue;
      }
      List<List<String>> members = new ArrayList<>(relation.parts());
      members.add(relation.total());
      for (List<String> member : members) {
        if (!suppressed.contains(member)) {
          (withCell ? near : frontier).add(member);
        }
      }
    }
    Comparator<List<String>> cost = Comparator.<List<String>>comparingLong(table::count).thenComparing(Object::toString);
    for (boolean margins : new boolean[] {false, true}) {
      for (Set<List<String>> tier : List.of(near, frontier)) {
        Optional<List<String>> best = tier.stream().filter(k -> FrequencyTable.isMargin(k) == margins).min(cost);
        if (best.isPresent()) {
          return best;
        }
      }
    }
    return Optional.empty();
  }
}
