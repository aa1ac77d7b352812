package fr.sante.workbench.schemas;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line whose fields may be double-quoted ({@code ""} inside quotes is one quote). */
public final class CsvLines {
  private CsvLines() {}

  /** RFC 4180 quoting of one field of a {@code ,}-separated file: quoted only when it holds a comma, quote or line break. */
  public static String quote(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  public static List<String> split(String line, char delimiter) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }
}
