package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The optimal secondary pattern of a small table (benchmarks and tests only): the fewest persons hidden, then
 * the fewest cells, such that every small cell is protected as the gate promises ({@link Interval#protects}).
 *
 * <p>A combinatorial Benders loop: an ojalgo MIP (one binary per cell, small cells fixed to 1) proposes the
 * cheapest pattern meeting the cuts found so far; an LP attacker ({@link OjalgoAttacker}) checks it. If a small
 * cell is exposed, the pattern is grown, cell by cell, to a maximal set that still exposes it, and the cut
 * "hide at least one cell outside that set" is added (valid because hiding more never narrows an interval).
 * The first pattern the attacker accepts is optimal, since every cut only removes patterns that fail.
 * Initial cuts: a small cell alone in a relation is pinned, so each relation holding it hides another cell.
 */
final class OptimalPattern {
  /** Master problems solved before giving up (the pattern is then not proven optimal). */
  static final int MAX_ITERATIONS = 2_000;

  /**
   * The optimal hidden set (small cells included), and whether the search proved it optimal; when it gave up, the
   * last master problem's pattern: its cost is a lower bound on the optimum's, and it does not protect.
   */
  record Outcome(Set<List<String>> hidden, Set<List<String>> secondary, long secondaryTotal, int iterations, boolean optimal) {}

  private OptimalPattern() {}

  static Outcome solve(FrequencyTable table, SuppressionPolicy policy) {
    return solve(table, policy, Long.MAX_VALUE);
  }

  /** Gives up (the outcome is then not proven optimal) once {@code millis} have passed. */
  static Outcome solve(FrequencyTable table, SuppressionPolicy policy, long millis) {
    long deadline = millis == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + millis;
    List<List<String>> cells = new ArrayList<>(table.cells().keySet());
    Set<List<String>> small = new LinkedHashSet<>();
    for (Map.Entry<List<String>, Long> cell : table.cells().entrySet()) {
      if (policy.isSmall(cell.getValue())) {
        small.add(cell.getKey());
      }
    }
    // each cut: at least one of these cells is hidden
    List<int[]> cuts = new ArrayList<>();
    for (FrequencyTable.Relation relation : table.relations()) {
      List<List<String>> members = new ArrayList<>(relation.parts());
      members.add(relation.total());
      for (List<String> p : members) {
        if (small.contains(p)) {
          cuts.add(members.stream().filter(other -> !other.equals(p)).mapToInt(cells::indexOf).toArray());
        }
      }
    }
    Set<List<String>> hidden = new LinkedHashSet<>(small);
    for (int iteration = 1; iteration <= MAX_ITERATIONS && System.currentTimeMillis() < deadline; iteration++) {
      hidden = cheapest(table, cells, small, cuts);
      OjalgoAttacker attacker = new OjalgoAttacker(table, hidden);
      List<List<String>> exposed = new ArrayList<>();
      for (List<String> p : small) {
        if (!attacker.protects(p, policy.minCount())) {
          exposed.add(p);
        }
      }
      if (exposed.isEmpty()) {
        return outcome(table, hidden, small, iteration, true);
      }
      for (List<String> p : exposed) {
        Set<List<String>> failing = grow(table, policy, hidden, p, cells);
        List<Integer> outside = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
          if (!failing.contains(cells.get(i))) {
            outside.add(i);
          }
        }
        cuts.add(outside.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    return outcome(table, hidden, small, MAX_ITERATIONS, false);
  }

  /**
   * The master problem, built afresh each time (ojalgo's presolve may tighten a solved model's bounds): the
   * cheapest hidden set meeting every cut.
   */
  private static Set<List<String>> cheapest(FrequencyTable table, List<List<String>> cells, Set<List<String>> small, List<int[]> cuts) {
    ExpressionsBasedModel master = new ExpressionsBasedModel();
    Variable[] x = new Variable[cells.size()];
    for (int i = 0; i < x.length; i++) {
      // persons first, then cells: the +1 per cell never outweighs one person (n + 1 > number of cells)
      x[i] = master.addVariable("x" + i).binary().weight(table.count(cells.get(i)) * (cells.size() + 1.0) + 1);
      if (small.contains(cells.get(i))) {
        x[i].lower(1);
      }
    }
    for (int c = 0; c < cuts.size(); c++) {
      Expression cut = master.addExpression("c" + c).lower(1);
      for (int i : cuts.get(c)) {
        cut.set(x[i], 1);
      }
    }
    Optimisation.Result result = master.minimise();
    if (!result.getState().isOptimal()) {
      throw new IllegalStateException("The master problem has no optimal solution (" + result.getState() + ") with " + cuts.size() + " cuts");
    }
    Set<List<String>> hidden = new LinkedHashSet<>();
    for (int i = 0; i < x.length; i++) {
      if (result.doubleValue(i) > 0.5) {
        hidden.add(cells.get(i));
      }
    }
    return hidden;
  }

  /**
   * A maximal superset of {@code hidden} that still leaves {@code p} exposed. The many checks here use the gate's
   * LP ({@link IntervalVerifier}, faster than ojalgo's model building on these sizes): they only shape the cuts,
   * and each pattern the search accepts is checked by the ojalgo attacker.
   */
  private static Set<List<String>> grow(FrequencyTable table, SuppressionPolicy policy, Set<List<String>> hidden, List<String> p, List<List<String>> cells) {
    Set<List<String>> failing = new LinkedHashSet<>(hidden);
    for (List<String> cell : cells) {
      if (failing.contains(cell)) {
        continue;
      }
      failing.add(cell);
      if (IntervalVerifier.intervals(table, failing, Set.of(p)).get(p).protects(policy.minCount())) {
        failing.remove(cell);
      }
    }
    return failing;
  }

  private static Outcome outcome(FrequencyTable table, Set<List<String>> hidden, Set<List<String>> small, int iterations, boolean optimal) {
    Set<List<String>> secondary = new LinkedHashSet<>(hidden);
    secondary.removeAll(small);
    long total = secondary.stream().mapToLong(table::count).sum();
    return new Outcome(hidden, secondary, total, iterations, optimal);
  }
}
