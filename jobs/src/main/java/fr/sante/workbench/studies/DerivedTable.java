package fr.sante.workbench.studies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Figures computed from published tables only (rates, growth, per-capita figures, standardised rates,
 * model coefficients): an empty string marks a figure that cannot be computed because a cell it needs was
 * suppressed by the gate (or a denominator is missing).
 *
 * @param sources the published tables it is computed from, for the reader and the DPO
 */
public record DerivedTable(String name, String title, List<String> headers, List<List<String>> rows, List<String> sources, String method) {
  public DerivedTable {
    headers = List.copyOf(headers);
    rows = rows.stream().map(List::copyOf).toList();
    sources = List.copyOf(sources);
    for (List<String> row : rows) {
      if (row.size() != headers.size()) {
        throw new IllegalArgumentException("Row " + row + " of derived table " + name + " has " + row.size() + " values for " + headers.size() + " headers");
      }
    }
  }

  /** This table with a sentence added to its method text. */
  public DerivedTable withNote(String note) {
    return new DerivedTable(name, title, headers, rows, sources, method + " " + note);
  }

  /** The column's values, in row order. */
  public List<String> column(String header) {
    int index = headers.indexOf(header);
    if (index < 0) {
      throw new IllegalArgumentException("Derived table " + name + " has no column '" + header + "' (columns: " + headers + ")");
    }
    return rows.stream().map(r -> r.get(index)).toList();
  }

  /** Writes {@code <dir>/<name>.csv} (comma-separated, header line, UTF-8). */
  public Path write(Path dir) {
    StringBuilder out = new StringBuilder();
    out.append(String.join(",", headers.stream().map(fr.sante.workbench.schemas.CsvLines::quote).toList())).append('\n');
    for (List<String> row : rows) {
      out.append(String.join(",", row.stream().map(fr.sante.workbench.schemas.CsvLines::quote).toList())).append('\n');
    }
    try {
      Path file = Files.createDirectories(dir).resolve(name + ".csv");
      Files.writeString(file, out, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + name + ".csv to " + dir, e);
    }
  }
}
