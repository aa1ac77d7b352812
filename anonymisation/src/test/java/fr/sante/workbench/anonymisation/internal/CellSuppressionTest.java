package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellSuppressionTest {
  private static final String T = FrequencyTable.TOTAL;
  private final SuppressionPolicy policy = SuppressionPolicy.defaults();

  @Test
  void computesEveryMargin() {
    FrequencyTable table = FrequencyTable.withMargins(List.of("sex", "region"), Map.of(List.of("1", "11"), 3L, List.of("1", "93"), 20L, List.of("2", "11"), 30L));
    assertThat(table.count(List.of("2", "93"))).as("absent combination").isZero();
    assertThat(table.count(List.of("1", T))).isEqualTo(23);
    assertThat(table.count(List.of(T, "11"))).isEqualTo(33);
    assertThat(table.count(List.of(T, T))).isEqualTo(53);
    assertThat(table.cells()).hasSize(3 * 3);
  }

  @Test
  void aSingleSmallCellOfATwoByTwoTableNeedsItsWholeCycle() {
    // a small cell in a 2 x 2 table with published margins is recomputable unless the whole cycle of
    // four inner cells is hidden; then the attacker only knows 1 <= x <= 22 (row a's total, less (a, y) which is
    // hidden, so at least 1: zeros are published)
    Map<List<String>, Long> inner = Map.of(List.of("a", "x"), 3L, List.of("a", "y"), 20L, List.of("b", "x"), 30L, List.of("b", "y"), 40L);
    FrequencyTable table = FrequencyTable.withMargins(List.of("r", "c"), inner);
    CellSuppression.Result result = CellSuppression.protect(table, policy);

    assertThat(result.primary()).containsExactly(List.of("a", "x"));
    assertThat(result.secondary()).containsExactlyInAnyOrder(List.of("a", "y"), List.of("b", "x"), List.of("b", "y"));
    Interval interval = result.intervals().get(List.of("a", "x"));
    assertThat(interval.low()).isCloseTo(1, within(1e-6));
    assertThat(interval.high()).isCloseTo(22, within(1e-6));
    assertThat(result.secondaryLoss()).isEqualTo(20 + 30 + 40);
  }

  @Test
  void aSmallCellInOneDimensionNeedsASecondOne() {
    FrequencyTable table = FrequencyTable.withMargins(List.of("age"), Map.of(List.of("0"), 5L, List.of("20"), 40L, List.of("60"), 25L));
    CellSuppression.Result result = CellSuppression.protect(table, policy);
    assertThat(result.secondary()).as("the cheapest other category").containsExactly(List.of("60"));
    assertThat(result.intervals().get(List.of("0")).high()).as("5 + 25 less the hidden 60's least value, 1").isCloseTo(29, within(1e-6));
  }

  @Test
  void safeTablesPassUntouched() {
    Random random = new Random(1);
    for (int trial = 0; trial < 50; trial++) {
      Map<List<String>, Long> inner = new HashMap<>();
      for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 3; b++) {
          inner.put(List.of("a" + a, "b" + b), 11L + random.nextInt(500));
        }
      }
      CellSuppression.Result result = CellSuppression.protect(FrequencyTable.withMargins(List.of("A", "B"), inner), policy);
      assertThat(result.primary()).isEmpty();
      assertThat(result.secondary()).isEmpty();
    }
  }

  @Test
  void randomTwoAndThreeDimensionalTablesAreProtected() {
    Random random = new Random(42);
    int suppressedTables = 0;
    for (int trial = 0; trial < 120; trial++) {
      int dims = trial % 3 == 0 ? 3 : 2;
      List<String> dimensions = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int d = 0; d < dims; d++) {
        dimensions.add("d" + d);
        sizes.add(2 + random.nextInt(dims == 3 ? 2 : 4));
      }
      Map<List<String>, Long> inner = new HashMap<>();
      fill(inner, new ArrayList<>(), sizes, random);
      FrequencyTable table = FrequencyTable.withMargins(dimensions, inner);
      CellSuppression.Result result = CellSuppression.protect(table, policy);

      // no published cell is small
      for (Map.Entry<List<String>, Long> cell : table.cells().entrySet()) {
        if (!result.isSuppressed(cell.getKey())) {
          assertThat(policy.isSmall(cell.getValue())).as("trial %d: published small cell %s", trial, cell).isFalse();
        }
      }
      // every primary cell is protected against the published table, recomputed from scratch
      java.util.Set<List<String>> hidden = new java.util.HashSet<>(result.primary());
      hidden.addAll(result.secondary());
      Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, hidden);
      for (List<String> cell : result.primary()) {
        Interval interval = intervals.get(cell);
        assertThat(interval.high()).as("trial %d: %s can be proven below 11: %s", trial, cell, interval).isGreaterThanOrEqualTo(11 - 1e-6);
        assertThat(interval.high() - interval.low()).as("trial %d: %s is pinned: %s", trial, cell, interval).isGreaterThanOrEqualTo(1 - 1e-6);
        assertThat(interval.low() - 1e-6).as("the true value is feasible").isLessThanOrEqualTo(table.count(cell));
        assertThat(interval.high() + 1e-6).isGreaterThanOrEqualTo(table.count(cell));
      }
      suppressedTables += result.primary().isEmpty() ? 0 : 1;
    }
    assertThat(suppressedTables).as("the random tables do have small cells").isGreaterThan(60);
  }

  private static void fill(Map<List<String>, Long> inner, List<String> prefix, List<Integer> sizes, Random random) {
    if (prefix.size() == sizes.size()) {
      // skewed counts: many small ones, like real breakdowns
      long count = random.nextInt(4) == 0 ? random.nextInt(11) : 11 + (long) Math.floor(Math.exp(random.nextDouble() * 6));
      inner.put(List.copyOf(prefix), count);
      return;
    }
    for (int v = 0; v < sizes.get(prefix.size()); v++) {
      prefix.add("v" + v);
      fill(inner, prefix, sizes, random);
      prefix.remove(prefix.size() - 1);
    }
  }

  @Test
  void rejectsInvalidPoliciesAndTables() {
    assertThatThrownBy(() -> new SuppressionPolicy(1, SuppressionPolicy.Zeros.PUBLISH))
        .isInstanceOf(AnonymisationException.class)
        .hasMessage("Invalid min count: 1 (must be >= 2)");
    assertThatThrownBy(() -> FrequencyTable.withMargins(List.of("a"), Map.of(List.of("x"), -3L)))
        .isInstanceOf(AnonymisationException.class)
        .hasMessage("Invalid count for cell [x]: -3 (must be >= 0)");
    assertThatThrownBy(() -> FrequencyTable.withMargins(List.of("a"), Map.of(List.of(T), 3L)))
        .hasMessage("Invalid category 'Total' in dimension a: it reads as the margin label 'Total' (rename or filter it in the query)");
    // what a reader of table.csv would take for a margin, or for a hidden value
    for (String lookalike : List.of("total", "Total ", " TOTAL", "", "  ")) {
      assertThatThrownBy(() -> FrequencyTable.withMargins(List.of("a"), Map.of(List.of(lookalike), 3L, List.of("x"), 40L)))
          .as("'" + lookalike + "'")
          .isInstanceOf(AnonymisationException.class)
          .hasMessageStartingWith("Invalid category '" + lookalike + "' in dimension a");
    }
    assertThatThrownBy(() -> FrequencyTable.withMargins(List.of("a", "b", "c", "d", "e"), Map.of()))
        .hasMessage("Invalid table: 5 dimensions (must be 1 to 4)");
  }

  @Test
  void protectedZerosAreSuppressedPublishedZerosAreNot() {
    Map<List<String>, Long> inner = Map.of(List.of("x"), 0L, List.of("y"), 40L, List.of("z"), 25L);
    FrequencyTable table = FrequencyTable.withMargins(List.of("a"), inner);
    assertThat(CellSuppression.protect(table, policy).primary()).isEmpty();
    SuppressionPolicy strict = new SuppressionPolicy(11, SuppressionPolicy.Zeros.PROTECT);
    assertThat(CellSuppression.protect(table, strict).primary()).containsExactly(List.of("x"));
  }

  @Test
  void roundedPublishedValuesAreUnknownsWithinTheirRoundingRange() {
    // published: b = 20 (true 20), Total = 25 (true 23), a hidden (true 3); base 5 → b ∈ [18, 22], Total ∈ [23, 27]
    FrequencyTable published = FrequencyTable.fromCells(List.of("x"), Map.of(List.of("a"), 0L, List.of("b"), 20L, List.of("Total"), 25L));
    Interval interval = IntervalVerifier.intervals(published, java.util.Set.of(List.of("a")), 5).get(List.of("a"));
    assertThat(interval.low()).isCloseTo(1, within(1e-6));
    assertThat(interval.high()).isCloseTo(9, within(1e-6));
    // exact publication would pin it
    Interval exact = IntervalVerifier.intervals(FrequencyTable.fromCells(List.of("x"), Map.of(List.of("a"), 0L, List.of("b"), 20L, List.of("Total"), 23L)), java.util.Set.of(List.of("a"))).get(List.of("a"));
    assertThat(exact.high() - exact.low()).isCloseTo(0, within(1e-6));
    assertThat(IntervalVerifier.round(12, 5)).isEqualTo(10);
    assertThat(IntervalVerifier.round(13, 5)).isEqualTo(15);
    assertThat(IntervalVerifier.round(15, 10)).isEqualTo(20);
    assertThat(IntervalVerifier.round(14, 10)).isEqualTo(10);
  }

  /**
   * A one-dimension table with many small cells (a monthly series whose first months have a few lines):
   * the hidden small cells only need each other, since the total minus the published cells leaves their sum
   * to share. Every hidden cell's interval is [0, that sum] (commons-math3's simplex used to report 0 for
   * all but the first of these interchangeable unknowns, which hid the whole table).
   */
  @Test
  void oneDimensionWithManySmallCellsHidesOnlyThem() {
    long[] small = {1, 1, 2, 1, 1, 3, 1, 1, 2, 2, 3, 4, 3, 2, 1, 1, 4, 3, 6, 3, 8, 6, 7, 9};
    long[] large = {11, 14, 13, 12, 21, 30, 50, 80, 120, 200, 400, 800, 1500, 3000, 6000, 20000, 40000};
    Map<List<String>, Long> inner = new HashMap<>();
    long smallSum = 0;
    for (int i = 0; i < small.length; i++) {
      inner.put(List.of("s" + i), small[i]);
      smallSum += small[i];
    }
    for (int i = 0; i < large.length; i++) {
      inner.put(List.of("l" + i), large[i]);
    }
    CellSuppression.Result result = CellSuppression.protect(FrequencyTable.withMargins(List.of("month"), inner), SuppressionPolicy.defaults());
    assertThat(result.primary()).hasSize(small.length);
    assertThat(result.secondary()).isEmpty();
    Map<List<String>, Interval> intervals = IntervalVerifier.intervals(result.table(), result.primary());
    for (List<String> cell : result.primary()) {
      assertThat(intervals.get(cell).low()).isCloseTo(0, within(1e-6));
      assertThat(intervals.get(cell).high()).isCloseTo(smallSum, within(1e-6));
    }
  }
}
