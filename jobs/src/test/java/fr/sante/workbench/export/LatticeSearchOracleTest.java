package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.internal.EncodedHierarchy;
import fr.sante.workbench.anonymisation.internal.FrequencySet;
import fr.sante.workbench.anonymisation.internal.LatticeSearch;
import fr.sante.workbench.testing.KAnonymityOracle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lattice search (pure Java, no Spark) against {@link KAnonymityOracle}, an evaluator written from the
 * documentation that shares no code with it: on each random dataset, every node's suppressed records, classes,
 * loss and verdict, then the optimum.
 */
class LatticeSearchOracleTest {
  private static final int SEARCH_CASES = 1500;

  /** Pure Java: every node of every lattice evaluated by the search and by the oracle, then the optimum. */
  @Test
  void searchAgreesWithTheOracleOnEveryNodeAndOnTheOptimum() {
    int cases = 0;
    int withOptimum = 0;
    int tied = 0;
    int diverse = 0;
    int withNulls = 0;
    int tiedAtLowestHeight = 0;
    long nodes = 0;
    for (int seed = 0; seed < SEARCH_CASES; seed++) {
      RandomMicrodata data = RandomMicrodata.generate(seed, /* nulls */ true);
      KAnonymityOracle oracle = data.oracle();
      LatticeSearch search = search(data, oracle.budget());
      for (KAnonymityOracle.Node expected : oracle.lattice()) {
        assertThat(oracle.evaluateRecordByRecord(expected.levels())).as("%s: the oracle's two ways of counting agree", data).hasToString(expected.toString());
        LatticeSearch.Node found = search.evaluate(expected.levels());
        String node = data + ", node " + Arrays.toString(expected.levels());
        assertThat(found.suppressed()).as("%s: suppressed records (oracle %s)", node, expected).isEqualTo(expected.suppressed());
        assertThat(found.classes()).as("%s: classes kept (oracle %s)", node, expected).isEqualTo(expected.classes());
        assertThat(found.loss()).as("%s: loss (oracle %s)", node, expected).isCloseTo(expected.loss(), within(1e-9));
        assertThat(found.satisfies()).as("%s: satisfies (oracle %s)", node, expected).isEqualTo(expected.satisfies());
        nodes++;
      }
      KAnonymityOracle.Optimum optimum = oracle.bruteForce();
      LatticeSearch.Outcome outcome = search(data, oracle.budget()).search();
      cases++;
      withNulls += data.records().stream().anyMatch(r -> r[r.length - 1] == null) ? 1 : 0;
      if (!optimum.exists()) {
        assertThat(outcome.best()).as("%s: no node satisfies the rules, yet the search chose one", data).isNull();
        continue;
      }
      withOptimum++;
      tied += optimum.best().size() > 1 ? 1 : 0;
      // the documentation leaves ties open (loss, "then height" is only the visiting order): any least-loss node
      int lowest = optimum.best().stream().mapToInt(n -> Arrays.stream(n.levels()).sum()).min().orElseThrow();
      tiedAtLowestHeight += optimum.best().size() > 1 && Arrays.stream(outcome.best() == null ? new int[0] : outcome.best().levels()).sum() == lowest ? 1 : 0;
      diverse += data.l() > 0 ? 1 : 0;
      assertThat(outcome.best()).as("%s: the oracle's optimum is %s, the search found none", data, optimum.best()).isNotNull();
      assertThat(optimum.contains(outcome.best().levels()))
          .as("%s: levels chosen %s, expected one of the least-loss nodes %s", data, Arrays.toString(outcome.best().levels()), optimum.best())
          .isTrue();
    }
    System.out.printf("search vs oracle: %d cases, %d with an optimum, %d tied (lowest height chosen in %d), %d with l, %d with missing sensitive values, %d nodes%n", cases, withOptimum, tied, tiedAtLowestHeight, diverse, withNulls, nodes);
    assertThat(cases).isEqualTo(SEARCH_CASES);
    assertThat(withOptimum).as("cases with a satisfying node").isGreaterThan(SEARCH_CASES / 2);
    assertThat(cases - withOptimum).as("cases where none satisfies").isPositive();
    assertThat(tied).as("cases with several least-loss nodes").isPositive();
    assertThat(diverse).as("cases with l-diversity and an optimum").isPositive();
    assertThat(withNulls).as("cases with missing sensitive values").isPositive();
    assertThat(nodes).as("nodes compared").isGreaterThan(SEARCH_CASES * 8L);
  }

  /** The module's search on the same records, encoded as its internal counts (one row per record). */
  private static LatticeSearch search(RandomMicrodata data, long budget) {
    int q = data.qis().size();
    List<EncodedHierarchy> hierarchies = new ArrayList<>();
    for (int t = 0; t < q; t++) {
      hierarchies.add(new EncodedHierarchy(new Hierarchy(data.qis().get(t), data.rows().get(t))));
    }
    int n = data.records().size();
    int[][] qi = new int[q][n];
    int[][] sensitive = new int[1][n];
    Map<String, Integer> sensitiveIds = new HashMap<>();
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      String[] r = data.records().get(i);
      for (int t = 0; t < q; t++) {
        qi[t][i] = hierarchies.get(t).leafIds.get(r[t]);
      }
      sensitive[0][i] = r[q] == null ? FrequencySet.NO_VALUE : sensitiveIds.computeIfAbsent(r[q], x -> sensitiveIds.size());
      counts[i] = 1;
    }
    FrequencySet frequencies = FrequencySet.of(qi, sensitive, new int[] {sensitiveIds.size()}, counts);
    int[] l = data.l() == 0 ? new int[] {1} : new int[] {data.l()};
    return new LatticeSearch(frequencies, hierarchies, data.k(), budget, l);
  }
}
