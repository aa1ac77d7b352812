package fr.sante.workbench.anonymisation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random tables of counts whose true values the tests know (the attacker's ground truth, computed here, not by
 * the gate): inner cells with many zeros and small counts, and every margin summed by hand.
 */
record TruthTables(List<String> dimensions, Map<List<String>, Long> inner, Map<List<String>, Long> margins) {
  static final String TOTAL = "Total";

  /** A table of {@code categories[d]} categories per dimension; {@code smallShare} of the cells are in 1..minCount-1. */
  static TruthTables random(Random random, int[] categories, double smallShare, int minCount) {
    List<String> dims = new ArrayList<>();
    List<List<String>> values = new ArrayList<>();
    for (int d = 0; d < categories.length; d++) {
      dims.add("d" + d);
      List<String> cs = new ArrayList<>();
      for (int c = 0; c < categories[d]; c++) {
        cs.add("c" + c);
      }
      values.add(cs);
    }
    Map<List<String>, Long> inner = new LinkedHashMap<>();
    for (List<String> key : product(values)) {
      double u = random.nextDouble();
      long count = u < 0.1 ? 0 : u < 0.1 + smallShare ? 1 + random.nextInt(minCount - 1) : minCount + (long) Math.floor(Math.exp(random.nextDouble() * 5));
      inner.put(key, count);
    }
    Map<List<String>, Long> margins = new LinkedHashMap<>();
    for (Map.Entry<List<String>, Long> cell : inner.entrySet()) {
      // every way of replacing some coordinates by Total, except none
      int n = cell.getKey().size();
      for (int mask = 1; mask < 1 << n; mask++) {
        List<String> margin = new ArrayList<>(cell.getKey());
        for (int d = 0; d < n; d++) {
          if ((mask & 1 << d) != 0) {
            margin.set(d, TOTAL);
          }
        }
        margins.merge(List.copyOf(margin), cell.getValue(), Long::sum);
      }
    }
    return new TruthTables(List.copyOf(dims), inner, margins);
  }

  /** The true count of any cell, inner or margin. */
  long count(List<String> key) {
    Long value = inner.containsKey(key) ? inner.get(key) : margins.get(key);
    if (value == null) {
      throw new IllegalArgumentException("Expected a cell of the table but found " + key);
    }
    return value;
  }

  private static List<List<String>> product(List<List<String>> values) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (List<String> cs : values) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : out) {
        for (String c : cs) {
          List<String> key = new ArrayList<>(prefix);
          key.add(c);
          next.add(List.copyOf(key));
        }
      }
      out = next;
    }
    return out;
  }
}
