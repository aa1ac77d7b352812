package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Post-pass of the LP method: publishes the secondary cells that protect nothing. A hidden cell that the
 * attacker can compute exactly (its LP interval is a single point) is published; then each remaining
 * secondary cell, most expensive first (margins, then the largest counts), is published if every primary cell
 * stays protected. Every change is re-verified by the caller's check, so the gate's promise is unchanged.
 */
final class SecondaryPruning {
  private SecondaryPruning() {}

  /**
   * The hidden cells once the useless secondary ones are published: {@code suppressed} holds the primary,
   * masked and secondary cells; only cells of neither {@code primary} nor {@code masked} are candidates;
   * {@code protects} is the gate's check of a hidden set (counts and amounts).
   */
  static Set<List<String>> prune(FrequencyTable table, Set<List<String>> suppressed, Set<List<String>> primary, Set<List<String>> masked, Predicate<Set<List<String>>> protects) {
    Set<List<String>> hidden = new LinkedHashSet<>(suppressed);
    publishComputable(table, hidden, primary, masked, protects);
    List<List<String>> secondary = secondary(hidden, primary, masked);
    Comparator<List<String>> cost = Comparator.<List<String>, Boolean>comparing(FrequencyTable::isMargin).thenComparingLong(table::count).thenComparing(Object::toString);
    secondary.sort(cost.reversed());
    boolean removed = false;
    for (List<String> cell : secondary) {
      hidden.remove(cell);
      if (protects.test(hidden)) {
        removed = true;
      } else {
        hidden.add(cell);
      }
    }
    if (removed) {
      // publishing a cell can pin another secondary cell: it then protects nothing either
      publishComputable(table, hidden, primary, masked, protects);
    }
    return hidden;
  }

  /**
   * Publishes the secondary cells whose LP interval is a point. Each one's value is the same in every solution
   * of the table's equations, so publishing them all at once changes no other interval of the counts; the check
   * is run anyway, and if it fails (an amount column is another table, where a cell computable from the counts
   * may still protect a dominated amount) they are tried one by one.
   */
  private static void publishComputable(FrequencyTable table, Set<List<String>> hidden, Set<List<String>> primary, Set<List<String>> masked, Predicate<Set<List<String>>> protects) {
    List<List<String>> secondary = secondary(hidden, primary, masked);
    if (secondary.isEmpty()) {
      return;
    }
    Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, hidden, new LinkedHashSet<>(secondary));
    List<List<String>> computable = secondary.stream().filter(cell -> isPoint(intervals.get(cell))).toList();
    if (computable.isEmpty()) {
      return;
    }
    computable.forEach(hidden::remove);
    if (protects.test(hidden)) {
      return;
    }
    hidden.addAll(computable);
    for (List<String> cell : computable) {
      hidden.remove(cell);
      if (!protects.test(hidden)) {
        hidden.add(cell);
      }
    }
  }

  /** Whether the attacker can compute the cell exactly. */
  static boolean isPoint(Interval interval) {
    return interval.high() - interval.low() < Interval.EPSILON;
  }

  private static List<List<String>> secondary(Set<List<String>> hidden, Set<List<String>> primary, Set<List<String>> masked) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> cell : hidden) {
      if (!primary.contains(cell) && !masked.contains(cell)) {
        out.add(cell);
      }
    }
    return out;
  }
}
