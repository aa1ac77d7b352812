package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Secondary suppression for large tables (the hypercube method of τ-ARGUS's GHMITER, with a certificate per
 * primary cell instead of a heuristic promise).
 *
 * <p>For a primary cell p, pick one partner category per dimension: another category (sign −1) or the
 * margin {@code Total} (sign +1; a margin's partner is any category, sign +1). The 2^D corners of the cube
 * carry the product of the signs. Adding δ × sign to every corner keeps every additive relation of the
 * table (each relation's line crosses the cube in two corners whose changes cancel), so once every corner
 * is suppressed an attacker cannot exclude {@code p + δ} for any δ up to the smallest corner of sign −1.
 * A cube is chosen only if that corner is at least {@code max(1, minCount − p)} (one more when zeros are published:
 * the attacker then knows that every hidden cell is at least 1): p can then be neither
 * proven below the threshold nor pinned — a proof of protection that holds whatever else is suppressed,
 * checked on the true values. Among the feasible cubes (candidates limited per dimension to the margin and
 * the few smallest suitable categories, then the largest ones when none is feasible) the one hiding the
 * least (margins weighted ×10 per dimension they sum over) is taken.
 */
public final class Hypercube {
  /** Candidate partner categories per dimension in the first pass. */
  private static final int CANDIDATES = 6;
  /** Candidates per dimension in the second pass, the largest cells first. */
  private static final int WIDER = 30;

  private final int dims;
  private final int[] size;
  private final int[] stride;
  private final long[] values;
  private final boolean[] suppressed;
  /** Cells published as they are (a public source's own): never primary, never a corner. */
  private boolean[] known;
  private final boolean[] margin;
  /** Cost factor of hiding a cell: 10 per dimension it sums over (the grand total costs most). */
  private final long[] weight;
  private final Amounts amounts;
  private final SuppressionPolicy policy;

  /** The outcome: suppressed cells, primary cells, and per primary cell its cube's partner index per dimension. */
  public record Outcome(boolean[] suppressed, int[] primary, int[][] partners) {}

  /**
   * @param size categories per dimension including the margin, which is the last index of each dimension
   * @param values every cell, the last dimension varying fastest
   */
  private Hypercube(int[] size, long[] values, Amounts amounts, SuppressionPolicy policy) {
    this.dims = size.length;
    this.size = size;
    this.values = values;
    this.amounts = amounts;
    this.policy = policy;
    this.stride = new int[dims];
    int s = 1;
    for (int d = dims - 1; d >= 0; d--) {
      stride[d] = s;
      s *= size[d];
    }
    this.suppressed = new boolean[values.length];
    this.known = new boolean[values.length];
    this.margin = new boolean[values.length];
    this.weight = new long[values.length];
    for (int cell = 0; cell < values.length; cell++) {
      weight[cell] = 1;
      for (int d = 0; d < dims; d++) {
        if (coordinate(cell, d) == size[d] - 1) {
          margin[cell] = true;
          weight[cell] *= 10;
        }
      }
    }
  }

  public static Outcome protect(int[] size, long[] values, Amounts amounts, SuppressionPolicy policy) {
    return protect(size, values, amounts, policy, new boolean[values.length]);
  }

  /** With cells {@code hidden} from the start (masked at the source): suppressed, usable as corners, not primary. */
  public static Outcome protect(int[] size, long[] values, Amounts amounts, SuppressionPolicy policy, boolean[] hidden) {
    return protect(size, values, amounts, policy, hidden, new boolean[values.length]);
  }

  /**
   * With cells {@code known} to be public (a public source's own cells): published as they are, never primary, never a
   * corner of a cube (they cannot be hidden).
   */
  public static Outcome protect(int[] size, long[] values, Amounts amounts, SuppressionPolicy policy, boolean[] hidden, boolean[] known) {
    Hypercube h = new Hypercube(size, values, amounts, policy);
    h.known = known;
    List<Integer> primary = new ArrayList<>();
    for (int cell = 0; cell < values.length; cell++) {
      if (hidden[cell]) {
        h.suppressed[cell] = true;
      } else if (known[cell]) {
        continue;
      } else if (policy.isSmall(values[cell]) || amounts.dominated(cell)) {
        primary.add(cell);
        h.suppressed[cell] = true;
      }
    }
    // inner cells first (their cubes often hide margins' partners too), then the smallest first
    primary.sort((a, b) -> h.margin[a] != h.margin[b] ? (h.margin[a] ? 1 : -1) : Long.compare(values[a], values[b]));
    int[][] partners = new int[primary.size()][];
    for (int i = 0; i < primary.size(); i++) {
      int cell = primary.get(i);
      int[] cube = h.bestCube(cell, CANDIDATES, false);
      if (cube == null) {
        cube = h.bestCube(cell, WIDER, true);
      }
      if (cube == null) {
        throw new AnonymisationException(
            "Cannot protect cell " + Arrays.toString(h.coordinates(cell)) + " (count " + values[cell] + "): no cube of cells around it is large enough to hide it");
      }
      for (int corner : h.corners(cell, cube)) {
        h.suppressed[corner] = true;
      }
      partners[i] = cube;
    }
    return new Outcome(h.suppressed, primary.stream().mapToInt(Integer::intValue).toArray(), partners);
  }

  /**
   * Re-checks certificates on the true values: every corner suppressed, the partners valid, and each corner
   * of sign −1 at least {@code max(1, minCount − p)}. Build once per pattern, then {@link #check(int, int[])}.
   */
  public static Hypercube checker(int[] size, long[] values, Amounts amounts, boolean[] suppressed, SuppressionPolicy policy) {
    Hypercube h = new Hypercube(size, values, amounts, policy);
    System.arraycopy(suppressed, 0, h.suppressed, 0, suppressed.length);
    return h;
  }

  /** Null when the cube of partners {@code partners} around {@code cell} proves it protected, else what is wrong. */
  public String check(int cell, int[] partners) {
    int[] coordinates = coordinates(cell);
    for (int d = 0; d < dims; d++) {
      if (partners[d] == coordinates[d] || partners[d] < 0 || partners[d] >= size[d]) {
        return "invalid partner " + partners[d] + " in dimension " + d;
      }
    }
    int[] corners = corners(cell, partners);
    int[] signs = signs(cell, partners);
    long[] required = required(cell);
    for (int c = 0; c < corners.length; c++) {
      if (!suppressed[corners[c]]) {
        return "corner " + Arrays.toString(coordinates(corners[c])) + " is published";
      }
      if (signs[c] < 0 && !holds(corners[c], required)) {
        return "corner " + Arrays.toString(coordinates(corners[c])) + " is too small to hide it";
      }
    }
    return null;
  }

  /** The cheapest feasible cube around {@code cell} with at most {@code limit} inner partners per dimension, or null. */
  private int[] bestCube(int cell, int limit, boolean largestFirst) {
    int[] coordinates = coordinates(cell);
    long[] required = required(cell);
    int[][] candidates = new int[dims][];
    int[][] offset = new int[dims][];
    boolean[][] flips = new boolean[dims][];
    for (int d = 0; d < dims; d++) {
      candidates[d] = candidates(cell, coordinates[d], d, required, limit, largestFirst);
      if (candidates[d].length == 0) {
        return null;
      }
      offset[d] = new int[candidates[d].length];
      flips[d] = new boolean[candidates[d].length];
      for (int j = 0; j < candidates[d].length; j++) {
        offset[d][j] = (candidates[d][j] - coordinates[d]) * stride[d];
        // two categories: the corner's sign flips; a margin on either side keeps it
        flips[d][j] = coordinates[d] != size[d] - 1 && candidates[d][j] != size[d] - 1;
      }
    }
    int[] choice = new int[dims];
    int[] best = null;
    long bestCost = Long.MAX_VALUE;
    int corners = 1 << dims;
    while (true) {
      long cost = 0;
      for (int mask = 0; mask < corners && cost < bestCost; mask++) {
        int corner = cell;
        boolean negative = false;
        for (int d = 0; d < dims; d++) {
          if ((mask & (1 << d)) != 0) {
            corner += offset[d][choice[d]];
            negative ^= flips[d][choice[d]];
          }
        }
        if (negative && !holds(corner, required) || known[corner]) {
          cost = Long.MAX_VALUE;
        } else if (!suppressed[corner]) {
          cost += weight[corner] * (values[corner] + 1);
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = new int[dims];
        for (int d = 0; d < dims; d++) {
          best[d] = candidates[d][choice[d]];
        }
      }
      int d = 0;
      while (d < dims && ++choice[d] == candidates[d].length) {
        choice[d] = 0;
        d++;
      }
      if (d == dims) {
        return best;
      }
    }
  }

  /**
   * Partners of {@code cell} in dimension d: the margin (if the cell is inner) and up to {@code limit} inner
   * categories whose cell on the same line could be a corner of sign −1: already suppressed ones first, then
   * the smallest large enough (or the largest, in the wider pass).
   */
  private int[] candidates(int cell, int own, int d, long[] required, int limit, boolean largestFirst) {
    int total = size[d] - 1;
    int kept = 0;
    int[] best = new int[Math.min(limit, total)];
    long[] rank = new long[best.length];
    for (int c = 0; c < total; c++) {
      if (c == own) {
        continue;
      }
      int neighbour = cell + (c - own) * stride[d];
      // a neighbour of an inner cell has sign -1: it must hold the move; a margin's partners have sign +1; a public
      // cell cannot be hidden
      if (own != total && !holds(neighbour, required) || known[neighbour]) {
        continue;
      }
      long r = (suppressed[neighbour] ? 0 : Long.MIN_VALUE / 2 * -1) + (largestFirst ? -values[neighbour] : values[neighbour]);
      if (kept == best.length && r >= rank[kept - 1]) {
        continue;
      }
      int at = kept == best.length ? kept - 1 : kept++;
      while (at > 0 && rank[at - 1] > r) {
        rank[at] = rank[at - 1];
        best[at] = best[at - 1];
        at--;
      }
      rank[at] = r;
      best[at] = c;
    }
    int[] out = Arrays.copyOf(best, kept + (own != total ? 1 : 0));
    if (own != total) {
      out[kept] = total;
    }
    return out;
  }

  /**
   * What a corner of sign −1 must hold for {@code cell}: [count move, then the move of each amount column];
   * 0 = no requirement. A small count must reach the threshold and not be pinned; a dominated amount must
   * be movable by its protection level.
   */
  private long[] required(int cell) {
    long[] required = new long[1 + amounts.columns().size()];
    // when zeros are published every hidden corner is known to be at least 1, which takes 1 off how far it can move
    long floor = policy.zeros() == SuppressionPolicy.Zeros.PUBLISH ? 1 : 0;
    required[0] = policy.isSmall(values[cell]) ? Math.max(1, policy.minCount() - values[cell]) + floor : 0;
    for (int j = 0; j < amounts.columns().size(); j++) {
      required[1 + j] = amounts.needs()[j][cell];
    }
    return required;
  }

  private boolean holds(int corner, long[] required) {
    if (required[0] > 0 && values[corner] < required[0]) {
      return false;
    }
    for (int j = 1; j < required.length; j++) {
      if (required[j] > 0 && amounts.values()[j - 1][corner] < required[j]) {
        return false;
      }
    }
    return true;
  }

  private int[] corners(int cell, int[] partners) {
    int[] coordinates = coordinates(cell);
    int[] corners = new int[1 << dims];
    for (int mask = 0; mask < corners.length; mask++) {
      int corner = cell;
      for (int d = 0; d < dims; d++) {
        if ((mask & (1 << d)) != 0) {
          corner += (partners[d] - coordinates[d]) * stride[d];
        }
      }
      corners[mask] = corner;
    }
    return corners;
  }

  /** Sign of each corner: the product, over the dimensions where it takes the partner, of −1 for two categories, +1 with a margin. */
  private int[] signs(int cell, int[] partners) {
    int[] coordinates = coordinates(cell);
    int[] signs = new int[1 << dims];
    for (int mask = 0; mask < signs.length; mask++) {
      int sign = 1;
      for (int d = 0; d < dims; d++) {
        boolean withMargin = coordinates[d] == size[d] - 1 || partners[d] == size[d] - 1;
        if ((mask & (1 << d)) != 0 && !withMargin) {
          sign = -sign;
        }
      }
      signs[mask] = sign;
    }
    return signs;
  }

  private int coordinate(int cell, int d) {
    return cell / stride[d] % size[d];
  }

  public int[] coordinates(int cell) {
    int[] out = new int[dims];
    for (int d = 0; d < dims; d++) {
      out[d] = coordinate(cell, d);
    }
    return out;
  }
}
