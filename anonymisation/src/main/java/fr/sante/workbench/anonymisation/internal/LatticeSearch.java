package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-domain generalisation: finds, in the lattice of generalisation levels, the node of least information
 * loss that is k-anonymous (and l-diverse) once at most {@code budget} records in too-small classes are
 * suppressed.
 *
 * <p>Both properties are monotone: if a node satisfies the rules, every more general node does, and the loss
 * (Iyengar's granularity, see {@link #evaluate}) does not decrease when generalising. The loss is a sum over
 * quasi-identifiers, known for every node before any class is counted, so the search visits nodes by
 * increasing loss (then height, so predecessors come first) and stops at the first loss above the best
 * satisfying node found: that node is optimal, not a heuristic. A node above a satisfying one is skipped; a
 * node below a known failing node fails without counting; any other is evaluated, and when it fails a binary
 * search along a path to the top finds more failing and satisfying nodes at once (the idea of ARX's Flash).
 */
public final class LatticeSearch {
  private static final byte UNKNOWN = 0;
  private static final byte SATISFIES = 1;
  private static final byte FAILS = 2;
  /** The largest lattice searched (nodes); larger ones need fewer quasi-identifiers or shorter hierarchies. */
  public static final int MAX_NODES = 5_000_000;

  /** One evaluated node: its levels, what it would suppress, its loss. */
  public record Node(int[] levels, long suppressed, long classes, double loss, boolean satisfies) {}

  /**
   * The search's outcome; {@code best} is null when no node satisfies the rules within the budget;
   * {@code compared}: satisfying nodes whose loss was compared.
   */
  public record Outcome(Node best, int latticeNodes, int evaluated, int compared) {}

  private final FrequencySet data;
  private final List<EncodedHierarchy> hierarchies;
  private final int k;
  private final long budget;
  private final int[] l;
  private final int q;
  private final int[] heights;
  /** [qi][level][leaf] → granularity of the leaf's generalisation: (observed leaves under it − 1) / (observed leaves − 1). */
  private final double[][][] granularity;
  private int evaluations;

  public LatticeSearch(FrequencySet data, List<EncodedHierarchy> hierarchies, int k, long budget, int[] l) {
    this.data = data;
    this.hierarchies = hierarchies;
    this.k = k;
    this.budget = budget;
    this.l = l.clone();
    this.q = hierarchies.size();
    this.heights = hierarchies.stream().mapToInt(EncodedHierarchy::height).toArray();
    this.granularity = new double[q][][];
    for (int t = 0; t < q; t++) {
      granularity[t] = granularity(hierarchies.get(t), data.qi[t]);
    }
  }

  private static double[][] granularity(EncodedHierarchy h, int[] leaves) {
    boolean[] observed = new boolean[h.hierarchy.rows().size()];
    int domain = 0;
    for (int leaf : leaves) {
      if (!observed[leaf]) {
        observed[leaf] = true;
        domain++;
      }
    }
    double[][] result = new double[h.ids.length][observed.length];
    for (int level = 0; level < h.ids.length; level++) {
      int[] under = new int[h.labels[level].length];
      for (int leaf = 0; leaf < observed.length; leaf++) {
        if (observed[leaf]) {
          under[h.ids[level][leaf]]++;
        }
      }
      for (int leaf = 0; leaf < observed.length; leaf++) {
        result[level][leaf] = domain <= 1 ? 0 : (under[h.ids[level][leaf]] - 1) / (double) (domain - 1);
      }
    }
    return result;
  }

  /** Number of nodes of the lattice. */
  public long size() {
    long nodes = 1;
    for (int h : heights) {
      nodes *= h + 1;
    }
    return nodes;
  }

  public int evaluations() {
    return evaluations;
  }

  /**
   * Classes of the records generalised to {@code levels}; a class smaller than k, or with fewer than l
   * distinct values of a sensitive column, is suppressed. Loss: mean over records and quasi-identifiers of
   * the granularity of the published value (0 = original, 1 = fully generalised).
   */
  public Node evaluate(int[] levels) {
    evaluations++;
    Classes classes = classify(levels);
    long hidden = 0;
    long kept = 0;
    for (int c = 0; c < classes.sizes().length; c++) {
      if (classes.suppressed()[c]) {
        hidden += classes.sizes()[c];
      } else {
        kept++;
      }
    }
    double meanLoss = data.records == 0 || q == 0 ? 0 : classes.loss() / ((double) data.records * q);
    return new Node(levels.clone(), hidden, kept, meanLoss, hidden <= budget);
  }

  /** Sizes of the classes at {@code levels}: all of them, or only those the rules keep. */
  public long[] classSizes(int[] levels, boolean keptOnly) {
    Classes classes = classify(levels);
    return java.util.stream.IntStream.range(0, classes.sizes().length)
        .filter(c -> !keptOnly || !classes.suppressed()[c])
        .mapToLong(c -> classes.sizes()[c])
        .toArray();
  }

  /** The classes at some levels: their sizes, which ones the rules suppress, and the summed loss. */
  private record Classes(long[] sizes, boolean[] suppressed, double loss) {}

  private Classes classify(int[] levels) {
    long[] multiplier = new long[q];
    long radix = 1;
    for (int t = 0; t < q; t++) {
      multiplier[t] = radix;
      try {
        radix = Math.multiplyExact(radix, (long) hierarchies.get(t).labels[levels[t]].length);
      } catch (ArithmeticException e) {
        throw new AnonymisationException("Cannot anonymise: the quasi-identifiers' domains are too large to combine (over 2^63 combinations)");
      }
    }
    LongIntMap index = new LongIntMap(data.size);
    int[] classOf = new int[data.size];
    long[] classCount = new long[data.size];
    int classes = 0;
    double loss = 0;
    for (int i = 0; i < data.size; i++) {
      long key = 0;
      double rowLoss = 0;
      for (int t = 0; t < q; t++) {
        int leaf = data.qi[t][i];
        key += hierarchies.get(t).ids[levels[t]][leaf] * multiplier[t];
        rowLoss += granularity[t][levels[t]][leaf];
      }
      int c = index.putIfAbsent(key, classes);
      if (c < 0) {
        c = classes++;
      }
      classOf[i] = c;
      classCount[c] += data.counts[i];
      loss += rowLoss * data.counts[i];
    }
    boolean[] suppressed = new boolean[classes];
    for (int c = 0; c < classes; c++) {
      suppressed[c] = classCount[c] < k;
    }
    for (int s = 0; s < l.length; s++) {
      if (l[s] <= 1) {
        continue;
      }
      int[] distinct = new int[classes];
      LongIntMap seen = new LongIntMap(data.size);
      for (int i = 0; i < data.size; i++) {
        // a missing value is no value: Microdata keeps a class on count(distinct), which ignores nulls
        if (data.sensitive[s][i] != FrequencySet.NO_VALUE && seen.putIfAbsent((long) classOf[i] * data.sensitiveValues[s] + data.sensitive[s][i], 0) < 0) {
          distinct[classOf[i]]++;
        }
      }
      for (int c = 0; c < classes; c++) {
        suppressed[c] |= distinct[c] < l[s];
      }
    }
    return new Classes(Arrays.copyOf(classCount, classes), suppressed, loss);
  }

  public Outcome search() {
    long total = size();
    if (total > MAX_NODES) {
      throw new AnonymisationException(
          "Cannot anonymise: the generalisation lattice has " + total + " nodes (at most " + MAX_NODES + "); use fewer quasi-identifiers or shorter hierarchies");
    }
    int nodes = (int) total;
    int[] stride = new int[q];
    int s = 1;
    for (int t = 0; t < q; t++) {
      stride[t] = s;
      s *= heights[t] + 1;
    }
    byte[] status = new byte[nodes];
    Map<Integer, Node> evaluated = new HashMap<>();
    List<int[]> failing = new ArrayList<>();
    Node top = evaluate(heights);
    if (!top.satisfies()) {
      return new Outcome(null, nodes, evaluations, 0);
    }
    status[nodes - 1] = SATISFIES;
    evaluated.put(nodes - 1, top);
    // the loss is a sum over quasi-identifiers, so every node's loss is known before its classes are counted
    double[] loss = new double[nodes];
    int[] height = new int[nodes];
    Integer[] order = new Integer[nodes];
    double[][] levelLoss = levelLoss();
    for (int node = 0; node < nodes; node++) {
      int[] levels = decode(node, stride);
      for (int t = 0; t < q; t++) {
        loss[node] += levelLoss[t][levels[t]];
        height[node] += levels[t];
      }
      order[node] = node;
    }
    // by loss, then height: a node's predecessors come before it
    Arrays.sort(order, Comparator.<Integer>comparingDouble(n -> loss[n]).thenComparingInt(n -> height[n]));
    Node best = null;
    int candidates = 0;
    int path = 0;
    for (int node : order) {
      if (best != null && loss[node] > best.loss() + EPSILON) {
        break;
      }
      int[] levels = decode(node, stride);
      if (hasSatisfyingPredecessor(node, levels, stride, status)) {
        status[node] = SATISFIES; // worse than or equal to a node already compared
        continue;
      }
      if (status[node] == FAILS) {
        continue;
      }
      Node result;
      if (status[node] == SATISFIES) {
        result = evaluated.get(node);
      } else if (isBelow(levels, failing)) {
        status[node] = FAILS;
        continue;
      } else {
        result = evaluate(levels);
        status[node] = result.satisfies() ? SATISFIES : FAILS;
        if (!result.satisfies()) {
          failing.add(levels);
          searchPath(levels, path++, stride, status, evaluated, failing);
          continue;
        }
      }
      candidates++;
      if (best == null || result.loss() < best.loss() - EPSILON || (result.loss() <= best.loss() + EPSILON && result.suppressed() < best.suppressed())) {
        best = result;
      }
    }
    return new Outcome(best, nodes, evaluations, candidates);
  }

  private static final double EPSILON = 1e-12;

  /** [qi][level] → that quasi-identifier's share of the loss at that level. */
  private double[][] levelLoss() {
    double[][] result = new double[q][];
    double denominator = data.records == 0 ? 1 : (double) data.records * q;
    for (int t = 0; t < q; t++) {
      result[t] = new double[heights[t] + 1];
      for (int level = 0; level <= heights[t]; level++) {
        double sum = 0;
        for (int i = 0; i < data.size; i++) {
          sum += granularity[t][level][data.qi[t][i]] * data.counts[i];
        }
        result[t][level] = sum / denominator;
      }
    }
    return result;
  }

  /** Binary search for the lowest satisfying node on a path from the failing {@code start} to the top. */
  private void searchPath(int[] start, int pathNumber, int[] stride, byte[] status, Map<Integer, Node> evaluated, List<int[]> failing) {
    List<int[]> path = new ArrayList<>();
    int[] current = start.clone();
    int t = pathNumber % q;
    while (!Arrays.equals(current, heights)) {
      while (current[t] == heights[t]) {
        t = (t + 1) % q;
      }
      current[t]++;
      path.add(current.clone());
      t = (t + 1) % q;
    }
    int low = -1;
    int high = path.size() - 1;
    while (high - low > 1) {
      int mid = (low + high) >>> 1;
      int[] levels = path.get(mid);
      int node = encode(levels, stride);
      boolean satisfies;
      if (status[node] != UNKNOWN) {
        satisfies = status[node] == SATISFIES;
      } else if (isBelow(levels, failing)) {
        status[node] = FAILS;
        satisfies = false;
      } else {
        Node result = evaluate(levels);
        satisfies = result.satisfies();
        status[node] = satisfies ? SATISFIES : FAILS;
        if (satisfies) {
          evaluated.put(node, result);
        } else {
          failing.add(levels);
        }
      }
      if (satisfies) {
        high = mid;
      } else {
        low = mid;
      }
    }
  }

  private boolean hasSatisfyingPredecessor(int node, int[] levels, int[] stride, byte[] status) {
    for (int t = 0; t < q; t++) {
      if (levels[t] > 0 && status[node - stride[t]] == SATISFIES) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBelow(int[] levels, List<int[]> failing) {
    for (int[] f : failing) {
      boolean below = true;
      for (int t = 0; t < levels.length && below; t++) {
        below = levels[t] <= f[t];
      }
      if (below) {
        return true;
      }
    }
    return false;
  }

  private int[][] byHeight(int nodes, int[] stride) {
    int maxHeight = Arrays.stream(heights).sum();
    int[] sizes = new int[maxHeight + 1];
    int[] height = new int[nodes];
    for (int node = 0; node < nodes; node++) {
      height[node] = Arrays.stream(decode(node, stride)).sum();
      sizes[height[node]]++;
    }
    int[][] result = new int[maxHeight + 1][];
    for (int h = 0; h <= maxHeight; h++) {
      result[h] = new int[sizes[h]];
    }
    int[] fill = new int[maxHeight + 1];
    for (int node = 0; node < nodes; node++) {
      result[height[node]][fill[height[node]]++] = node;
    }
    return result;
  }

  private int[] decode(int node, int[] stride) {
    int[] levels = new int[q];
    for (int t = q - 1; t >= 0; t--) {
      levels[t] = node / stride[t];
      node %= stride[t];
    }
    return levels;
  }

  private static int encode(int[] levels, int[] stride) {
    int node = 0;
    for (int t = 0; t < levels.length; t++) {
      node += levels[t] * stride[t];
    }
    return node;
  }

  /** Open-addressing map of non-negative long keys to int values. */
  public static final class LongIntMap {
    private final long[] keys;
    private final int[] values;
    private final int mask;

    LongIntMap(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
      keys = new long[capacity];
      Arrays.fill(keys, -1L);
      values = new int[capacity];
      mask = capacity - 1;
    }

    /** The value of {@code key}, or -1 after inserting {@code value} for it. */
    int putIfAbsent(long key, int value) {
      int slot = (int) (mix(key) & mask);
      while (keys[slot] != -1L) {
        if (keys[slot] == key) {
          return values[slot];
        }
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = value;
      return -1;
    }

    private static long mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return h ^ (h >>> 29);
    }
  }
}
