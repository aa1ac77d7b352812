package fr.sante.workbench.anonymisation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * An attacker who solves a published table's equations with ojalgo, sharing no code with the gate: the unknowns
 * are the hidden cells (and, for a rounded table, every published count within its rounding range), the
 * constraints every additive relation of the table (each {@code Total} is the sum of its categories), and
 * what the policy tells about any count: never negative, a published count is never small, and a hidden count
 * is never zero when the gate only hides non-zero cells.
 */
final class AttackerLp {
  private static final double EPSILON = 1e-6;

  /**
   * What the attacker knows besides the file.
   *
   * @param minCount the threshold: a published count is 0 (when zeros are published) or at least this
   * @param zerosPublished whether a zero count is published as 0 (otherwise it is hidden like a small one)
   * @param hiddenNonZero whether every hidden count is at least 1 (the LP method hides non-zero cells only)
   * @param rounding the published counts are rounded to a multiple of this (1 = exact)
   * @param margins the true margins known from elsewhere when the file has none (a margin neither published nor known is
   *     an unknown)
   */
  record Knowledge(int minCount, boolean zerosPublished, boolean hiddenNonZero, int rounding, Map<List<String>, Long> margins) {}

  /** What the attacker proves about a hidden cell: {@code low <= count <= high}, integers. */
  record Bounds(double low, double high) {
    double width() {
      return high - low;
    }
  }

  private final List<List<String>> keys = new ArrayList<>();
  private final Map<List<String>, Integer> index = new HashMap<>();
  private final double[] lower;
  private final double[] upper;
  /** Each relation: the total's index, then its parts' indices. */
  private final List<int[]> relations = new ArrayList<>();

  private AttackerLp(AttackerCsv table, Knowledge knowledge) {
    List<List<String>> categories = new ArrayList<>();
    for (int d = 0; d < table.dimensions().size(); d++) {
      List<String> withTotal = new ArrayList<>(table.categories(d));
      withTotal.add(AttackerCsv.TOTAL);
      categories.add(withTotal);
    }
    product(categories, 0, new ArrayList<>());
    lower = new double[keys.size()];
    upper = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      List<String> key = keys.get(i);
      OptionalLong published = table.cells().getOrDefault(key, OptionalLong.empty());
      if (!table.cells().containsKey(key)) {
        // a margin the file does not publish: known from elsewhere, or an unknown like a hidden cell
        Long margin = knowledge.margins().get(key);
        lower[i] = margin == null ? 0 : margin;
        upper[i] = margin == null ? Double.POSITIVE_INFINITY : margin;
      } else if (published.isEmpty()) {
        lower[i] = knowledge.hiddenNonZero() ? 1 : 0;
        upper[i] = Double.POSITIVE_INFINITY;
      } else {
        bound(i, published.getAsLong(), knowledge);
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      for (int d = 0; d < keys.get(i).size(); d++) {
        if (keys.get(i).get(d).equals(AttackerCsv.TOTAL)) {
          relations.add(relation(i, d, categories.get(d)));
        }
      }
    }
  }

  /** Total {@code i} along dimension {@code d}, and the cells it sums. */
  private int[] relation(int i, int d, List<String> categories) {
    int[] members = new int[categories.size()];
    members[0] = i;
    for (int c = 0; c < categories.size() - 1; c++) {
      List<String> part = new ArrayList<>(keys.get(i));
      part.set(d, categories.get(c));
      members[c + 1] = index.get(part);
    }
    return members;
  }

  /** The bounds of every hidden cell of {@code table}. */
  static Map<List<String>, Bounds> attack(AttackerCsv table, Knowledge knowledge) {
    AttackerLp lp = new AttackerLp(table, knowledge);
    Map<List<String>, Bounds> out = new LinkedHashMap<>();
    for (Map.Entry<List<String>, OptionalLong> cell : table.cells().entrySet()) {
      if (cell.getValue().isEmpty()) {
        int target = lp.index.get(cell.getKey());
        out.put(cell.getKey(), new Bounds(Math.ceil(lp.solve(target, false) - EPSILON), Math.floor(lp.solve(target, true) + EPSILON)));
      }
    }
    return out;
  }

  /** A published count {@code v}: its rounding range, without the small counts the gate never publishes. */
  private void bound(int i, long v, Knowledge knowledge) {
    int base = knowledge.rounding();
    double lo = Math.max(0, v - base / 2);
    double hi = v + base - base / 2 - 1;
    if (!knowledge.zerosPublished()) {
      lo = Math.max(lo, knowledge.minCount());
    } else if (hi < knowledge.minCount()) {
      hi = 0;
    } else if (lo > 0) {
      lo = Math.max(lo, knowledge.minCount());
    }
    lower[i] = lo;
    upper[i] = hi;
  }

  private void product(List<List<String>> categories, int d, List<String> prefix) {
    if (d == categories.size()) {
      List<String> key = List.copyOf(prefix);
      index.put(key, keys.size());
      keys.add(key);
      return;
    }
    for (String c : categories.get(d)) {
      prefix.add(c);
      product(categories, d + 1, prefix);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** The smallest or largest value of cell {@code target} over every table consistent with what was published. */
  private double solve(int target, boolean maximise) {
    ExpressionsBasedModel model = new ExpressionsBasedModel();
    Variable[] x = new Variable[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      x[i] = model.addVariable("x" + i).lower(lower[i]);
      if (upper[i] != Double.POSITIVE_INFINITY) {
        x[i].upper(upper[i]);
      }
    }
    x[target].weight(1);
    int r = 0;
    for (int[] members : relations) {
      // total = sum of its categories
      Expression relation = model.addExpression("r" + r++).level(0);
      relation.set(x[members[0]], -1);
      for (int m = 1; m < members.length; m++) {
        relation.set(x[members[m]], 1);
      }
    }
    Optimisation.Result result = maximise ? model.maximise() : model.minimise();
    if (result.getState() == Optimisation.State.UNBOUNDED) {
      return maximise ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    if (!result.getState().isOptimal()) {
      throw new IllegalStateException("Expected an optimal solution for cell " + keys.get(target) + " (" + (maximise ? "max" : "min") + ") but found " + result.getState());
    }
    return result.getValue();
  }
}
