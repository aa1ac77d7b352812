package fr.sante.workbench.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Open Medic's prescriber specialities ({@code openmedic_psp_spe}) mapped onto Open DAMIR's
 * ({@code PSP_SPE_SNDS}, code list {@code ps_spe_snds}), from {@code open-medic-speciality-map.csv}. Codes
 * without a counterpart (dentists, salaried and non-physician prescribers) map to nothing, with the reason.
 */
public final class SpecialityMap {
  private SpecialityMap() {}

  /** One Open Medic code: its Open DAMIR code if any, and why not otherwise. */
  public record Entry(String openMedicCode, Optional<String> damirCode, String note) {}

  public static Map<String, Entry> openMedicToDamir() {
    Map<String, Entry> out = new LinkedHashMap<>();
    CodeList openMedic = CodeLists.load("openmedic_psp_spe");
    CodeList damir = CodeLists.load("ps_spe_snds");
    for (List<String> row : CsvResources.read("open-medic-speciality-map.csv", "openmedic_code;damir_psp_spe_snds;note")) {
      if (!openMedic.contains(row.get(0))) {
        throw new SchemaException("Invalid open-medic-speciality-map.csv: '" + row.get(0) + "' is not in code list openmedic_psp_spe");
      }
      if (!row.get(1).isEmpty() && !damir.contains(row.get(1))) {
        throw new SchemaException("Invalid open-medic-speciality-map.csv: '" + row.get(1) + "' is not in code list ps_spe_snds");
      }
      out.put(row.get(0), new Entry(row.get(0), row.get(1).isEmpty() ? Optional.empty() : Optional.of(row.get(1)), row.get(2)));
    }
    return out;
  }
}
