package fr.sante.workbench.anonymisation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The attacker's own reading of a published {@code table.csv} (no code shared with the gate): a header of the
 * dimensions, the count column and {@code suppressed}; one line per cell, a hidden cell with an empty count.
 * Only tables of counts (no amount columns) with plain coordinates (no quotes, no commas) are read.
 */
record AttackerCsv(List<String> dimensions, Map<List<String>, OptionalLong> cells) {
  static final String TOTAL = "Total";

  static AttackerCsv read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    if (lines.isEmpty()) {
      throw new IllegalStateException("Expected a header in " + file + " but found an empty file");
    }
    List<String> header = fields(lines.get(0), file, 1);
    if (header.size() < 3 || !header.get(header.size() - 1).equals("suppressed")) {
      throw new IllegalStateException("Expected a header 'dims..., count, suppressed' in " + file + " but found " + header);
    }
    int dims = header.size() - 2;
    Map<List<String>, OptionalLong> cells = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      List<String> fields = fields(lines.get(i), file, i + 1);
      if (fields.size() != header.size()) {
        throw new IllegalStateException("Expected " + header.size() + " fields at line " + (i + 1) + " of " + file + " but found " + fields.size());
      }
      String count = fields.get(dims);
      boolean hidden = Boolean.parseBoolean(fields.get(dims + 1));
      if (hidden != count.isEmpty()) {
        throw new IllegalStateException("Expected an empty count exactly when suppressed at line " + (i + 1) + " of " + file + " but found " + fields);
      }
      List<String> key = List.copyOf(fields.subList(0, dims));
      if (cells.put(key, hidden ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(count))) != null) {
        throw new IllegalStateException("Expected each cell once in " + file + " but found " + key + " twice");
      }
    }
    return new AttackerCsv(List.copyOf(header.subList(0, dims)), cells);
  }

  private static List<String> fields(String line, Path file, int number) {
    if (line.indexOf('"') >= 0) {
      throw new IllegalStateException("Expected plain fields at line " + number + " of " + file + " but found quotes: " + line);
    }
    return List.of(line.split(",", -1));
  }

  /** This table's cells, plus the margins of {@code other} (the same table published with its margins). */
  AttackerCsv withMarginsOf(AttackerCsv other) {
    Map<List<String>, OptionalLong> all = new LinkedHashMap<>(cells);
    other.cells.forEach((key, value) -> {
      if (key.contains(TOTAL)) {
        all.putIfAbsent(key, value);
      }
    });
    return new AttackerCsv(dimensions, all);
  }

  /** The categories of dimension {@code d}, in file order, without {@code Total}. */
  List<String> categories(int d) {
    List<String> out = new ArrayList<>();
    for (List<String> key : cells.keySet()) {
      String c = key.get(d);
      if (!c.equals(TOTAL) && !out.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
