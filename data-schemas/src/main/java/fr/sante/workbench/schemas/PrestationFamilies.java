package fr.sante.workbench.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * Families of {@code PRS_NAT} codes by code range ({@code prestation-families.csv}): a reading of the code
 * labels in the open-data reference (§1.5), <b>not an official CNAM grouping</b>. Codes outside every range
 * (0 and 9999 included) belong to {@link #UNKNOWN}.
 */
public final class PrestationFamilies {
  /** The family of codes outside every range: 0 SANS OBJET, 9999 VALEUR INCONNUE and unlisted ranges. */
  public static final String UNKNOWN = "other-or-unknown";

  private PrestationFamilies() {}

  /** One range of codes, both ends included. */
  public record Range(int firstCode, int lastCode, String family, String label) {
    public Range {
      if (firstCode > lastCode) {
        throw new SchemaException("Invalid prestation family '" + family + "': first code " + firstCode + " after last code " + lastCode);
      }
    }

    public boolean contains(int code) {
      return code >= firstCode && code <= lastCode;
    }
  }

  private static final List<Range> RANGES = load();

  /** The ranges in code order; they never overlap (read once). */
  public static List<Range> ranges() {
    return RANGES;
  }

  private static List<Range> load() {
    List<Range> ranges = new ArrayList<>();
    for (List<String> row : CsvResources.read("prestation-families.csv", "first_code;last_code;family;label")) {
      Range range = new Range(Integer.parseInt(row.get(0)), Integer.parseInt(row.get(1)), row.get(2), row.get(3));
      if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).lastCode() >= range.firstCode()) {
        throw new SchemaException("Invalid prestation-families.csv: range " + range + " overlaps or precedes " + ranges.get(ranges.size() - 1));
      }
      ranges.add(range);
    }
    return List.copyOf(ranges);
  }

  /** The family of one code. */
  public static String familyOf(int code) {
    for (Range range : ranges()) {
      if (range.contains(code)) {
        return range.family();
      }
    }
    return UNKNOWN;
  }
}
