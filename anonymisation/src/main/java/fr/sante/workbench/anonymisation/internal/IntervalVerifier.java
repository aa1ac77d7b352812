package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * Computes, by linear programming, the feasible interval of each suppressed cell of a table: the unknowns
 * are the suppressed cells (non-negative), the constraints the table's additive relations with the
 * published cells as constants. This is what an attacker solving the table's equations can learn. When the
 * policy publishes zeros, the attacker also knows that every hidden cell is at least 1 (a zero would have been
 * published): pass those cells as {@code nonZero}.
 */
public final class IntervalVerifier {
  private static final int MAX_ITERATIONS = 100_000;

  private IntervalVerifier() {}

  /** Largest table whose rounded published values are re-checked as bounded unknowns (one variable per cell). */
  public static final int ROUNDED_CELLS = 600;

  /**
   * The interval of every cell of {@code suppressed} when the published counts were rounded to a multiple of
   * {@code base}: each published cell is an unknown too, within the rounding's range of its value.
   */
  public static Map<List<String>, Interval> intervals(FrequencyTable table, Set<List<String>> suppressed, int base) {
    return intervals(table, suppressed, base, Set.of());
  }

  /** As {@link #intervals(FrequencyTable, Set, int)}, with the cells of {@code nonZero} known to be at least 1. */
  public static Map<List<String>, Interval> intervals(FrequencyTable table, Set<List<String>> suppressed, int base, Set<List<String>> nonZero) {
    if (base <= 1) {
      return intervals(table, suppressed, suppressed, nonZero);
    }
    return atLeastOne(nonZero, bounds -> rounded(table, suppressed, base, bounds));
  }

  /** {@code solve} with the cells of {@code nonZero} at least 1, or without those bounds when they are impossible (a hidden zero). */
  private static Map<List<String>, Interval> atLeastOne(Set<List<String>> nonZero, java.util.function.Function<Set<List<String>>, Map<List<String>, Interval>> solve) {
    try {
      return solve.apply(nonZero);
    } catch (org.apache.commons.math3.optim.linear.NoFeasibleSolutionException e) {
      if (nonZero.isEmpty()) {
        throw e;
      }
      return solve.apply(Set.of());
    }
  }

  private static LinearConstraint atLeastOne(int unknowns, int i) {
    double[] unit = new double[unknowns];
    unit[i] = 1;
    return new LinearConstraint(unit, Relationship.GEQ, 1);
  }

  private static Map<List<String>, Interval> rounded(FrequencyTable table, Set<List<String>> suppressed, int base, Set<List<String>> nonZero) {
    List<List<String>> unknowns = new ArrayList<>(table.cells().keySet());
    Map<List<String>, Integer> index = positions(unknowns);
    List<LinearConstraint> constraints = new ArrayList<>();
    for (FrequencyTable.Relation relation : table.relations()) {
      double[] coefficients = new double[unknowns.size()];
      relation.parts().forEach(part -> coefficients[index.get(part)] += 1);
      coefficients[index.get(relation.total())] -= 1;
      constraints.add(new LinearConstraint(coefficients, Relationship.EQ, 0));
    }
    for (int i = 0; i < unknowns.size(); i++) {
      if (suppressed.contains(unknowns.get(i))) {
        if (nonZero.contains(unknowns.get(i))) {
          constraints.add(atLeastOne(unknowns.size(), i));
        }
        continue;
      }
      long published = table.count(unknowns.get(i));
      double[] unit = new double[unknowns.size()];
      unit[i] = 1;
      constraints.add(new LinearConstraint(unit, Relationship.GEQ, Math.max(0, published - base / 2)));
      constraints.add(new LinearConstraint(unit.clone(), Relationship.LEQ, published + (base + 1) / 2 - 1));
    }
    Map<List<String>, Interval> out = new HashMap<>();
    for (List<String> cell : suppressed) {
      double[] objective = new double[unknowns.size()];
      objective[index.get(cell)] = 1;
      out.put(cell, new Interval(solve(objective, constraints, GoalType.MINIMIZE), solve(objective, constraints, GoalType.MAXIMIZE)));
    }
    return out;
  }

  /** Rounds a published count to the nearest multiple of {@code base} (halves up). */
  public static long round(long count, int base) {
    return base <= 1 ? count : (count + base / 2) / base * base;
  }

