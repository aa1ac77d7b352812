package fr.sante.workbench.schemas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Départements, regions and their Open DAMIR codes, from {@code geography/*.csv}. */
public final class Geography {
  private static final Map<String, Departement> DEPARTEMENTS = load();
  private static final Map<String, String> REGIONS = loadRegions();

  private Geography() {}

  /** The 101 départements, by INSEE code. */
  public static Map<String, Departement> departements() {
    return DEPARTEMENTS;
  }

  /** The 2016 INSEE regions: code to label. */
  public static Map<String, String> regions() {
    return REGIONS;
  }

  /**
   * The département a source writes as {@code raw}: pads {@code 1} to {@code 01}, maps CNAM's numeric
   * Corse codes {@code 201}/{@code 202} to {@code 2A}/{@code 2B}.
   */
  public static Optional<Departement> departement(String raw) {
    String code = raw.trim().toUpperCase(java.util.Locale.ROOT);
    code = switch (code) {
      case "201" -> "2A";
      case "202" -> "2B";
      default -> code.length() == 1 ? "0" + code : code;
    };
    return Optional.ofNullable(DEPARTEMENTS.get(code));
  }

  private static Map<String, Departement> load() {
    Map<String, Departement> out = new LinkedHashMap<>();
    for (List<String> row : CsvResources.read("geography/departements.csv", "code;label;region;damir_region")) {
      out.put(row.get(0), new Departement(row.get(0), row.get(1), row.get(2), row.get(3)));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, String> loadRegions() {
    Map<String, String> out = new LinkedHashMap<>();
    for (List<String> row : CsvResources.read("geography/regions.csv", "code;label;damir_region")) {
      out.put(row.get(0), row.get(1));
    }
    return Collections.unmodifiableMap(out);
  }
}
