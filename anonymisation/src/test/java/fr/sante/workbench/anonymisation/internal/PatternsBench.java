package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark of secondary patterns (run by {@code bench/anonymise --patterns}, not a test): random small 2-D
 * (3 to 5 categories a side) and 3-D (2 to 3 a side) tables with margins and a few small cells; the gate's pattern
 * against the optimal one ({@link OptimalPattern}), each checked by the ojalgo attacker. Prints a Markdown
 * section, then the gate's time on 60 x 60 tables with few small cells. Args: TABLES SEED [OPTIMUM_SECONDS [LABEL]]
 * (LABEL names our rows, default "gate": a run on other classes, e.g. an older gate, can say so), or
 * {@code sixty LABEL} for the 60 x 60 tables only.
 */
public final class PatternsBench {
  private PatternsBench() {}

  /** One table's figures: cells and persons hidden by secondary suppression, and times. */
  private record Row(int cells, int small, int oursCells, long oursTotal, double oursSeconds, int optCells, long optTotal, double optSeconds, boolean optimal, String method) {}

  public static void main(String[] args) {
    if (args[0].equals("sixty")) {
      sixty(args[1]);
      return;
    }
    int tables = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    long limit = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 120_000;
    String ours = args.length > 3 ? args[3] : "gate";
    // ojAlgo prints a note about hardware profiles on standard output when first used: keep it off the table
    java.io.PrintStream stdout = System.out;
    System.setOut(System.err);
    new OjalgoAttacker(FrequencyTable.withMargins(List.of("d"), Map.of(List.of("a"), 1L, List.of("b"), 2L)), Set.of(List.of("a"), List.of("b"))).interval(List.of("a"));
    System.setOut(stdout);
    SuppressionPolicy policy = SuppressionPolicy.defaults();
    System.out.printf(Locale.ROOT, "### Secondary patterns vs the optimum, %d random 2-D and %d random 3-D tables (min count %d, seed %d)%n%n", tables, tables, policy.minCount(), seed);
    System.out.println("Ours: the gate's own choice (`CellSuppression.protect`: the LP method, greedy search then post-pass, for 2-D; hypercubes for 3-D), and for 3-D also the LP method forced. "
        + "Extra = ours minus the optimum, per table (negative: ours hid fewer cells, but more persons).");
    System.out.println("Optimum: fewest persons hidden by secondary suppression, then fewest cells (ojalgo MIP + LP attacker, `OptimalPattern`, test tree), "
        + "limited to " + limit / 1000 + " s per table. Every pattern is re-checked by the ojalgo attacker (`OjalgoAttacker`): small cells protected, no secondary cell computable.");
    System.out.println();
    System.out.println("| tables | contender | equal to optimum (cells and persons) | extra hidden cells mean / median / max | extra persons hidden mean / median / max | persons hidden, ours / optimum (sum) | time mean / median / max (s) |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    List<String> notes = new ArrayList<>();
    for (int dims : new int[] {2, 3}) {
      Random random = new Random(seed + dims);
      List<Row> gate = new ArrayList<>();
      List<Row> forced = new ArrayList<>();
      int unproven = 0;
      int failures = 0;
      int computable = 0;
      for (int t = 0; t < tables; t++) {
        FrequencyTable table = table(random, dims, policy);
        long start = System.nanoTime();
        OptimalPattern.Outcome optimum = OptimalPattern.solve(table, policy, limit);
        double optSeconds = (System.nanoTime() - start) / 1e9;
        unproven += optimum.optimal() ? 0 : 1;
        List<ProtectionMethod> methods = dims == 2 ? List.of(ProtectionMethod.LP) : List.of(ProtectionMethod.HYPERCUBE, ProtectionMethod.LP);
        for (ProtectionMethod method : methods) {
          start = System.nanoTime();
          CellSuppression.Result result = CellSuppression.protect(table, policy, Amounts.none(), method);
          double seconds = (System.nanoTime() - start) / 1e9;
          Set<List<String>> hidden = new LinkedHashSet<>(result.primary());
          hidden.addAll(result.secondary());
          OjalgoAttacker attacker = new OjalgoAttacker(table, hidden);
          for (List<String> cell : result.primary()) {
            failures += attacker.protects(cell, policy.minCount()) ? 0 : 1;
          }
          for (List<String> cell : result.secondary()) {
            computable += SecondaryPruning.isPoint(attacker.interval(cell)) ? 1 : 0;
          }
          Row row = new Row(table.cells().size(), result.primary().size(), result.secondary().size(), result.secondaryLoss(), seconds, optimum.secondary().size(), optimum.secondaryTotal(), optSeconds, optimum.optimal(),
              result.method().name());
          (method == methods.get(0) ? gate : forced).add(row);
        }
      }
      String label = dims == 2 ? tables + " 2-D (3-5 x 3-5)" : tables + " 3-D (2-3 x 2-3 x 2-3)";
      print(label, dims == 2 ? ours + " (LP method)" : ours + " (hypercubes)", gate);
      if (!forced.isEmpty()) {
        print(label, ours + ", LP method forced", forced);
      }
      print(label, "optimum", gate, true);
      long lp = gate.stream().filter(r -> r.method().equals("LP")).count();
      notes.add(String.format(Locale.ROOT, "%s: %d small cells in all (%.1f a table, %d to %d cells with margins); the gate used LP on %d tables, cubes on %d; optimum proven on %d of %d (otherwise its cost is a lower bound); "
              + "under-protected small cells found by the ojalgo attacker in our patterns: %d; secondary cells it computes exactly: %d.",
          label, gate.stream().mapToInt(Row::small).sum(), gate.stream().mapToInt(Row::small).average().orElse(0), gate.stream().mapToInt(Row::cells).min().orElse(0), gate.stream().mapToInt(Row::cells).max().orElse(0),
          lp, gate.size() - lp, tables - unproven, tables, failures, computable));
    }
    System.out.println();
    notes.forEach(n -> System.out.println("- " + n));
    System.out.println();
    sixty(ours);
  }

  /** The time budget: the gate on 60 x 60 tables (3,721 cells with margins) with 0.3 % and 1 % small cells. */
  private static void sixty(String ours) {
    System.out.println("### " + ours + " on 60 x 60 tables with few small cells (protection step only, first table includes JIT warm-up)");
    System.out.println();
    System.out.println("| small share | seed | method | small cells | secondary cells | persons hidden | wall s | CPU s (this thread) |");
    System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|");
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (double share : new double[] {0.003, 0.01}) {
      for (int seed = 1; seed <= 3; seed++) {
        Random random = new Random(seed);
        Map<List<String>, Long> inner = new HashMap<>();
        for (int a = 0; a < 60; a++) {
          for (int b = 0; b < 60; b++) {
            inner.put(List.of("a" + a, "b" + b), random.nextDouble() < share ? 1L + random.nextInt(10) : 11L + (long) Math.exp(random.nextDouble() * 7));
          }
        }
        FrequencyTable table = FrequencyTable.withMargins(List.of("a", "b"), inner);
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        CellSuppression.Result result = CellSuppression.protect(table, SuppressionPolicy.defaults());
        System.out.printf(Locale.ROOT, "| %.1f %% | %d | %s | %d | %d | %,d | %.2f | %.2f |%n", share * 100, seed, result.method(), result.primary().size(), result.secondary().size(), result.secondaryLoss(),
            (System.nanoTime() - wall) / 1e9, (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
      }
    }
  }

  private static void print(String label, String contender, List<Row> rows) {
    print(label, contender, rows, false);
  }

  private static void print(String label, String contender, List<Row> rows, boolean optimum) {
    if (optimum) {
      System.out.printf(Locale.ROOT, "| %s | %s | | | | %,d | %s |%n", label, contender, rows.stream().mapToLong(Row::optTotal).sum(), stats(rows, Row::optSeconds, "%.3f"));
      return;
    }
    long equal = rows.stream().filter(r -> r.oursCells() == r.optCells() && r.oursTotal() == r.optTotal()).count();
    System.out.printf(Locale.ROOT, "| %s | %s | %d of %d | %s | %s | %,d / %,d | %s |%n", label, contender, equal, rows.size(),
        stats(rows, r -> r.oursCells() - r.optCells(), "%.2f"), stats(rows, r -> r.oursTotal() - r.optTotal(), "%.1f"),
        rows.stream().mapToLong(Row::oursTotal).sum(), rows.stream().mapToLong(Row::optTotal).sum(), stats(rows, Row::oursSeconds, "%.3f"));
  }

  private static String stats(List<Row> rows, ToDoubleFunction<Row> value, String format) {
    double[] v = rows.stream().mapToDouble(value).sorted().toArray();
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(Locale.ROOT, format + " / " + format + " / " + format, Arrays.stream(v).average().orElse(0), median, v[v.length - 1]);
  }

  /** A random table with at least one small cell: skewed counts, about one inner cell in six small. */
  private static FrequencyTable table(Random random, int dims, SuppressionPolicy policy) {
    while (true) {
      List<String> dimensions = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int d = 0; d < dims; d++) {
        dimensions.add("d" + d);
        sizes.add(dims == 3 ? 2 + random.nextInt(2) : 3 + random.nextInt(3));
      }
      Map<List<String>, Long> inner = new HashMap<>();
      SecondaryPatternsTest.fill(inner, new ArrayList<>(), sizes, random);
      FrequencyTable table = FrequencyTable.withMargins(dimensions, inner);
      if (table.cells().values().stream().anyMatch(policy::isSmall)) {
        return table;
      }
    }
  }
}
