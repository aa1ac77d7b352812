package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HypercubeTest {
  private static FrequencyTable randomTable(Random random, int[] categories) {
    Map<List<String>, Long> inner = new HashMap<>();
    addCells(random, categories, 0, new ArrayList<>(), inner);
    List<String> dims = new ArrayList<>();
    for (int d = 0; d < categories.length; d++) {
      dims.add("d" + d);
    }
    return FrequencyTable.withMargins(dims, inner);
  }

  private static void addCells(Random random, int[] categories, int d, List<String> prefix, Map<List<String>, Long> inner) {
    if (d == categories.length) {
      // skewed counts: many small, some zero, some large
      double u = random.nextDouble();
      inner.put(List.copyOf(prefix), u < 0.1 ? 0L : u < 0.45 ? 1L + random.nextInt(10) : 11L + (long) Math.floor(Math.exp(random.nextDouble() * 6)));
      return;
    }
    for (int c = 0; c < categories[d]; c++) {
      prefix.add("c" + c);
      addCells(random, categories, d + 1, prefix, inner);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** The certificates are proofs: the LP over the whole table agrees that every primary cell is protected. */
  @Test
  void everyCubeProtectsItsCellByLinearProgrammingOnRandomTables() {
    Random random = new Random(42);
    SuppressionPolicy policy = SuppressionPolicy.defaults();
    int protectedCells = 0;
    for (int run = 0; run < 120; run++) {
      int dims = 2 + random.nextInt(2);
      int[] categories = new int[dims];
      for (int d = 0; d < dims; d++) {
        categories[d] = 2 + random.nextInt(dims == 2 ? 9 : 5);
      }
      FrequencyTable table = randomTable(random, categories);
      int[] size = CellSuppression.denseSize(table);
      long[] values = CellSuppression.denseValues(table);
      Hypercube.Outcome outcome;
      try {
        outcome = Hypercube.protect(size, values, Amounts.none(), policy);
      } catch (AnonymisationException e) {
        // a table too sparse for any cube: refused, which is allowed, but must stay rare
        continue;
      }
      List<List<String>> keys = new ArrayList<>(table.cells().keySet());
      Set<List<String>> hidden = new HashSet<>();
      for (int cell = 0; cell < values.length; cell++) {
        if (outcome.suppressed()[cell]) {
          hidden.add(keys.get(cell));
        } else {
          assertThat(policy.isSmall(values[cell])).as("run %d: published cell %s = %d", run, keys.get(cell), values[cell]).isFalse();
        }
      }
      Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, hidden);
      for (int i = 0; i < outcome.primary().length; i++) {
        int cell = outcome.primary()[i];
        Interval interval = intervals.get(keys.get(cell));
        assertThat(interval.protects(policy.minCount())).as("run %d: cell %s = %d, interval %s", run, keys.get(cell), values[cell], interval).isTrue();
        assertThat(interval.low() - 1e-6).isLessThanOrEqualTo(values[cell]);
        assertThat(interval.high() + 1e-6).isGreaterThanOrEqualTo(values[cell]);
        assertThat(Hypercube.checker(size, values, Amounts.none(), outcome.suppressed(), policy).check(cell, outcome.partners()[i])).isNull();
        protectedCells++;
      }
    }
    assertThat(protectedCells).isGreaterThan(1000);
  }

  /** Dominated amounts: each one's interval on the amount table reaches its protection level (LP check). */
  @Test
  void dominatedAmountsAreProtectedOnTheAmountTable() {
    Random random = new Random(9);
    SuppressionPolicy policy = SuppressionPolicy.defaults();
    int checked = 0;
    for (int run = 0; run < 40; run++) {
      FrequencyTable table = randomTable(random, new int[] {2 + random.nextInt(6), 2 + random.nextInt(6)});
      // amounts: about 30 euros a person, in cents, and a few dominated inner cells with a protection level
      Map<List<String>, Long> inner = new HashMap<>();
      for (Map.Entry<List<String>, Long> cell : table.cells().entrySet()) {
        if (!FrequencyTable.isMargin(cell.getKey())) {
          inner.put(cell.getKey(), cell.getValue() * 3000 + random.nextInt(500));
        }
      }
      long[] amounts = table.marginSums(inner);
      long[] needs = new long[amounts.length];
      int i = 0;
      for (List<String> key : table.cells().keySet()) {
        if (!FrequencyTable.isMargin(key) && table.count(key) >= 11 && random.nextDouble() < 0.15) {
          needs[i] = 1 + amounts[i] / 10;
        }
        i++;
      }
      Amounts withAmounts = new Amounts(List.of("amount"), new long[][] {amounts}, new long[][] {needs});
      CellSuppression.Result result;
      try {
        result = CellSuppression.protect(table, policy, withAmounts, ProtectionMethod.HYPERCUBE);
      } catch (AnonymisationException e) {
        continue;
      }
      Set<List<String>> hidden = new HashSet<>(result.primary());
      hidden.addAll(result.secondary());
      Map<List<String>, Long> amountCells = new java.util.LinkedHashMap<>();
      i = 0;
      for (List<String> key : table.cells().keySet()) {
        amountCells.put(key, amounts[i++]);
      }
      Map<List<String>, Interval> intervals = IntervalVerifier.intervals(FrequencyTable.fromCells(table.dimensions(), amountCells), hidden);
      i = 0;
      for (List<String> key : table.cells().keySet()) {
        if (needs[i] > 0) {
          assertThat(result.dominated()).contains(key);
          assertThat(intervals.get(key).high() - amounts[i]).as("run %d cell %s", run, key).isGreaterThanOrEqualTo(needs[i] - 1e-6);
          checked++;
        }
        i++;
      }
      // and the same table by whole-table LP
      CellSuppression.Result lp = CellSuppression.protect(table, policy, withAmounts, ProtectionMethod.LP);
      Set<List<String>> lpHidden = new HashSet<>(lp.primary());
      lpHidden.addAll(lp.secondary());
      Map<List<String>, Interval> lpIntervals = IntervalVerifier.intervals(FrequencyTable.fromCells(table.dimensions(), amountCells), lpHidden);
      i = 0;
      for (List<String> key : table.cells().keySet()) {
        if (needs[i] > 0) {
          assertThat(lpIntervals.get(key).high() - amounts[i]).isGreaterThanOrEqualTo(needs[i] - 1e-6);
        }
        i++;
      }
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void largeTablesAreProtectedByCertifiedCubes() {
    Random random = new Random(3);
    FrequencyTable table = randomTable(random, new int[] {30, 30, 25});
    assertThat(table.cells().size()).isGreaterThan(CellSuppression.LP_CELLS);
    CellSuppression.Result result = CellSuppression.protect(table, SuppressionPolicy.defaults());
    assertThat(result.method()).isEqualTo(ProtectionMethod.HYPERCUBE);
    assertThat(result.certificates().keySet()).isEqualTo(result.primary());
    for (Map.Entry<List<String>, Long> cell : table.cells().entrySet()) {
      if (!result.isSuppressed(cell.getKey())) {
        assertThat(SuppressionPolicy.defaults().isSmall(cell.getValue())).isFalse();
      }
    }
    assertThat(result.secondary()).isNotEmpty();
  }

  @Test
  void aCheckRejectsAPublishedCornerOrATooSmallOne() {
    // 2x2 with margins: a=3 small, b=20, c=30, d=40
    FrequencyTable table = FrequencyTable.withMargins(List.of("r", "c"), Map.of(List.of("1", "x"), 3L, List.of("1", "y"), 20L, List.of("2", "x"), 30L, List.of("2", "y"), 40L));
    int[] size = CellSuppression.denseSize(table);
    long[] values = CellSuppression.denseValues(table);
    Hypercube.Outcome outcome = Hypercube.protect(size, values, Amounts.none(), SuppressionPolicy.defaults());
    assertThat(outcome.primary()).containsExactly(0);
    assertThat(Hypercube.checker(size, values, Amounts.none(), outcome.suppressed(), SuppressionPolicy.defaults()).check(0, outcome.partners()[0])).isNull();
    boolean[] fewer = outcome.suppressed().clone();
    fewer[1] = false; // (1, y) published
    fewer[2] = false; // (1, Total) published
    assertThat(Hypercube.checker(size, values, Amounts.none(), fewer, SuppressionPolicy.defaults()).check(0, outcome.partners()[0])).contains("is published");
    assertThat(Hypercube.checker(size, values, Amounts.none(), outcome.suppressed(), new SuppressionPolicy(1000, SuppressionPolicy.Zeros.PUBLISH)).check(0, new int[] {1, 1})).contains("too small");
  }

  /**
   * A 3-D table where the small cells of one region are a public source's own: by cubes and by LP, those are published
   * as they are and never hidden, the other small cells are hidden, and no cube uses a public cell as a corner. The
   * check is written here: every certificate's corners are hidden, and each small hidden cell's cube has a corner of
   * sign −1 large enough (re-derived from the values).
   */
  @Test
  void publicCellsAreNeverPrimaryNorACornerOfACube() {
    Random random = new Random(17);
    int checked = 0;
    for (int round = 0; round < 20; round++) {
      Map<List<String>, Long> inner = new HashMap<>();
      for (String a : List.of("r1", "r2", "r3", "r4")) {
        for (String b : List.of("s1", "s2")) {
          for (String c : List.of("a1", "a2", "a3", "a4", "a5")) {
            inner.put(List.of(a, b, c), (long) (random.nextDouble() < 0.2 ? 1 + random.nextInt(9) : 15 + random.nextInt(200)));
          }
        }
      }
      FrequencyTable table = FrequencyTable.withMargins(List.of("region", "sex", "age"), inner);
      Set<List<String>> known = new HashSet<>();
      inner.keySet().stream().filter(k -> k.get(0).equals("r1")).forEach(known::add);
      for (ProtectionMethod method : ProtectionMethod.values()) {
        CellSuppression.Result result;
        try {
          result = CellSuppression.protect(table, SuppressionPolicy.defaults(), Amounts.none(), method, Set.of(), known);
        } catch (AnonymisationException e) {
          continue; // no cube around some cell of this random table: nothing published, nothing to check (counted below)
        }
        checked++;
        for (List<String> k : known) {
          assertThat(result.isSuppressed(k)).as(method + " " + k).isFalse();
        }
        for (Map.Entry<List<String>, Long> cell : inner.entrySet()) {
          if (!known.contains(cell.getKey()) && cell.getValue() < 11) {
            assertThat(result.isSuppressed(cell.getKey())).as(method + " " + cell.getKey()).isTrue();
          }
        }
        result.certificates().forEach((cell, partner) -> {
          for (int mask = 0; mask < 8; mask++) {
            List<String> corner = new ArrayList<>(cell);
            for (int d = 0; d < 3; d++) {
              if ((mask & (1 << d)) != 0) {
                corner.set(d, partner.get(d));
              }
            }
            assertThat(known).as("corner " + corner + " of the cube of " + cell).doesNotContain(corner);
            assertThat(result.isSuppressed(corner)).as("corner " + corner + " of the cube of " + cell).isTrue();
          }
        });
      }
    }
    assertThat(checked).as("protected tables checked, of 40").isGreaterThanOrEqualTo(30);
  }
}
