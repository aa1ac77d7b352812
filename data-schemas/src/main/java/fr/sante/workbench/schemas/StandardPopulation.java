package fr.sante.workbench.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The European Standard Population 2013 (Eurostat, "Revision of the European Standard Population", 2013
 * edition, KS-RA-13-028): 19 five-year bands, 0-4 to 90+, weights summing to 100,000. Stored in
 * {@code esp2013.csv}.
 */
public final class StandardPopulation {
  private StandardPopulation() {}

  /**
   * One age band.
   *
   * @param ageMax last age of the band, empty for the open band (90+)
   */
  public record Band(int ageMin, Optional<Integer> ageMax, int weight) {}

  private static final List<Band> ESP2013 = load();

  /** The 19 bands (read once). */
  public static List<Band> esp2013() {
    return ESP2013;
  }

  private static List<Band> load() {
    List<Band> bands = new ArrayList<>();
    for (List<String> row : CsvResources.read("esp2013.csv", "age_min;age_max;weight")) {
      Optional<Integer> max = row.get(1).isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(row.get(1)));
      bands.add(new Band(Integer.parseInt(row.get(0)), max, Integer.parseInt(row.get(2))));
    }
    return List.copyOf(bands);
  }
}
