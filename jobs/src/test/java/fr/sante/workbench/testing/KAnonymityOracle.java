package fr.sante.workbench.testing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A k-anonymity / l-diversity evaluator written from the documentation only (README "Record-level results",
 * {@code Hierarchy}, {@code LDiversity}, {@code Generalisation} and {@code LatticeSearch}'s javadoc), sharing no
 * code with the anonymisation module: plain records, hierarchies as plain maps, every node of the lattice.
 *
 * <p>The rules as documented:
 *
 * <ul>
 *   <li>a node is one level per quasi-identifier; each value is replaced by its label at that level;
 *   <li>a class (records with the same generalised quasi-identifiers) is suppressed when it has fewer than
 *       {@code k} records, or fewer than {@code l} distinct values of a sensitive column (distinct
 *       l-diversity; a missing value is no value, as SQL's {@code count(distinct)});
 *   <li>the node satisfies the rules when the suppressed records are at most {@code max-suppression} × records
 *       (the share taken as the decimal the user wrote, so 0.29 of 100 records allows 29);
 *   <li>loss (Iyengar's granularity): a published value standing for {@code m} of the quasi-identifier's
 *       {@code M} observed original values costs {@code (m − 1) / (M − 1)}; the loss is the mean over every
 *       record and quasi-identifier (suppressed records included: the loss is known before any class is
 *       counted);
 *   <li>the optimum is a satisfying node of least loss.
 * </ul>
 */
public final class KAnonymityOracle {
  /** Losses closer than this are equal (floating-point sums in a different order). */
  public static final double LOSS_TOLERANCE = 1e-9;

  /** Distinct l-diversity of the sensitive value at {@code column} of each record. */
  public record Diversity(int column, int l) {}

  /** One node of the lattice: its levels, what the rules suppress there and its loss. */
  public record Node(int[] levels, long suppressed, long classes, double loss, boolean satisfies) {
    @Override
    public String toString() {
      return Arrays.toString(levels) + " (suppressed " + suppressed + ", classes " + classes + ", loss " + loss + (satisfies ? ", satisfies" : ", fails") + ")";
    }
  }

  /** The satisfying nodes of least loss (several when tied), or none; and how many nodes were counted. */
  public record Optimum(List<Node> best, int evaluated) {
    public boolean exists() {
      return !best.isEmpty();
    }

    public double loss() {
      return best.get(0).loss();
    }

    public boolean contains(int[] levels) {
      return best.stream().anyMatch(n -> Arrays.equals(n.levels(), levels));
    }
  }

  private final List<String[]> records;
  private final int[] qiColumns;
  /** [qi][level] → original value → label at that level (level 0: the value itself). */
  private final List<List<Map<String, String>>> hierarchies;
  private final int k;
  private final List<Diversity> diversity;
  private final long budget;
  /** [qi][level] → sum over the records of the granularity of their value at that level. */
  private final double[][] granularitySums;
  /** The distinct records (every column) and how many times each occurs. */
  private final List<String[]> distinctRows = new ArrayList<>();
  private final long[] weights;
  /** [qi][level][distinct row] → number of its label at that level; [qi][level] → labels at that level. */
  private final int[][][] labelIds;
  private final int[][] labelCounts;

  /**
   * @param records the result's rows, all as strings ({@code null} for a missing sensitive value)
   * @param qiColumns where each quasi-identifier is in a record
   * @param hierarchies per quasi-identifier, one map per level above the original values (level 1 first):
   *     original value → its generalisation at that level
   */
  public KAnonymityOracle(List<String[]> records, int[] qiColumns, List<List<Map<String, String>>> hierarchies, int k, List<Diversity> diversity, double maxSuppression) {
    this.records = List.copyOf(records);
    this.qiColumns = qiColumns.clone();
    this.k = k;
    this.diversity = List.copyOf(diversity);
    this.budget = BigDecimal.valueOf(maxSuppression).multiply(BigDecimal.valueOf(records.size())).setScale(0, RoundingMode.FLOOR).longValueExact();
    this.hierarchies = new ArrayList<>();
    for (List<Map<String, String>> above : hierarchies) {
      List<Map<String, String>> levels = new ArrayList<>();
      Map<String, String> identity = new HashMap<>();
      above.get(0).keySet().forEach(v -> identity.put(v, v));
      levels.add(identity);
      levels.addAll(above);
      this.hierarchies.add(levels);
    }
    this.granularitySums = new double[qiColumns.length][];
    for (int t = 0; t < qiColumns.length; t++) {
      int column = qiColumns[t];
      Set<String> observed = new HashSet<>();
      this.records.forEach(r -> observed.add(r[column]));
      List<Map<String, String>> levels = this.hierarchies.get(t);
      granularitySums[t] = new double[levels.size()];
      for (int level = 0; level < levels.size(); level++) {
        Map<String, Integer> observedUnder = new HashMap<>();
        for (String value : observed) {
          observedUnder.merge(label(t, level, value), 1, Integer::sum);
        }
        double sum = 0;
        for (String[] r : this.records) {
          int m = observedUnder.get(label(t, level, r[column]));
          sum += observed.size() == 1 ? 0 : (m - 1) / (double) (observed.size() - 1);
        }
        granularitySums[t][level] = sum;
      }
    }
    Map<List<String>, Integer> rowIndex = new LinkedHashMap<>();
    List<Long> counts = new ArrayList<>();
    for (String[] r : this.records) {
      Integer row = rowIndex.putIfAbsent(Arrays.asList(r), rowIndex.size());
      if (row == null) {
        distinctRows.add(r);
        counts.add(1L);
      } else {
        counts.set(row, counts.get(row) + 1);
      }
    }
    weights = counts.stream().mapToLong(Long::longValue).toArray();
    labelIds = new int[qiColumns.length][][];
    labelCounts = new int[qiColumns.length][];
    long keySpace = 1;
    for (int t = 0; t < qiColumns.length; t++) {
      int levels = this.hierarchies.get(t).size();
      labelIds[t] = new int[levels][distinctRows.size()];
      labelCounts[t] = new int[levels];
      for (int level = 0; level < levels; level++) {
        Map<String, Integer> ids = new HashMap<>();
        for (int row = 0; row < distinctRows.size(); row++) {
          String label = label(t, level, distinctRows.get(row)[qiColumns[t]]);
          labelIds[t][level][row] = ids.computeIfAbsent(label, x -> ids.size());
        }
        labelCounts[t][level] = Math.max(1, ids.size());
      }
      // a class key numbers the labels of every quasi-identifier: it must fit a long (throws otherwise)
      keySpace = Math.multiplyExact(keySpace, labelCounts[t][0]);
    }
  }

  /** Suppressed records allowed: floor(max-suppression × records). */
  public long budget() {
    return budget;
  }

  /** Highest level of each quasi-identifier. */
  public int[] heights() {
    return hierarchies.stream().mapToInt(h -> h.size() - 1).toArray();
  }

  private String label(int qi, int level, String value) {
    String label = hierarchies.get(qi).get(level).get(value);
    if (label == null) {
      throw new IllegalArgumentException("Value '" + value + "' of quasi-identifier " + qi + " is not in its hierarchy");
    }
    return label;
  }

  /** The loss of a node: known without counting any class. */
  public double loss(int[] levels) {
    double sum = 0;
    for (int t = 0; t < levels.length; t++) {
      sum += granularitySums[t][levels[t]];
    }
    return records.isEmpty() ? 0 : sum / ((double) records.size() * levels.length);
  }

  /** The records of each class at {@code levels}, in first-seen order. */
  private Map<List<String>, List<String[]>> classes(int[] levels) {
    Map<List<String>, List<String[]>> classes = new LinkedHashMap<>();
    for (String[] r : records) {
      classes.computeIfAbsent(key(r, levels), x -> new ArrayList<>()).add(r);
    }
    return classes;
  }

  private List<String> key(String[] r, int[] levels) {
    List<String> key = new ArrayList<>(levels.length);
    for (int t = 0; t < levels.length; t++) {
      key.add(label(t, levels[t], r[qiColumns[t]]));
    }
    return key;
  }

  private boolean kept(List<String[]> members) {
    if (members.size() < k) {
      return false;
    }
    for (Diversity d : diversity) {
      Set<String> values = new HashSet<>();
      members.forEach(r -> values.add(r[d.column()]));
      values.remove(null);
      if (values.size() < d.l()) {
        return false;
      }
    }
    return true;
  }

  /** Classes, suppression and loss of one node. */
  public Node evaluate(int[] levels) {
    // the distinct rows, weighted, with each label numbered: the same classes as classes(levels), faster
    Map<Long, Integer> index = new HashMap<>();
    List<long[]> sizes = new ArrayList<>();
    List<List<Set<String>>> sensitive = new ArrayList<>();
    for (int row = 0; row < distinctRows.size(); row++) {
      long key = 0;
      for (int t = 0; t < levels.length; t++) {
        key = key * labelCounts[t][levels[t]] + labelIds[t][levels[t]][row];
      }
      Integer c = index.get(key);
      if (c == null) {
        c = sizes.size();
        index.put(key, c);
        sizes.add(new long[1]);
        List<Set<String>> sets = new ArrayList<>();
        diversity.forEach(d -> sets.add(new HashSet<>()));
        sensitive.add(sets);
      }
      sizes.get(c)[0] += weights[row];
      for (int d = 0; d < diversity.size(); d++) {
        String value = distinctRows.get(row)[diversity.get(d).column()];
        if (value != null) {
          sensitive.get(c).get(d).add(value);
        }
      }
    }
    long suppressed = 0;
    long kept = 0;
    for (int c = 0; c < sizes.size(); c++) {
      boolean keep = sizes.get(c)[0] >= k;
      for (int d = 0; d < diversity.size(); d++) {
        keep &= sensitive.get(c).get(d).size() >= diversity.get(d).l();
      }
      if (keep) {
        kept++;
      } else {
        suppressed += sizes.get(c)[0];
      }
    }
    return new Node(levels.clone(), suppressed, kept, loss(levels), suppressed <= budget);
  }

  /** Classes, suppression and loss of one node, record by record with string keys (slow, for small data). */
  public Node evaluateRecordByRecord(int[] levels) {
    long suppressed = 0;
    long kept = 0;
    for (List<String[]> members : classes(levels).values()) {
      if (kept(members)) {
        kept++;
      } else {
        suppressed += members.size();
      }
    }
    return new Node(levels.clone(), suppressed, kept, loss(levels), suppressed <= budget);
  }

  /**
   * The records published at {@code levels}: those of the classes the rules keep, quasi-identifiers replaced by
   * their labels, every other column as it is.
   */
  public List<List<String>> released(int[] levels) {
    List<List<String>> out = new ArrayList<>();
    for (List<String[]> members : classes(levels).values()) {
      if (kept(members)) {
        for (String[] r : members) {
          String[] copy = r.clone();
          for (int t = 0; t < levels.length; t++) {
            copy[qiColumns[t]] = label(t, levels[t], r[qiColumns[t]]);
          }
          out.add(Arrays.asList(copy));
        }
      }
    }
    return out;
  }

  /** Every node of the lattice, evaluated. */
  public List<Node> lattice() {
    List<Node> nodes = new ArrayList<>();
    allLevels().forEach(levels -> nodes.add(evaluate(levels)));
    return nodes;
  }

  /** The satisfying nodes of least loss, from every node of the lattice. */
  public Optimum bruteForce() {
    List<Node> nodes = lattice();
    double least = nodes.stream().filter(Node::satisfies).mapToDouble(Node::loss).min().orElse(Double.NaN);
    List<Node> best = nodes.stream().filter(n -> n.satisfies() && n.loss() <= least + LOSS_TOLERANCE).toList();
    return new Optimum(best, nodes.size());
  }

  /**
   * The same optimum for large lattices: the loss of every node is known without counting, so the nodes are
   * counted by increasing loss until the loss exceeds the least satisfying one (no monotonicity assumed).
   */
  public Optimum byIncreasingLoss() {
    List<int[]> all = allLevels();
    all.sort(Comparator.comparingDouble(this::loss));
    List<Node> best = new ArrayList<>();
    int evaluated = 0;
    for (int[] levels : all) {
      double loss = loss(levels);
      if (!best.isEmpty() && loss > best.get(0).loss() + LOSS_TOLERANCE) {
        break;
      }
      Node node = evaluate(levels);
      evaluated++;
      if (node.satisfies()) {
        best.add(node);
      }
    }
    return new Optimum(best, evaluated);
  }

  private List<int[]> allLevels() {
    int[] heights = heights();
    List<int[]> all = new ArrayList<>();
    int[] levels = new int[heights.length];
    while (true) {
      all.add(levels.clone());
      int t = 0;
      while (t < levels.length && levels[t] == heights[t]) {
        levels[t] = 0;
        t++;
      }
      if (t == levels.length) {
        return all;
      }
      levels[t]++;
    }
  }

  /** Hierarchy rows (original value first, then each level) as the per-level maps the oracle takes. */
  public static List<Map<String, String>> levelMaps(List<List<String>> rows) {
    List<Map<String, String>> maps = new ArrayList<>();
    for (int level = 1; level < rows.get(0).size(); level++) {
      Map<String, String> map = new HashMap<>();
      for (List<String> row : rows) {
        if (map.put(row.get(0), row.get(level)) != null) {
          throw new IllegalArgumentException("Value '" + row.get(0) + "' appears twice in a hierarchy");
        }
      }
      maps.add(map);
    }
    return maps;
  }
}
