package fr.sante.workbench.export;

import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.LDiversity;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.testing.KAnonymityOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small random record-level result and its policy: 3–4 quasi-identifiers with tree hierarchies of 2–4
 * levels (some levels merging nothing, so that losses tie; some leaves never observed), one sensitive
 * column, k from 2 to 6, an optional distinct l-diversity rule and a suppression budget.
 *
 * @param rows per quasi-identifier, its hierarchy's rows (original value first)
 * @param records quasi-identifiers first, then the sensitive value (may be null when {@code withNulls})
 */
record RandomMicrodata(int seed, List<String> qis, List<List<List<String>>> rows, List<String[]> records, int k, int l, double maxSuppression) {
  static final String SENSITIVE = "s";
  private static final double[] SHARES = {0, 0.01, 0.02, 0.05, 0.07, 0.1, 0.15, 0.2, 0.29, 0.3, 0.57};

  static RandomMicrodata generate(int seed, boolean withNulls) {
    Random random = new Random(seed);
    int q = 3 + random.nextInt(2);
    List<String> qis = new ArrayList<>();
    List<List<List<String>>> hierarchies = new ArrayList<>();
    int[] observedLeaves = new int[q];
    for (int t = 0; t < q; t++) {
      String column = "q" + t;
      qis.add(column);
      int observed = 2 + random.nextInt(7);
      int leaves = observed + (random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0);
      observedLeaves[t] = observed;
      hierarchies.add(hierarchy(column, leaves, 2 + random.nextInt(3), random));
    }
    int n = 8 + random.nextInt(120);
    int distinctSensitive = 1 + random.nextInt(4);
    boolean nulls = withNulls && random.nextInt(3) == 0;
    List<String[]> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] r = new String[q + 1];
      for (int t = 0; t < q; t++) {
        // skewed, so that some values are rare
        int leaf = Math.min(observedLeaves[t] - 1, (int) Math.floor(Math.abs(random.nextGaussian()) * observedLeaves[t] / 2.5));
        r[t] = hierarchies.get(t).get(leaf).get(0);
      }
      r[q] = nulls && random.nextInt(8) == 0 ? null : "s" + random.nextInt(distinctSensitive);
      records.add(r);
    }
    int k = 2 + random.nextInt(5);
    int l = random.nextInt(3) == 0 ? 0 : 2 + random.nextInt(2);
    return new RandomMicrodata(seed, qis, hierarchies, records, k, l, SHARES[random.nextInt(SHARES.length)]);
  }

  /** A tree: each level groups the previous level's groups by 1 (merging nothing) to 4; the top is "*" or not. */
  private static List<List<String>> hierarchy(String column, int leaves, int levels, Random random) {
    int[] group = new int[leaves];
    List<List<String>> rows = new ArrayList<>();
    for (int v = 0; v < leaves; v++) {
      group[v] = v;
      rows.add(new ArrayList<>(List.of(column + "_" + v)));
    }
    boolean star = random.nextInt(4) != 0;
    for (int level = 1; level < levels; level++) {
      int width = 1 + random.nextInt(4);
      for (int v = 0; v < leaves; v++) {
        group[v] = group[v] / width;
        rows.get(v).add(level == levels - 1 && star ? "*" : column + "_L" + level + "_" + group[v]);
      }
    }
    return rows;
  }

  MicrodataPolicy policy() {
    List<Hierarchy> hierarchies = new ArrayList<>();
    for (int t = 0; t < qis.size(); t++) {
      hierarchies.add(new Hierarchy(qis.get(t), rows.get(t)));
    }
    List<LDiversity> diversity = l == 0 ? List.of() : List.of(new LDiversity(SENSITIVE, l));
    List<String> insensitive = l == 0 ? List.of(SENSITIVE) : List.of();
    return new MicrodataPolicy(new KAnonymity(qis, k), hierarchies, diversity, insensitive, maxSuppression);
  }

  KAnonymityOracle oracle() {
    int[] qiColumns = new int[qis.size()];
    List<List<Map<String, String>>> maps = new ArrayList<>();
    for (int t = 0; t < qis.size(); t++) {
      qiColumns[t] = t;
      maps.add(KAnonymityOracle.levelMaps(rows.get(t)));
    }
    List<KAnonymityOracle.Diversity> diversity = l == 0 ? List.of() : List.of(new KAnonymityOracle.Diversity(qis.size(), l));
    return new KAnonymityOracle(records, qiColumns, maps, k, diversity, maxSuppression);
  }

  List<String> columns() {
    List<String> columns = new ArrayList<>(qis);
    columns.add(SENSITIVE);
    return columns;
  }

  @Override
  public String toString() {
    return "case " + seed + " (" + records.size() + " records, " + qis.size() + " quasi-identifiers, k " + k + (l == 0 ? "" : ", l " + l) + ", max-suppression " + maxSuppression + ")";
  }
}
