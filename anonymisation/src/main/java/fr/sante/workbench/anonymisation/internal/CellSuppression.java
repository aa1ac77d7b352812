package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Primary and secondary cell suppression for a table with its margins. Primary: every count the policy
 * calls small (and every dominated amount). Secondary, for small 1–2 dimension tables ({@link #method}):
 * while some primary cell is under-protected (its LP interval lets an attacker prove it is below the
 * threshold, or pins it), suppress the cheapest rectangle through it (inner cell of a 2-D table: fewest persons)
 * or else the published non-zero cell that costs least (smallest count, inner cells before margins) among those
 * sharing a relation with it, and check again (up to {@link #LP_ROUNDS} cells, then cubes); then publish the
 * secondary cells that protect nothing ({@link SecondaryPruning}: those the attacker computes exactly, and
 * those the finished pattern no longer needs). Other tables: one certified hypercube per primary cell
 * ({@link Hypercube}), whose hidden cells all move with their cube, so none is computable exactly.
 */
public final class CellSuppression {
  private CellSuppression() {}

  /**
   * The outcome, for the DPO's manifest.
   *
   * @param primary cells hidden because they are small
   * @param secondary cells hidden so that the primary ones cannot be recomputed
   * @param intervals what an attacker can deduce about each hidden cell
   * @param masked cells the source masked (and every margin that sums one): no value to publish, hidden from
   *     the start, neither primary nor secondary
   * @param known cells published as they are because their value is already public (the source's own published
   *     cells): never primary nor secondary, known to the attacker
   */
  public record Result(
      FrequencyTable table,
      Set<List<String>> primary,
      Set<List<String>> secondary,
      Map<List<String>, Interval> intervals,
      ProtectionMethod method,
      Map<List<String>, List<String>> certificates,
      Amounts amounts,
      Set<List<String>> dominated,
      Set<List<String>> masked,
      Set<List<String>> known) {
    public Result {
      known = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(known));
      dominated = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(dominated));
      masked = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(masked));
      // unmodifiable views, not copies: a large table holds hundreds of thousands of keys
      primary = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(primary));
      secondary = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(secondary));
      intervals = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(intervals));
      certificates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(certificates));
    }

    public boolean isSuppressed(List<String> key) {
      return primary.contains(key) || secondary.contains(key) || masked.contains(key);
    }

    /** Counts hidden by secondary suppression: the information the protection cost. */
    public long secondaryLoss() {
      return secondary.stream().mapToLong(table::count).sum();
    }
  }


  /** Largest table (cells, margins included) protected and verified by whole-table linear programming. */
  public static final int LP_CELLS = 4_000;

  /** Most primary cells protected by linear programming (each round solves two LPs per primary cell). */
  public static final int LP_PRIMARY = 150;

  /** Secondary cells the LP method may add one by one before handing over to cubes. */
  public static final int LP_ROUNDS = 100;

  public static Result protect(FrequencyTable table, SuppressionPolicy policy) {
    return protect(table, policy, Amounts.none());
  }

  /** Counts and amounts: primary cells are the small counts and the dominated amounts. */
  public static Result protect(FrequencyTable table, SuppressionPolicy policy, Amounts amounts) {
    return protect(table, policy, amounts, method(table, policy, amounts, 1));
  }

  /**
   * Linear programming for small 1–2 dimension tables with few small cells (fewest hidden cells, exact
   * intervals), cubes otherwise (bounded time); rounded tables too large for the file-level bounded LP use
   * cubes as well.
   */
  public static ProtectionMethod method(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, int rounding) {
    int cells = table.cells().size();
    if (table.dimensions().size() > 2 || cells > LP_CELLS || (rounding > 1 && cells > IntervalVerifier.ROUNDED_CELLS)) {
      return ProtectionMethod.HYPERCUBE;
    }
    int primary = 0;
    int i = 0;
    for (long count : table.cells().values()) {
      if (policy.isSmall(count) || amounts.dominated(i)) {
        primary++;
      }
      i++;
    }
    return primary > LP_PRIMARY ? ProtectionMethod.HYPERCUBE : ProtectionMethod.LP;
  }

  /** With a given method (benchmarks compare them; LP is refused above {@link #LP_CELLS} cells). */
  public static Result protect(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, ProtectionMethod method) {
    return protect(table, policy, amounts, method, Set.of());
  }

  /**
   * With cells the source masked: they (and the margins summing them, which have no true value) are hidden
   * from the start and protect the small cells around them like any hidden cell.
   */
  public static Result protect(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, ProtectionMethod method, Set<List<String>> masked) {
    return protect(table, policy, amounts, method, masked, Set.of());
  }

  /**
   * With cells whose value is already public ({@code known}: the source's own published cells): by linear programming
   * they are published as they are, never primary nor secondary, and the attacker is assumed to know them; the
   * hypercube method never makes them primary nor a corner of a cube.
   */
  public static Result protect(
      FrequencyTable table, SuppressionPolicy policy, Amounts amounts, ProtectionMethod method, Set<List<String>> masked, Set<List<String>> known) {
    if (method == ProtectionMethod.LP && table.cells().size() > LP_CELLS) {
      throw new AnonymisationException("Cannot protect " + table.cells().size() + " cells by whole-table linear programming (at most " + LP_CELLS + ")");
    }
    return switch (method) {
      case LP -> protectByLp(table, policy, amounts, LP_ROUNDS, masked, known);
      case HYPERCUBE -> protectByCubes(table, policy, amounts, masked, known);
    };
  }

  private static Set<List<String>> dominated(FrequencyTable table, Amounts amounts) {
    Set<List<String>> out = new LinkedHashSet<>();
    int cell = 0;
    for (List<String> key : table.cells().keySet()) {
      if (amounts.dominated(cell++)) {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * Primary suppression only, verified by linear programming: the result, or an error naming the first
   * small (or dominated) cell the published table would expose.
   */
  public static Result primaryOnly(FrequencyTable table, SuppressionPolicy policy, Amounts amounts) {
    return primaryOnly(table, policy, amounts, Set.of());
  }

  /** Primary suppression only, with cells the source masked hidden from the start. */
  public static Result primaryOnly(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, Set<List<String>> masked) {
    return primaryOnly(table, policy, amounts, masked, Set.of());
  }

  /** Primary suppression only, with cells the source masked hidden and public cells published from the start. */
  public static Result primaryOnly(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, Set<List<String>> masked, Set<List<String>> known) {
    if (table.cells().size() > LP_CELLS) {
      throw new AnonymisationException(
          "Cannot publish without secondary suppression: the table has " + table.cells().size() + " cells, more than the " + LP_CELLS + " the LP check handles");
    }
    Result result = protectByLp(table, policy, amounts, 0, masked, known);
    if (!result.secondary().isEmpty()) {
      throw new AnonymisationException(
          "Secondary suppression is off but the primary suppressions alone do not protect the small cells: e.g. hiding "
              + result.secondary().iterator().next() + " would be needed (turn secondary suppression on, or aggregate further)");
    }
    return result;
  }

  /** The table as dense arrays: categories per dimension plus the margin (last), the last dimension fastest. */
  public static int[] denseSize(FrequencyTable table) {
    int[] size = new int[table.dimensions().size()];
    for (int d = 0; d < size.length; d++) {
      size[d] = table.categories(d).size() + 1;
    }
    return size;
  }

  public static long[] denseValues(FrequencyTable table) {
    return table.cells().values().stream().mapToLong(Long::longValue).toArray();
  }

  private static Result protectByCubes(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, Set<List<String>> masked, Set<List<String>> known) {
    int[] size = denseSize(table);
    long[] values = denseValues(table);
    List<List<String>> keys = new ArrayList<>(table.cells().keySet());
    boolean[] hidden = new boolean[keys.size()];
    boolean[] isKnown = new boolean[keys.size()];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = masked.contains(keys.get(i));
      isKnown[i] = !hidden[i] && known.contains(keys.get(i));
    }
    Hypercube.Outcome outcome = Hypercube.protect(size, values, amounts, policy, hidden, isKnown);
    Set<List<String>> primary = new LinkedHashSet<>();
    Map<List<String>, List<String>> certificates = new java.util.LinkedHashMap<>();
    Hypercube checker = Hypercube.checker(size, values, amounts, outcome.suppressed(), policy);
    for (int i = 0; i < outcome.primary().length; i++) {
      int cell = outcome.primary()[i];
      // the gate re-checks every certificate on the true values before anything is written
      String problem = checker.check(cell, outcome.partners()[i]);
      if (problem != null) {
        throw new AnonymisationException("Cannot protect cell " + keys.get(cell) + ": " + problem);
      }
      primary.add(keys.get(cell));
      List<String> partner = new ArrayList<>();
      for (int d = 0; d < size.length; d++) {
        int p = outcome.partners()[i][d];
        partner.add(p == size[d] - 1 ? FrequencyTable.TOTAL : table.categories(d).get(p));
      }
      certificates.put(keys.get(cell), List.copyOf(partner));
    }
    Set<List<String>> secondary = new LinkedHashSet<>();
    for (int cell = 0; cell < values.length; cell++) {
      if (outcome.suppressed()[cell] && !primary.contains(keys.get(cell)) && !masked.contains(keys.get(cell))) {
        secondary.add(keys.get(cell));
      }
    }
    Set<List<String>> dominated = new LinkedHashSet<>(dominated(table, amounts));
    dominated.removeAll(known);
    return new Result(table, primary, secondary, Map.of(), ProtectionMethod.HYPERCUBE, certificates, amounts, dominated, masked, known);
  }

  private static Result protectByLp(FrequencyTable table, SuppressionPolicy policy, Amounts amounts, int rounds, Set<List<String>> masked, Set<List<String>> known) {
    Set<List<String>> small = new LinkedHashSet<>();
    for (Map.Entry<List<String>, Long> cell : table.cells().entrySet()) {
      if (policy.isSmall(cell.getValue()) && !masked.contains(cell.getKey()) && !known.contains(cell.getKey())) {
        small.add(cell.getKey());
      }
    }
    Set<List<String>> dominated = new LinkedHashSet<>(dominated(table, amounts));
    dominated.removeAll(known);
    Set<List<String>> primary = new LinkedHashSet<>(small);
    primary.addAll(dominated);
    // the amounts as tables of their own (dominance needs non-negative contributions, so these are >= 0)
    List<List<String>> keys = new ArrayList<>(table.cells().keySet());
    Map<List<String>, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      index.put(keys.get(i), i);
    }
    List<FrequencyTable> amountTables = new ArrayList<>();
    for (int j = 0; j < amounts.columns().size() && !dominated.isEmpty(); j++) {
      Map<List<String>, Long> cells = new java.util.LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        cells.put(keys.get(i), amounts.values()[j][i]);
      }
      amountTables.add(FrequencyTable.fromCells(table.dimensions(), cells));
    }
    Set<List<String>> suppressed = new LinkedHashSet<>(primary);
    suppressed.addAll(masked);
    List<FrequencyTable.Relation> relations = table.relations();
    Check check = new Check(table, policy, amounts, small, dominated, amountTables, index, masked);
    while (true) {
      Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, suppressed, primary, nonZero(policy, table, suppressed, masked));
      Optional<List<String>> exposed = check.exposed(suppressed, intervals);
      if (exposed.isEmpty()) {
        if (suppressed.size() > primary.size() + masked.size()) {
          // the greedy pattern can hold cells that protect nothing (computable from the published ones) or that
          // later choices made redundant: publish them, re-checking the whole protection each time
          suppressed = SecondaryPruning.prune(table, suppressed, primary, masked, check::protects);
          intervals = IntervalVerifier.intervals(table, suppressed, primary, nonZero(policy, table, suppressed, masked));
        }
        Set<List<String>> secondary = new LinkedHashSet<>(suppressed);
        secondary.removeAll(primary);
        secondary.removeAll(masked);
        return new Result(table, primary, secondary, intervals, ProtectionMethod.LP, Map.of(), amounts, dominated, masked, known);
      }
      Optional<List<String>> neighbour = cheapestNeighbour(table, relations, exposed.get(), suppressed, known);
      if (rounds == 0) {
        // primary only: report what an exposed cell would need
        Set<List<String>> needed = new LinkedHashSet<>();
        needed.add(neighbour.orElse(exposed.get()));
        return new Result(table, primary, needed, intervals, ProtectionMethod.LP, Map.of(), amounts, dominated, masked, known);
      }
      List<List<String>> next = cheapestRectangle(table, exposed.get(), suppressed, known);
      if (next.isEmpty()) {
        next = neighbour.map(List::of).orElse(List.of());
      }
      if (next.isEmpty() || suppressed.size() - primary.size() >= rounds) {
        // the greedy search is stuck or too long: cubes always finish, with a proof per cell
        return protectByCubes(table, policy, amounts, masked, known);
      }
      suppressed.addAll(next);
    }
  }

  /**
   * For an inner cell of a two-dimension table: the cells still to hide to complete the cheapest rectangle
   * through it (one more cell of its row, one of its column, and their corner), the fewest persons first. The
   * row and column partners must be non-zero (a move up of the cell takes from them); a rectangle is hidden
   * whole, since one or two of its corners alone leave the cell computable. Empty when no rectangle adds a cell.
   */
  private static List<List<String>> cheapestRectangle(FrequencyTable table, List<String> cell, Set<List<String>> suppressed, Set<List<String>> known) {
    if (table.dimensions().size() != 2 || FrequencyTable.isMargin(cell)) {
      return List.of();
    }
    long best = Long.MAX_VALUE;
    List<List<String>> cheapest = List.of();
    for (String row : table.categories(0)) {
      for (String column : table.categories(1)) {
        if (row.equals(cell.get(0)) || column.equals(cell.get(1))) {
          continue;
        }
        List<List<String>> corners = List.of(List.of(cell.get(0), column), List.of(row, cell.get(1)), List.of(row, column));
        List<List<String>> added = new ArrayList<>();
        long cost = 0;
        boolean usable = true;
        for (int k = 0; k < corners.size() && usable; k++) {
          List<String> corner = corners.get(k);
          if (suppressed.contains(corner)) {
            continue;
          }
          // a public cell cannot be hidden; a published zero beside the cell cannot give it anything
          usable = !known.contains(corner) && (k == 2 || table.count(corner) > 0);
          cost += table.count(corner);
          added.add(corner);
        }
        if (usable && !added.isEmpty() && (cost < best || (cost == best && added.size() < cheapest.size()))) {
          best = cost;
          cheapest = added;
        }
      }
    }
    return cheapest;
  }

  /** The gate's promise for one table's primary cells: small counts and dominated amounts. */
  private static final class Check {
    private final FrequencyTable table;
    private final SuppressionPolicy policy;
    private final Amounts amounts;
    private final Set<List<String>> small;
    private final Set<List<String>> dominated;
    private final List<FrequencyTable> amountTables;
    private final Map<List<String>, Integer> index;
    private final Set<List<String>> masked;
    private List<String> lastExposed;

    Check(
        FrequencyTable table,
        SuppressionPolicy policy,
        Amounts amounts,
        Set<List<String>> small,
        Set<List<String>> dominated,
        List<FrequencyTable> amountTables,
        Map<List<String>, Integer> index,
        Set<List<String>> masked) {
      this.table = table;
      this.policy = policy;
      this.amounts = amounts;
      this.small = small;
      this.dominated = dominated;
      this.amountTables = amountTables;
      this.index = index;
      this.masked = masked;
    }

    /**
     * Whether every primary cell is protected when {@code hidden} is hidden. The small cells are checked one at
     * a time, the last one found exposed first (a pattern that fails usually fails there again), so that a
     * failing pattern costs two LPs rather than two per small cell.
     */
    boolean protects(Set<List<String>> hidden) {
      List<List<String>> order = new ArrayList<>(small);
      if (lastExposed != null && order.remove(lastExposed)) {
        order.add(0, lastExposed);
      }
      for (List<String> cell : order) {
        if (!IntervalVerifier.intervals(table, hidden, Set.of(cell), nonZero(policy, table, hidden, masked)).get(cell).protects(policy.minCount())) {
          lastExposed = cell;
          return false;
        }
      }
      if (amountTables.isEmpty()) {
        return true;
      }
      Set<List<String>> primary = new LinkedHashSet<>(small);
      primary.addAll(dominated);
      return exposed(hidden, IntervalVerifier.intervals(table, hidden, primary, nonZero(policy, table, hidden, masked))).isEmpty();
    }

    /**
     * The first primary cell that the hidden set leaves under-protected: a small count whose interval
     * ({@code intervals}) does not protect it, or a dominated amount the published amounts bound too closely.
     */
    Optional<List<String>> exposed(Set<List<String>> suppressed, Map<List<String>, Interval> intervals) {
      Optional<List<String>> exposed = small.stream().filter(cell -> !intervals.get(cell).protects(policy.minCount())).findFirst();
      for (int j = 0; j < amountTables.size() && exposed.isEmpty(); j++) {
        Map<List<String>, Interval> amountIntervals = IntervalVerifier.intervals(amountTables.get(j), suppressed, dominated);
        long[] values = amounts.values()[j];
        long[] needs = amounts.needs()[j];
        exposed =
            dominated.stream()
                .filter(cell -> needs[index.get(cell)] > 0 && amountIntervals.get(cell).high() - values[index.get(cell)] < needs[index.get(cell)] - Interval.EPSILON)
                .findFirst();
      }
      return exposed;
    }
  }

  /**
   * The hidden cells an attacker is assumed to know to be at least 1: when zeros are published, every hidden cell the
   * gate chose whose count is not zero (a stronger attacker than one who only knows the rule, so what protects against
   * it protects against them); cells the source masked may be anything.
   */
  public static Set<List<String>> nonZero(SuppressionPolicy policy, FrequencyTable table, Set<List<String>> hidden, Set<List<String>> masked) {
    if (policy.zeros() != SuppressionPolicy.Zeros.PUBLISH) {
      return Set.of();
    }
    Set<List<String>> out = new LinkedHashSet<>();
    for (List<String> cell : hidden) {
      // a zero the pattern hides (a rectangle's far corner, a cube's "+" corner) is not one: the gate knows the values
      if (!masked.contains(cell) && table.count(cell) > 0) {
        out.add(cell);
      }
    }
    return out;
  }

  /**
   * The next cell to suppress for {@code cell}, by tiers: inner cells sharing a relation with it, then
   * inner cells sharing a relation with any suppressed cell (to close cycles), then margins in the same
   * order; within a tier, the smallest count (least information lost).
   */
  private static Optional<List<String>> cheapestNeighbour(
      FrequencyTable table, List<FrequencyTable.Relation> relations, List<String> cell, Set<List<String>> suppressed, Set<List<String>> known) {
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
        // a public cell cannot be hidden: the attacker knows it anyway
        if (!suppressed.contains(member) && !known.contains(member)) {
          (withCell ? near : frontier).add(member);
        }
      }
    }
    Comparator<List<String>> cost = Comparator.<List<String>>comparingLong(table::count).thenComparing(Object::toString);
    for (boolean margins : new boolean[] {false, true}) {
      for (Set<List<String>> tier : List.of(near, frontier)) {
        // a published zero cannot absorb any move: hiding it costs nothing but never helps
        Optional<List<String>> best = tier.stream().filter(k -> FrequencyTable.isMargin(k) == margins && table.count(k) > 0).min(cost);
        if (best.isPresent()) {
          return best;
        }
      }
    }
    return Optional.empty();
  }
}
