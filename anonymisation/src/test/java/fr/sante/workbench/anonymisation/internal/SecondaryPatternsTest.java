package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecondaryPatternsTest {
  private static final String T = FrequencyTable.TOTAL;
  private final SuppressionPolicy policy = SuppressionPolicy.defaults();

  /**
   * Region x age, one small cell: before this pattern work the greedy search hid its whole row and column (two of
   * those cells computable from the published ones), then closed a cycle: 5 secondary cells where 3 suffice.
   */
  private static FrequencyTable regionByAge() {
    Map<List<String>, Long> inner = new HashMap<>();
    long[][] counts = {{4, 30, 35}, {25, 60, 45}, {40, 70, 50}};
    String[] regions = {"11", "32", "84"};
    String[] ages = {"0-19", "20-59", "60+"};
    for (int r = 0; r < 3; r++) {
      for (int a = 0; a < 3; a++) {
        inner.put(List.of(regions[r], ages[a]), counts[r][a]);
      }
    }
    return FrequencyTable.withMargins(List.of("region", "age"), inner);
  }

  @Test
  void threeByThreeTableHidesNoComputableCellAndNoMoreCellsThanTheOptimum() {
    FrequencyTable table = regionByAge();
    CellSuppression.Result result = CellSuppression.protect(table, policy);
    OptimalPattern.Outcome optimum = OptimalPattern.solve(table, policy);

    assertThat(result.method()).isEqualTo(ProtectionMethod.LP);
    assertThat(result.primary()).containsExactly(List.of("11", "0-19"));
    Set<List<String>> hidden = hidden(result);
    OjalgoAttacker attacker = new OjalgoAttacker(table, hidden);
    for (List<String> cell : result.secondary()) {
      assertThat(attacker.interval(cell).high() - attacker.interval(cell).low()).as("%s is computable from the published cells", cell).isGreaterThan(1 - 1e-6);
    }
    assertThat(optimum.optimal()).isTrue();
    assertThat(optimum.secondary()).as("a rectangle through the small cell").hasSize(3);
    assertThat(result.secondary()).as("a rectangle too, not the row, column and a cycle").hasSize(optimum.secondary().size());
    // the optimum is the cheapest rectangle through the small cell: one more cell of its row, one of its column, their corner
    long cheapest = Long.MAX_VALUE;
    for (String region : List.of("32", "84")) {
      for (String age : List.of("20-59", "60+")) {
        cheapest = Math.min(cheapest, table.count(List.of("11", age)) + table.count(List.of(region, "0-19")) + table.count(List.of(region, age)));
      }
    }
    assertThat(optimum.secondaryTotal()).isEqualTo(cheapest);
    assertThat(result.secondaryLoss()).isEqualTo(optimum.secondaryTotal());
  }

  @Test
  void publishingAComputableCellChangesNoOtherInterval() {
    FrequencyTable table = regionByAge();
    // the greedy search's pattern before the post-pass: row 11 and column 0-19, then a cycle through 32 x 60+
    Set<List<String>> hidden =
        new LinkedHashSet<>(List.of(List.of("11", "0-19"), List.of("32", "0-19"), List.of("11", "20-59"), List.of("11", "60+"), List.of("84", "0-19"), List.of("32", "60+")));
    Map<List<String>, Interval> before = IntervalVerifier.intervals(table, hidden, hidden, CellSuppression.nonZero(policy, table, hidden, Set.of()));
    List<List<String>> computable = hidden.stream().filter(cell -> SecondaryPruning.isPoint(before.get(cell))).toList();
    assertThat(computable).as("the pattern holds computable cells").containsExactlyInAnyOrder(List.of("11", "20-59"), List.of("84", "0-19"));
    for (List<String> cell : computable) {
      assertThat(before.get(cell).low()).isCloseTo(table.count(cell), within(1e-6));
      hidden.remove(cell);
      Map<List<String>, Interval> after = IntervalVerifier.intervals(table, hidden, hidden, CellSuppression.nonZero(policy, table, hidden, Set.of()));
      OjalgoAttacker attacker = new OjalgoAttacker(table, hidden);
      for (List<String> other : hidden) {
        assertThat(after.get(other).low()).as("%s's low after publishing %s", other, cell).isCloseTo(before.get(other).low(), within(1e-6));
        assertThat(after.get(other).high()).as("%s's high after publishing %s", other, cell).isCloseTo(before.get(other).high(), within(1e-6));
        assertThat(attacker.interval(other).high()).as("the independent attacker agrees").isCloseTo(before.get(other).high(), within(1e-6));
      }
    }
  }

  @Test
  void randomSmallTablesHideNoComputableCellAndProtectEverySmallOne() {
    Random random = new Random(7);
    int protectedTables = 0;
    for (int trial = 0; trial < 60; trial++) {
      FrequencyTable table = randomTable(random, trial % 3 == 0 ? 3 : 2);
      for (ProtectionMethod method : ProtectionMethod.values()) {
        CellSuppression.Result result = CellSuppression.protect(table, policy, Amounts.none(), method);
        Set<List<String>> hidden = hidden(result);
        OjalgoAttacker attacker = new OjalgoAttacker(table, hidden);
        for (List<String> cell : result.primary()) {
          assertThat(attacker.protects(cell, policy.minCount())).as("trial %d, %s: %s is exposed: %s", trial, method, cell, attacker.interval(cell)).isTrue();
        }
        for (List<String> cell : result.secondary()) {
          Interval interval = attacker.interval(cell);
          assertThat(interval.high() - interval.low()).as("trial %d, %s: secondary %s is computable: %s", trial, method, cell, interval).isGreaterThan(Interval.EPSILON);
        }
        if (result.method() == ProtectionMethod.LP) {
          // the removal pass leaves no secondary cell the pattern can do without
          for (List<String> cell : result.secondary()) {
            Set<List<String>> fewer = new LinkedHashSet<>(hidden);
            fewer.remove(cell);
            Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, fewer, result.primary(), CellSuppression.nonZero(policy, table, fewer, Set.of()));
            assertThat(result.primary().stream().allMatch(p -> intervals.get(p).protects(policy.minCount()))).as("trial %d: %s is not needed", trial, cell).isFalse();
          }
        }
        protectedTables += result.primary().isEmpty() ? 0 : 1;
      }
    }
    assertThat(protectedTables).as("the random tables do have small cells").isGreaterThan(80);
  }

  @Test
  void theOptimumIsNeverWorseThanTheGateAndIsProtected() {
    Random random = new Random(11);
    for (int trial = 0; trial < 6; trial++) {
      FrequencyTable table = randomTable(random, trial % 3 == 0 ? 3 : 2);
      CellSuppression.Result ours = CellSuppression.protect(table, policy);
      OptimalPattern.Outcome optimum = OptimalPattern.solve(table, policy);
      assertThat(optimum.optimal()).isTrue();
      OjalgoAttacker attacker = new OjalgoAttacker(table, optimum.hidden());
      for (List<String> cell : ours.primary()) {
        assertThat(IntervalVerifier.intervals(table, optimum.hidden(), Set.of(cell)).get(cell).protects(policy.minCount())).as("trial %d: the gate's LP agrees", trial).isTrue();
        assertThat(attacker.protects(cell, policy.minCount())).isTrue();
      }
      assertThat(optimum.secondaryTotal()).as("trial %d: the optimum hides no more persons", trial).isLessThanOrEqualTo(ours.secondaryLoss());
    }
  }

  private static Set<List<String>> hidden(CellSuppression.Result result) {
    Set<List<String>> hidden = new LinkedHashSet<>(result.primary());
    hidden.addAll(result.secondary());
    hidden.addAll(result.masked());
    return hidden;
  }

  /** Up to 5 x 5 (2-D) or 3 x 3 x 3 (3-D) inner cells, a few of them small. */
  static FrequencyTable randomTable(Random random, int dims) {
    List<String> dimensions = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (int d = 0; d < dims; d++) {
      dimensions.add("d" + d);
      sizes.add(dims == 3 ? 2 + random.nextInt(2) : 3 + random.nextInt(3));
    }
    Map<List<String>, Long> inner = new HashMap<>();
    fill(inner, new ArrayList<>(), sizes, random);
    return FrequencyTable.withMargins(dimensions, inner);
  }

  /** Every combination of the categories, counts skewed towards the threshold (one in six small); the benchmark uses it too. */
  static void fill(Map<List<String>, Long> inner, List<String> prefix, List<Integer> sizes, Random random) {
    if (prefix.size() == sizes.size()) {
      long count = random.nextInt(6) == 0 ? 1 + random.nextInt(10) : 11 + (long) Math.floor(Math.exp(random.nextDouble() * 5));
      inner.put(List.copyOf(prefix), count);
      return;
    }
    for (int v = 0; v < sizes.get(prefix.size()); v++) {
      prefix.add("v" + v);
      fill(inner, prefix, sizes, random);
      prefix.remove(prefix.size() - 1);
    }
  }
}
