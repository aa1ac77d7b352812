package fr.sante.workbench.schemas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kind of each pharmacy {@code PRS_NAT} code of 3300-3399 ({@code pharmacy-lines.csv}): {@code medicines}
 * (PHARMACIE x %, hospital pharmacy, preparations, vaccines, medicines), {@code dispensing-fees} (HONORAIRES DE
 * DISPENSATION, whose quantity counts fees, not boxes) and {@code other-pharmacist-fees} (on-call, surcharges,
 * prescription copies, target-based pay). It is a reading of the code-list labels, <b>not an official CNAM
 * grouping</b>. Codes the file does not list are {@link #UNKNOWN}: codes whose label says neither medicines nor
 * pharmacist fees (3324 ECART MEDICAMENT INDEMNISABLE, 3329 FORFAIT MEDICAMENT IVG VILLE, 3355 MARGE FORFAITAIRE,
 * 3374 KIT ANTI-GRIPPE), codes new to the real files (e.g. 3380, seen in A202501 but not in the code list) and
 * every code outside 3300-3399.
 */
public final class PharmacyLines {
  /** The kind of codes the file does not list. */
  public static final String UNKNOWN = PrestationFamilies.UNKNOWN;
  /** The label of {@link #UNKNOWN}. */
  public static final String UNKNOWN_LABEL = "Other or unknown (pharmacy code of no listed kind, or not a pharmacy code)";
  /** The codes the file may list. */
  public static final int FIRST_CODE = 3300;
  public static final int LAST_CODE = 3399;

  private static final String RESOURCE = "pharmacy-lines.csv";

  /** One listed code and its kind. */
  public record Line(int code, String kind) {}

  private record Loaded(List<Line> lines, Map<String, String> labels) {}

  private static final Loaded LOADED = load();

  private PharmacyLines() {}

  /** The listed codes in code order (read once). */
  public static List<Line> lines() {
    return LOADED.lines();
  }

  /** The label of every kind in file order, {@link #UNKNOWN} last. */
  public static Map<String, String> labels() {
    return LOADED.labels();
  }

  /** The listed codes of one kind, in code order. */
  public static List<Integer> codesOf(String kind) {
    return lines().stream().filter(l -> l.kind().equals(kind)).map(Line::code).toList();
  }

  /** The listed codes of one kind in words, consecutive codes as ranges, e.g. {@code 3364-3366, 3383-3390}. */
  public static String describeCodes(String kind) {
    List<Integer> codes = codesOf(kind);
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < codes.size()) {
      int j = i;
      while (j + 1 < codes.size() && codes.get(j + 1) == codes.get(j) + 1) {
        j++;
      }
      parts.add(j == i ? String.valueOf(codes.get(i)) : codes.get(i) + "-" + codes.get(j));
      i = j + 1;
    }
    return String.join(", ", parts);
  }

  /** The kind of one code ({@link #UNKNOWN} when not listed). */
  public static String kindOf(int code) {
    return find(code).map(Line::kind).orElse(UNKNOWN);
  }

  /** The listed line of one code. */
  public static Optional<Line> find(int code) {
    return lines().stream().filter(l -> l.code() == code).findFirst();
  }

  private static Loaded load() {
    List<Line> lines = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (List<String> row : CsvResources.read(RESOURCE, "code;kind;kind_label")) {
      int code = Integer.parseInt(row.get(0));
      String kind = row.get(1);
      String label = row.get(2);
      if (code < FIRST_CODE || code > LAST_CODE) {
        throw new SchemaException("Invalid code in " + RESOURCE + ": " + code + " (must be a pharmacy code, " + FIRST_CODE + "-" + LAST_CODE + ")");
      }
      if (!lines.isEmpty() && lines.get(lines.size() - 1).code() >= code) {
        throw new SchemaException("Invalid " + RESOURCE + ": code " + code + " repeated or out of order (codes must be listed once, in increasing order)");
      }
      if (kind.isEmpty() || kind.equals(UNKNOWN)) {
        throw new SchemaException("Invalid kind of code " + code + " in " + RESOURCE + ": '" + kind + "' (must be named, and not '" + UNKNOWN + "': leave such codes out)");
      }
      String previous = labels.putIfAbsent(kind, label);
      if (previous != null && !previous.equals(label)) {
        throw new SchemaException("Expected one label for kind '" + kind + "' in " + RESOURCE + " but found '" + previous + "' and '" + label + "' (code " + code + ")");
      }
      lines.add(new Line(code, kind));
    }
    labels.put(UNKNOWN, UNKNOWN_LABEL);
    return new Loaded(List.copyOf(lines), java.util.Collections.unmodifiableMap(labels));
  }
}
