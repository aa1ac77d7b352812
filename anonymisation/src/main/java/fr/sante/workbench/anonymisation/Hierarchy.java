package fr.sante.workbench.anonymisation;

import fr.sante.workbench.schemas.CsvLines;
import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A generalisation hierarchy of one quasi-identifier, as data: one row per original value, most specific
 * level first, the most general last (ARX's CSV layout). It must be a tree: a value of level {@code j}
 * always generalises to the same value of level {@code j + 1}.
 *
 * @param column the quasi-identifier it generalises
 * @param rows one row per original value, each with {@link #levels()} values
 */
public record Hierarchy(String column, List<List<String>> rows) {
  /** The built-in hierarchies a policy may name instead of a file. */
  public static final List<String> BUILT_IN = List.of("geography", "month", "age");

  public Hierarchy {
    if (column == null || column.isBlank()) {
      throw new AnonymisationException("Invalid hierarchy: no column name");
    }
    rows = rows.stream().map(List::copyOf).toList();
    if (rows.isEmpty()) {
      throw new AnonymisationException("Invalid hierarchy of '" + column + "': no rows");
    }
    int levels = rows.get(0).size();
    Map<String, String> parents = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = rows.get(i);
      if (row.size() != levels) {
        throw new AnonymisationException(
            "Invalid hierarchy of '" + column + "': row " + (i + 1) + " (" + row.get(0) + ") has " + row.size() + " levels, expected " + levels + " like the first row");
      }
      if (parents.putIfAbsent("0|" + row.get(0), "") != null) {
        throw new AnonymisationException("Invalid hierarchy of '" + column + "': value '" + row.get(0) + "' appears twice (row " + (i + 1) + ")");
      }
      for (int j = 1; j < levels; j++) {
        String key = j + "|" + row.get(j - 1);
        if (j > 1) {
          String previous = parents.putIfAbsent(key, row.get(j));
          if (previous != null && !previous.equals(row.get(j))) {
            throw new AnonymisationException(
                "Invalid hierarchy of '" + column + "': '" + row.get(j - 1) + "' at level " + (j - 1) + " generalises to both '" + previous + "' and '"
                    + row.get(j) + "' at level " + j + " (row " + (i + 1) + "); a hierarchy must be a tree");
          }
        }
      }
    }
  }

  /** Number of levels, the original values included. */
  public int levels() {
    return rows.get(0).size();
  }

  /**
   * A hierarchy file in ARX's layout: {@code ;}-separated, one line per value, most specific first.
   */
  public static Hierarchy read(String column, Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AnonymisationException("Cannot read the hierarchy of '" + column + "' from '" + file + "': " + e.getMessage());
    }
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank()) {
        rows.add(CsvLines.split(line.strip(), ';'));
      }
    }
    if (rows.isEmpty()) {
      throw new AnonymisationException("Invalid hierarchy file '" + file + "' for '" + column + "': it is empty");
    }
    return new Hierarchy(column, rows);
  }

  /**
   * A hierarchy given in a policy: a built-in name ({@code geography}: département → region → France;
   * {@code month}: {@code yyyy-MM} → quarter → year → *; {@code age}: age in years → 5, 10, 20 years → *) or
   * the path of an ARX-layout file, relative to {@code baseDir}.
   */
  public static Hierarchy of(String column, String spec, Path baseDir) {
    return switch (spec.toLowerCase(Locale.ROOT)) {
      case "geography" -> geography(column);
      case "month" -> months(column, 2000, 2040);
      case "age" -> ages(column);
      default -> read(column, baseDir.resolve(spec));
    };
  }

  /** Département (INSEE code, {@code 01}…{@code 976}) → INSEE region (2016) → {@code France}. */
  public static Hierarchy geography(String column) {
    List<List<String>> rows = new ArrayList<>();
    for (Departement d : Geography.departements().values()) {
      rows.add(List.of(d.code(), d.region(), "France"));
    }
    return new Hierarchy(column, rows);
  }

  /** Months {@code yyyy-MM} of the given years → {@code yyyy-Qn} → {@code yyyy} → {@code *}. */
  public static Hierarchy months(String column, int fromYear, int toYear) {
    List<List<String>> rows = new ArrayList<>();
    for (int year = fromYear; year <= toYear; year++) {
      for (int month = 1; month <= 12; month++) {
        rows.add(List.of(String.format(Locale.ROOT, "%d-%02d", year, month), year + "-Q" + ((month + 2) / 3), String.valueOf(year), "*"));
      }
    }
    return new Hierarchy(column, rows);
  }

  /** Ages 0–120 in years → 5-year, 10-year, 20-year bands → {@code *}. */
  public static Hierarchy ages(String column) {
    List<List<String>> rows = new ArrayList<>();
    for (int age = 0; age <= 120; age++) {
      rows.add(List.of(String.valueOf(age), band(age, 5), band(age, 10), band(age, 20), "*"));
    }
    return new Hierarchy(column, rows);
  }

  private static String band(int age, int width) {
    int low = age / width * width;
    return low + "-" + (low + width - 1);
  }
}
