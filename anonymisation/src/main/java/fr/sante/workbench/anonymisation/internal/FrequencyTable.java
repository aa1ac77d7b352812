package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table of counts over 1 to 4 dimensions, with all its margins: a margin cell carries {@link #TOTAL} in
 * each dimension it sums over. Cells are keyed by their coordinates, in dimension order.
 */
public final class FrequencyTable {
  /** The coordinate of a margin in the dimensions it sums over. */
  public static final String TOTAL = "Total";

  public static final int MAX_DIMENSIONS = 4;

  private final List<String> dimensions;
  private final List<List<String>> categories;
  private final Map<List<String>, Long> cells;

  private FrequencyTable(List<String> dimensions, List<List<String>> categories, Map<List<String>, Long> cells) {
    this.dimensions = dimensions;
    this.categories = categories;
    this.cells = cells;
  }

  /**
   * The table of {@code inner} counts (one per combination present; absent combinations count 0) with
   * every margin computed.
   */
  public static FrequencyTable withMargins(List<String> dimensions, Map<List<String>, Long> inner) {
    if (dimensions.isEmpty() || dimensions.size() > MAX_DIMENSIONS) {
      throw new AnonymisationException("Invalid table: " + dimensions.size() + " dimensions (must be 1 to " + MAX_DIMENSIONS + ")");
    }
    List<Set<String>> seen = new ArrayList<>();
    for (int d = 0; d < dimensions.size(); d++) {
      seen.add(new LinkedHashSet<>());
    }
    for (Map.Entry<List<String>, Long> cell : inner.entrySet()) {
      List<String> key = cell.getKey();
      if (key.size() != dimensions.size()) {
        throw new AnonymisationException("Expected " + dimensions.size() + " coordinates " + dimensions + " but found " + key);
      }
      if (cell.getValue() == null || cell.getValue() < 0) {
        throw new AnonymisationException("Invalid count for cell " + key + ": " + cell.getValue() + " (must be >= 0)");
      }
      for (int d = 0; d < key.size(); d++) {
        String category = key.get(d);
        if (category.indexOf('\n') >= 0 || category.indexOf('\r') >= 0) {
          throw new AnonymisationException(
              "Invalid category '" + category.replace("\n", "\\n").replace("\r", "\\r") + "' in dimension " + dimensions.get(d)
                  + ": it holds a line break, which a published CSV line cannot (replace it in the query, e.g. with translate or regexp_replace)");
        }
        if (category.strip().equalsIgnoreCase(TOTAL) || category.isBlank()) {
          // a reader of table.csv could not tell it from a margin row (or from a hidden value)
          throw new AnonymisationException(
              "Invalid category '" + category + "' in dimension " + dimensions.get(d) + ": " + (category.isBlank() ? "an empty category" : "it reads as the margin label '" + TOTAL + "'")
                  + " (rename or filter it in the query)");
        }
        seen.get(d).add(category);
      }
    }
    List<List<String>> categories = new ArrayList<>();
    for (Set<String> values : seen) {
      List<String> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      categories.add(List.copyOf(sorted));
    }
    Map<List<String>, Long> cells = new LinkedHashMap<>();
    for (List<String> key : allKeys(categories)) {
      cells.put(key, 0L);
    }
    for (Map.Entry<List<String>, Long> cell : inner.entrySet()) {
      for (List<String> target : marginsOf(cell.getKey())) {
        cells.merge(target, cell.getValue(), Long::sum);
      }
    }
    return new FrequencyTable(List.copyOf(dimensions), List.copyOf(categories), Collections.unmodifiableMap(cells));
  }

  /**
   * A table read back from a published file: every cell (inner and margins) with its count, suppressed
   * cells included with any placeholder (the verifier treats them as unknowns).
   */
  public static FrequencyTable fromCells(List<String> dimensions, Map<List<String>, Long> cells) {
    List<List<String>> categories = new ArrayList<>();
    for (int d = 0; d < dimensions.size(); d++) {
      Set<String> values = new java.util.TreeSet<>();
      for (List<String> key : cells.keySet()) {
        if (!TOTAL.equals(key.get(d))) {
          values.add(key.get(d));
        }
      }
      categories.add(List.copyOf(values));
    }
    for (List<String> key : allKeys(categories)) {
      if (!cells.containsKey(key)) {
        throw new AnonymisationException("Expected cell " + key + " in the published table but it is missing");
      }
    }
    return new FrequencyTable(List.copyOf(dimensions), List.copyOf(categories), Collections.unmodifiableMap(new LinkedHashMap<>(cells)));
  }

  public List<String> dimensions() {
    return dimensions;
  }

  /** Categories of dimension {@code d}, sorted. */
  public List<String> categories(int d) {
    return categories.get(d);
  }

  /** Every cell, inner cells and margins, in a stable order. */
  public Map<List<String>, Long> cells() {
    return cells;
  }

  public long count(List<String> key) {
    Long count = cells.get(key);
    if (count == null) {
      throw new AnonymisationException("No cell " + key + " in the table over " + dimensions);
    }
    return count;
  }

  /**
   * Sums of another column of the same inner cells (any sign) over this table's cells and margins, in
   * {@link #cells()}'s order.
   */
  public long[] marginSums(Map<List<String>, Long> inner) {
    Map<List<String>, Integer> index = new java.util.HashMap<>();
    int i = 0;
    for (List<String> key : cells.keySet()) {
      index.put(key, i++);
    }
    long[] sums = new long[cells.size()];
    for (Map.Entry<List<String>, Long> cell : inner.entrySet()) {
      for (List<String> target : marginsOf(cell.getKey())) {
        Integer at = index.get(target);
        if (at == null) {
          throw new AnonymisationException("No cell " + target + " in the table over " + dimensions);
        }
        sums[at] = Math.addExact(sums[at], cell.getValue());
      }
    }
    return sums;
  }

  /** Whether the cell sums over at least one dimension. */
  public static boolean isMargin(List<String> key) {
    return key.contains(TOTAL);
  }

  /**
   * The additive relations of the table: for each margin cell and each dimension it sums over, the cell
   * equals the sum of the cells with a category in that dimension instead of {@link #TOTAL}.
   */
  public List<Relation> relations() {
    List<Relation> out = new ArrayList<>();
    for (List<String> key : cells.keySet()) {
      for (int d = 0; d < key.size(); d++) {
        if (TOTAL.equals(key.get(d))) {
          List<List<String>> parts = new ArrayList<>();
          for (String category : categories.get(d)) {
            List<String> part = new ArrayList<>(key);
            part.set(d, category);
            parts.add(List.copyOf(part));
          }
          out.add(new Relation(key, parts));
        }
      }
    }
    return out;
  }

  /** A margin cell and the cells it is the sum of. */
  public record Relation(List<String> total, List<List<String>> parts) {
    public Relation {
      total = List.copyOf(total);
      parts = List.copyOf(parts);
    }

    public boolean involves(List<String> key) {
      return total.equals(key) || parts.contains(key);
    }
  }

  /** Every cell of a table over these categories (one list per dimension), margins ({@link #TOTAL}) included, in table order. */
  public static List<List<String>> allKeys(List<List<String>> categories) {
    List<List<String>> keys = new ArrayList<>();
    keys.add(List.of());
    for (List<String> values : categories) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : keys) {
        for (String value : values) {
          next.add(append(prefix, value));
        }
        next.add(append(prefix, TOTAL));
      }
      keys = next;
    }
    return keys;
  }

  /** The cell itself and every margin it contributes to. */
  public static List<List<String>> marginsOf(List<String> key) {
    List<List<String>> out = new ArrayList<>();
    int n = key.size();
    for (int mask = 0; mask < (1 << n); mask++) {
      List<String> target = new ArrayList<>(key);
      for (int d = 0; d < n; d++) {
        if ((mask & (1 << d)) != 0) {
          target.set(d, TOTAL);
        }
      }
      out.add(List.copyOf(target));
    }
    return out;
  }

  private static List<String> append(List<String> prefix, String value) {
    List<String> out = new ArrayList<>(prefix);
    out.add(value);
    return List.copyOf(out);
  }
}
