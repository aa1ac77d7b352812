package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatticeSearchTest {
  /** A random tree hierarchy over {@code leaves} values with {@code levels} levels (the top is "*"). */
  private static EncodedHierarchy randomHierarchy(String column, int leaves, int levels, Random random) {
    List<List<String>> rows = new ArrayList<>();
    int[] group = new int[leaves];
    for (int v = 0; v < leaves; v++) {
      group[v] = v;
    }
    List<List<String>> columns = new ArrayList<>();
    for (int level = 0; level < levels; level++) {
      List<String> labels = new ArrayList<>();
      for (int v = 0; v < leaves; v++) {
        labels.add(level == levels - 1 ? "*" : "L" + level + "_" + group[v]);
      }
      columns.add(labels);
      int width = 2 + random.nextInt(3);
      for (int v = 0; v < leaves; v++) {
        group[v] = group[v] / width;
      }
    }
    for (int v = 0; v < leaves; v++) {
      List<String> row = new ArrayList<>();
      for (int level = 0; level < levels; level++) {
        row.add(columns.get(level).get(v));
      }
      rows.add(row);
    }
    return new EncodedHierarchy(new Hierarchy(column, rows));
  }

  /** The least loss over every node of the lattice that satisfies the rules, by brute force. */
  private static double bruteForce(LatticeSearch search, List<EncodedHierarchy> hierarchies) {
    int q = hierarchies.size();
    int[] levels = new int[q];
    double best = Double.POSITIVE_INFINITY;
    while (true) {
      LatticeSearch.Node node = search.evaluate(levels);
      if (node.satisfies()) {
        best = Math.min(best, node.loss());
      }
      int t = 0;
      while (t < q && levels[t] == hierarchies.get(t).height()) {
        levels[t] = 0;
        t++;
      }
      if (t == q) {
        return best;
      }
      levels[t]++;
    }
  }

  @Test
  void findsTheLeastLossSatisfyingNodeOnHundredsOfRandomDatasets() {
    Random random = new Random(20261122);
    int withSolution = 0;
    for (int run = 0; run < 300; run++) {
      int q = 2 + random.nextInt(3);
      List<EncodedHierarchy> hierarchies = new ArrayList<>();
      for (int t = 0; t < q; t++) {
        hierarchies.add(randomHierarchy("q" + t, 2 + random.nextInt(12), 2 + random.nextInt(3), random));
      }
      int rows = 5 + random.nextInt(200);
      int[][] qi = new int[q][rows];
      int[][] sensitive = new int[1][rows];
      long[] counts = new long[rows];
      for (int i = 0; i < rows; i++) {
        for (int t = 0; t < q; t++) {
          // skewed values, so that some are rare
          int leaves = hierarchies.get(t).hierarchy.rows().size();
          qi[t][i] = Math.min(leaves - 1, (int) Math.floor(Math.abs(random.nextGaussian()) * leaves / 2.5));
        }
        sensitive[0][i] = random.nextInt(4);
        counts[i] = 1 + random.nextInt(5);
      }
      FrequencySet data = FrequencySet.of(qi, sensitive, new int[] {4}, counts);
      int k = 2 + random.nextInt(8);
      long budget = (long) (data.records * random.nextDouble() * 0.1);
      int[] l = random.nextBoolean() ? new int[] {2} : new int[] {1};

      LatticeSearch.Outcome outcome = new LatticeSearch(data, hierarchies, k, budget, l).search();
      double expected = bruteForce(new LatticeSearch(data, hierarchies, k, budget, l), hierarchies);

      if (Double.isInfinite(expected)) {
        assertThat(outcome.best()).as("run %d: no node satisfies, none returned", run).isNull();
        continue;
      }
      withSolution++;
      assertThat(outcome.best()).as("run %d", run).isNotNull();
      assertThat(outcome.best().satisfies()).isTrue();
      assertThat(outcome.best().suppressed()).isLessThanOrEqualTo(budget);
      assertThat(outcome.best().loss()).as("run %d: loss of the chosen node vs. brute force", run).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(outcome.evaluated()).isLessThanOrEqualTo(outcome.latticeNodes());
    }
    assertThat(withSolution).isGreaterThan(200);
  }

  @Test
  void countsClassesSuppressionAndLossOfANode() {
    // two quasi-identifiers: age (4 values → 2 bands → *) and sex (2 values → *)
    EncodedHierarchy age =
        new EncodedHierarchy(
            new Hierarchy("age", List.of(List.of("20", "20-29", "*"), List.of("25", "20-29", "*"), List.of("30", "30-39", "*"), List.of("35", "30-39", "*"))));
    EncodedHierarchy sex = new EncodedHierarchy(new Hierarchy("sex", List.of(List.of("F", "*"), List.of("M", "*"))));
    // (20,F)×3, (25,F)×2, (30,M)×4, (35,M)×1
    FrequencySet data = FrequencySet.of(new int[][] {{0, 1, 2, 3}, {0, 0, 1, 1}}, new int[0][], new int[0], new long[] {3, 2, 4, 1});
    LatticeSearch search = new LatticeSearch(data, List.of(age, sex), 3, 1, new int[0]);

    LatticeSearch.Node original = search.evaluate(new int[] {0, 0});
    assertThat(original.suppressed()).isEqualTo(3); // (25,F) and (35,M)
    assertThat(original.classes()).isEqualTo(2);
    assertThat(original.loss()).isZero();
    assertThat(original.satisfies()).isFalse();

    LatticeSearch.Node bands = search.evaluate(new int[] {1, 0});
    assertThat(bands.suppressed()).isZero(); // (20-29,F)=5, (30-39,M)=5
    // age: each value now stands for 2 of 4 observed values → (2-1)/(4-1); sex unchanged; mean over 2 QIs
    assertThat(bands.loss()).isCloseTo((1.0 / 3) / 2, org.assertj.core.data.Offset.offset(1e-12));

    LatticeSearch.Outcome outcome = search.search();
    assertThat(outcome.best().levels()).containsExactly(1, 0);
  }
}
