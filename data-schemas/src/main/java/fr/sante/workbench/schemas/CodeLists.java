package fr.sante.workbench.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads the code-list CSV resources ({@code code;label}, UTF-8, header line) of this module. */
public final class CodeLists {
  private static final String FOLDER = "codelists/";
  private static final Map<String, CodeList> CACHE = new ConcurrentHashMap<>();

  private CodeLists() {}

  /** The code list with this name, e.g. {@code region}. */
  public static CodeList load(String name) {
    return CACHE.computeIfAbsent(name, CodeLists::read);
  }

  private static CodeList read(String name) {
    String resource = FOLDER + name + ".csv";
    try (InputStream in = CodeLists.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new SchemaException("Cannot load code list '" + name + "': resource '" + resource + "' is missing");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = reader.readLine();
      if (!"code;label".equals(header)) {
        throw new SchemaException(
            "Expected header 'code;label' in code list '" + resource + "' but found '" + header + "'");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      String line;
      int lineNumber = 1;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isEmpty()) {
          continue;
        }
        List<String> cells = splitCsv(line);
        if (cells.size() != 2) {
          throw new SchemaException(
              "Expected 2 fields in code list '" + resource + "' but found " + cells.size() + " at line " + lineNumber);
        }
        if (labels.put(cells.get(0), cells.get(1)) != null) {
          throw new SchemaException(
              "Cannot load code list '" + resource + "': code '" + cells.get(0) + "' appears twice");
        }
      }
      return new CodeList(name, labels);
    } catch (IOException e) {
      throw new SchemaException("Cannot read code list '" + resource + "': " + e.getMessage(), e);
    }
  }

  /** Splits one line of {@code ;}-separated CSV with optional double-quoted fields. */
  static List<String> splitCsv(String line) {
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
      } else if (c == ';') {
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
