package fr.sante.workbench.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code ;}-separated UTF-8 resources of this module (code lists, geography, standard populations). */
final class CsvResources {
  private CsvResources() {}

  /** The data rows of {@code resource}, after checking its header line. */
  static List<List<String>> read(String resource, String expectedHeader) {
    try (InputStream in = CsvResources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new SchemaException("Cannot load '" + resource + "': the resource is missing");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = reader.readLine();
      if (!expectedHeader.equals(header)) {
        throw new SchemaException("Expected header '" + expectedHeader + "' in '" + resource + "' but found '" + header + "'");
      }
      int columns = expectedHeader.split(";", -1).length;
      List<List<String>> rows = new ArrayList<>();
      String line;
      int lineNumber = 1;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isEmpty()) {
          continue;
        }
        List<String> cells = split(line);
        if (cells.size() != columns) {
          throw new SchemaException(
              "Expected " + columns + " fields in '" + resource + "' but found " + cells.size() + " at line " + lineNumber);
        }
        rows.add(cells);
      }
      return rows;
    } catch (IOException e) {
      throw new SchemaException("Cannot read '" + resource + "': " + e.getMessage(), e);
    }
  }

  /** Splits one line of {@code ;}-separated CSV with optional double-quoted fields. */
  static List<String> split(String line) {
    return CsvLines.split(line, ';');
  }
}
