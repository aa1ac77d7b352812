package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * An attacker written apart from {@link IntervalVerifier}: ojalgo's LP solver instead of commons-math3's, the
 * table's relations rebuilt from the cell keys (every margin equals the sum of its cells along each dimension it
 * sums over), and the hidden cells as non-negative unknowns (at least 1 when not zero: zeros are published).
 */
final class OjalgoAttacker {
  private final FrequencyTable table;
  private final List<List<String>> hidden;
  private final Map<List<String>, Integer> index = new HashMap<>();
  private final List<double[]> rows = new ArrayList<>();
  private final List<Double> constants = new ArrayList<>();

  OjalgoAttacker(FrequencyTable table, Set<List<String>> hidden) {
    this.table = table;
    this.hidden = new ArrayList<>(hidden);
    for (int i = 0; i < this.hidden.size(); i++) {
      index.put(this.hidden.get(i), i);
    }
    for (List<String> margin : table.cells().keySet()) {
      for (int d = 0; d < margin.size(); d++) {
        if (!FrequencyTable.TOTAL.equals(margin.get(d))) {
          continue;
        }
        double[] row = new double[this.hidden.size()];
        double constant = 0; // sum(hidden parts) - hidden total = published total - sum(published parts)
        boolean any = false;
        List<List<String>> parts = new ArrayList<>();
        for (String category : table.categories(d)) {
          List<String> part = new ArrayList<>(margin);
          part.set(d, category);
          parts.add(List.copyOf(part));
        }
        for (List<String> part : parts) {
          Integer i = index.get(part);
          if (i == null) {
            constant -= table.count(part);
          } else {
            row[i] += 1;
            any = true;
          }
        }
        Integer t = index.get(margin);
        if (t == null) {
          constant += table.count(margin);
        } else {
          row[t] -= 1;
          any = true;
        }
        if (any) {
          rows.add(row);
          constants.add(constant);
        }
      }
    }
  }

  /** What the attacker learns about one hidden cell. */
  Interval interval(List<String> cell) {
    int target = index.get(cell);
    return new Interval(solve(target, false), solve(target, true));
  }

  /** Whether the hidden set protects {@code cell} as the gate promises (upper bound at the threshold, not a point). */
  boolean protects(List<String> cell, int minCount) {
    return interval(cell).protects(minCount);
  }

  private double solve(int target, boolean maximise) {
    ExpressionsBasedModel model = new ExpressionsBasedModel();
    Variable[] x = new Variable[hidden.size()];
    for (int i = 0; i < x.length; i++) {
      // zeros are published (the policies here), so a hidden cell that is not zero is known to be at least 1
      x[i] = model.addVariable("x" + i).lower(table.count(hidden.get(i)) > 0 ? 1 : 0);
    }
    x[target].weight(1);
    for (int r = 0; r < rows.size(); r++) {
      Expression e = model.addExpression("r" + r).level(constants.get(r));
      double[] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        if (row[i] != 0) {
          e.set(x[i], row[i]);
        }
      }
    }
    Optimisation.Result result = maximise ? model.maximise() : model.minimise();
    if (result.getState() == Optimisation.State.UNBOUNDED) {
      return Double.POSITIVE_INFINITY;
    }
    if (!result.getState().isFeasible()) {
      throw new IllegalStateException("The attacker's LP found no solution (" + result.getState() + "): the true table is one");
    }
    return result.getValue();
  }
}
