package fr.sante.workbench.ingest.openmedic;

import fr.sante.workbench.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of an Open Medic file: column names matched case-insensitively ({@code l_ATC1}, {@code L_ATC2},
 * {@code age}/{@code AGE}, {@code L_CIP13} all occur), each mapped to its position. An {@code OPEN_MEDIC}
 * base must have the 21 columns of the reference (§3.2); an {@code NB} base must have {@code NBC} and may
 * lack any of the others. Unknown columns are refused: a file we do not understand writes nothing.
 *
 * @param positions canonical column (upper case) → 0-based position
 * @param width number of fields of a line
 */
record OpenMedicHeader(Map<String, Integer> positions, int width) {
  /** The columns of a recent Open Medic file, in file order (reference §3.2), plus NB_'s consumer count. */
  static final List<String> COLUMNS =
      List.of("ATC1", "L_ATC1", "ATC2", "L_ATC2", "ATC3", "L_ATC3", "ATC4", "L_ATC4", "ATC5", "L_ATC5", "CIP13", "L_CIP13", "TOP_GEN", "GEN_NUM",
          "AGE", "SEXE", "BEN_REG", "PSP_SPE", "BOITES", "REM", "BSE", "NBC");

  static OpenMedicHeader parse(String line, String base, String file) {
    String[] names = line.split(";", -1);
    int width = names.length;
    if (width > 1 && names[width - 1].isBlank()) {
      width--; // a trailing ';'
    }
    Map<String, Integer> positions = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      String name = names[i].trim().toUpperCase(Locale.ROOT);
      if (!COLUMNS.contains(name)) {
        unknown.add(names[i]);
      } else if (positions.put(name, i) != null) {
        throw new WorkbenchException("Invalid Open Medic header in '" + file + "': column '" + names[i] + "' appears twice");
      }
    }
    if (!unknown.isEmpty()) {
      throw new WorkbenchException("Invalid Open Medic header in '" + file + "': unknown columns " + unknown + " (expected names among " + COLUMNS + ", in any case)");
    }
    List<String> missing = new ArrayList<>();
    if (base.equals(OpenMedicFiles.MAIN)) {
      COLUMNS.stream().filter(c -> !c.equals("NBC") && !positions.containsKey(c)).forEach(missing::add);
    } else if (!positions.containsKey("NBC")) {
      missing.add("NBC");
    }
    if (!missing.isEmpty()) {
      throw new WorkbenchException("Invalid Open Medic header in '" + file + "': missing columns " + missing + " for a " + base + " base (found " + List.of(names) + ")");
    }
    return new OpenMedicHeader(Map.copyOf(positions), width);
  }
}
