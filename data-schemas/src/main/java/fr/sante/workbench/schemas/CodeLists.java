package fr.sante.workbench.schemas;

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
    if (CodeLists.class.getResource(resource) == null) {
      throw new SchemaException("Cannot load code list '" + name + "': resource '" + resource + "' is missing");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (List<String> row : CsvResources.read(resource, "code;label")) {
      if (labels.put(row.get(0), row.get(1)) != null) {
        throw new SchemaException("Cannot load code list '" + resource + "': code '" + row.get(0) + "' appears twice");
      }
    }
    return new CodeList(name, labels);
  }
}
