package fr.sante.workbench.anonymisation;

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
        outcome = Hypercube.protect(size, values, policy);
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
        assertThat(Hypercube.checker(size, values, outcome.suppressed(), policy.minCount()).check(cell, outcome.partners()[i])).isNull();
        protectedCells++;
      }
    }
    assertThat(protectedCells).isGreaterThan(1000);
  }

  @Test
  void largeTablesAreProtectedByCertifiedCubes() {
    Random random = new Random(3);
    FrequencyTable table = randomTable(random, new int[] {30, 30, 25});
    assertThat(table.cells().size()).isGreaterThan(CellSuppression.LP_CELLS);
    CellSuppression.Result result = CellSuppression.protect(table, SuppressionPolicy.defaults());
    assertThat(result.method()).isEqualTo(CellSuppression.Method.HYPERCUBE);
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
    Hypercube.Outcome outcome = Hypercube.protect(size, values, SuppressionPolicy.defaults());
    assertThat(outcome.primary()).containsExactly(0);
    assertThat(Hypercube.checker(size, values, outcome.suppressed(), 11).check(0, outcome.partners()[0])).isNull();
    boolean[] fewer = outcome.suppressed().clone();
    fewer[1] = false; // (1, y) published
    fewer[2] = false; // (1, Total) published
    assertThat(Hypercube.checker(size, values, fewer, 11).check(0, outcome.partners()[0])).contains("is published");
    assertThat(Hypercube.checker(size, values, outcome.suppressed(), 1000).check(0, new int[] {1, 1})).contains("too small");
  }
}