  /** The interval of every cell of {@code suppressed}. */
  public static Map<List<String>, Interval> intervals(FrequencyTable table, Set<List<String>> suppressed) {
    return intervals(table, suppressed, suppressed);
  }

  /** The intervals of the {@code targets} (suppressed cells) only. */
  public static Map<List<String>, Interval> intervals(FrequencyTable table, Set<List<String>> suppressed, Set<List<String>> targets) {
    return intervals(table, suppressed, targets, Set.of());
  }

  /**
   * The intervals of the {@code targets}, the cells of {@code nonZero} (suppressed ones) known to be at least 1; if
   * that is impossible (one of them is a zero after all), without those bounds.
   */
  public static Map<List<String>, Interval> intervals(
      FrequencyTable table, Set<List<String>> suppressed, Set<List<String>> targets, Set<List<String>> nonZero) {
    return atLeastOne(nonZero, bounds -> bounded(table, suppressed, targets, bounds));
  }

  private static Map<List<String>, Interval> bounded(
      FrequencyTable table, Set<List<String>> suppressed, Set<List<String>> targets, Set<List<String>> nonZero) {
    List<List<String>> unknowns = new ArrayList<>(suppressed);
    Map<List<String>, Integer> index = positions(unknowns);
    List<LinearConstraint> constraints = new ArrayList<>();
    for (FrequencyTable.Relation relation : table.relations()) {
      double[] coefficients = new double[unknowns.size()];
      double constant = 0; // sum(parts) - total = 0, published values moved to the right-hand side
      boolean any = false;
      for (List<String> part : relation.parts()) {
        Integer i = index.get(part);
        if (i == null) {
          constant -= table.count(part);
        } else {
          coefficients[i] += 1;
          any = true;
        }
      }
      Integer t = index.get(relation.total());
      if (t == null) {
        constant += table.count(relation.total());
      } else {
        coefficients[t] -= 1;
        any = true;
      }
      if (any) {
        constraints.add(new LinearConstraint(coefficients, Relationship.EQ, constant));
      }
    }
    for (int i = 0; i < unknowns.size(); i++) {
      if (nonZero.contains(unknowns.get(i))) {
        constraints.add(atLeastOne(unknowns.size(), i));
      }
    }
    Map<List<String>, Interval> out = new HashMap<>();
    for (int i = 0; i < unknowns.size(); i++) {
      if (!targets.contains(unknowns.get(i))) {
        continue;
      }
      double[] objective = new double[unknowns.size()];
      objective[i] = 1;
      double low = solve(objective, constraints, GoalType.MINIMIZE);
      double high = solve(objective, constraints, GoalType.MAXIMIZE);
      out.put(unknowns.get(i), new Interval(low, high));
    }
    return out;
  }

  private static Map<List<String>, Integer> positions(List<List<String>> unknowns) {
    Map<List<String>, Integer> index = new HashMap<>();
    for (int i = 0; i < unknowns.size(); i++) {
      index.put(unknowns.get(i), i);
    }
    return index;
  }

  private static double solve(double[] objective, List<LinearConstraint> constraints, GoalType goal) {
    if (constraints.isEmpty()) {
      return goal == GoalType.MINIMIZE ? 0 : Double.POSITIVE_INFINITY;
    }
    // commons-math3's SimplexSolver reads the solution off the tableau by unit columns: when several unknowns
    // have identical columns (cells in exactly the same relations, e.g. every inner cell of a one-dimension
    // table), it credits the value to the first and reports 0 for the others. An explicit row on the
    // objective's own unknown makes its column unique, so its reported value is the optimum.
    List<LinearConstraint> withOwnRow = new ArrayList<>(constraints);
    withOwnRow.add(new LinearConstraint(objective.clone(), Relationship.GEQ, 0));
    try {
      PointValuePair solution =
          new SimplexSolver()
              .optimize(
                  new MaxIter(MAX_ITERATIONS),
                  new LinearObjectiveFunction(objective, 0),
                  new LinearConstraintSet(withOwnRow),
                  goal,
                  new NonNegativeConstraint(true));
      return solution.getValue();
    } catch (UnboundedSolutionException e) {
      return Double.POSITIVE_INFINITY;
    }
  }
}
