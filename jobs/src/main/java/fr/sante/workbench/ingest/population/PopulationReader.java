package fr.sante.workbench.ingest.population;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import java.io.BufferedReader;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the two population layouts: INSEE estimates ({@code dep;l_dep;annee;sexe;age_max_cat;value}, long)
 * and the régime général protected population (RNIAM; {@code l_dpt,dpt,} then 19 bands of men and 19 of
 * women, the women's headers suffixed {@code .1}). The RNIAM file has several rows for départements with
 * several CPAM (e.g. Nord, written {@code 5N}): they are summed.
 */
final class PopulationReader {
  static final String INSEE_HEADER = "dep;l_dep;annee;sexe;age_max_cat;value";
  static final String SOURCE_INSEE = "insee-estimates";
  static final String SOURCE_RG = "rg-protected";
  private static final Pattern BAND = Pattern.compile("(\\d+) à (\\d+) ans");
  private static final Pattern OPEN_BAND = Pattern.compile("(\\d+) ans et plus");
  private static final Pattern YEAR = Pattern.compile("(?<!\\d)((?:19|20)\\d{2})(?!\\d)");

  /** One population figure; {@code ageMax} is null for the open band. */
  record Figure(int year, String geoCode, int sex, int ageMin, Integer ageMax, long persons, String source) {}

  /** What a file gave, with the number of source rows merged into another (several CPAM a département). */
  record Read(List<Figure> figures, int mergedRows) {}

  private final String file;

  PopulationReader(String file) {
    this.file = file;
  }

  Read read(BufferedReader in) throws IOException {
    String header = in.readLine();
    if (header == null) {
      throw new WorkbenchException("Expected a header in population file '" + file + "' but the file is empty");
    }
    header = header.replace("\uFEFF", "");
    if (header.equals(INSEE_HEADER)) {
      return new Read(insee(in), 0);
    }
    if (header.startsWith("l_dpt,dpt,")) {
      return rnIam(header, in);
    }
    throw new WorkbenchException(
        "Expected a population header '" + INSEE_HEADER + "' (INSEE estimates) or 'l_dpt,dpt,0 à 4 ans,...' (régime général protected population) in '"
            + file + "' but found '" + header + "'");
  }

  private List<Figure> insee(BufferedReader in) throws IOException {
    List<String[]> rows = new ArrayList<>();
    String line;
    int maxBand = 0;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      String[] c = line.split(";", -1);
      if (c.length != 6) {
        throw error(rows.size() + 2, "6 fields", c.length + " fields");
      }
      if (!c[4].equals("inf")) {
        maxBand = Math.max(maxBand, parseInt(c[4], rows.size() + 2, "age_max_cat"));
      }
      rows.add(c);
    }
    List<Figure> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] c = rows.get(i);
      int line2 = i + 2;
      Departement dep = Geography.departement(c[0]).orElseThrow(() -> error(line2, "a département code in column dep", "'" + c[0] + "'"));
      int sex = switch (c[3]) {
        case "h" -> 1;
        case "f" -> 2;
        default -> throw error(line2, "sexe h or f", "'" + c[3] + "'");
      };
      int ageMin;
      Integer ageMax;
      if (c[4].equals("inf")) {
        ageMin = maxBand + 1;
        ageMax = null;
      } else {
        ageMax = parseInt(c[4], line2, "age_max_cat");
        ageMin = ageMax - 4;
      }
      out.add(new Figure(parseInt(c[2], line2, "annee"), dep.code(), sex, ageMin, ageMax, parseCount(c[5], line2), SOURCE_INSEE));
    }
    return out;
  }

  private Read rnIam(String header, BufferedReader in) throws IOException {
    String[] names = header.split(",", -1);
    Matcher y = YEAR.matcher(file);
    if (!y.find()) {
      throw new WorkbenchException("Cannot tell the year of '" + file + "': expected it in the file name, e.g. population-protegee-rg-departement-2014.csv");
    }
    int year = Integer.parseInt(y.group(1));
    int[][] bands = new int[names.length][];
    int[] sexes = new int[names.length];
    for (int i = 2; i < names.length; i++) {
      String name = names[i].trim();
      sexes[i] = name.endsWith(".1") ? 2 : 1;
      String band = name.endsWith(".1") ? name.substring(0, name.length() - 2) : name;
      Matcher closed = BAND.matcher(band);
      Matcher open = OPEN_BAND.matcher(band);
      if (closed.matches()) {
        bands[i] = new int[] {Integer.parseInt(closed.group(1)), Integer.parseInt(closed.group(2))};
      } else if (open.matches()) {
        bands[i] = new int[] {Integer.parseInt(open.group(1)), -1};
      } else {
        throw new WorkbenchException("In '" + file + "', header column " + (i + 1) + ": expected an age band like '0 à 4 ans' or '90 ans et plus' but found '" + name + "'");
      }
    }
    Map<String, long[]> byDep = new LinkedHashMap<>();
    String line;
    int number = 1;
    int merged = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      String[] c = line.split(",", -1);
      if (c.length != names.length) {
        throw error(number, names.length + " fields", c.length + " fields");
      }
      Departement dep = departement(c[1], c[0]).orElseThrow(errorFor(number, c[1], c[0]));
      long[] counts = byDep.get(dep.code());
      if (counts == null) {
        counts = new long[names.length];
        byDep.put(dep.code(), counts);
      } else {
        merged++;
      }
      for (int i = 2; i < names.length; i++) {
        counts[i] += parseCount(c[i], number);
      }
    }
    List<Figure> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byDep.entrySet()) {
      for (int i = 2; i < names.length; i++) {
        out.add(new Figure(year, e.getKey(), sexes[i], bands[i][0], bands[i][1] < 0 ? null : bands[i][1], e.getValue()[i], SOURCE_RG));
      }
    }
    return new Read(out, merged);
  }

  /** The département of a row: its code, or else the name after the dash of {@code l_dpt} ("5-Nord" is 59). */
  private static Optional<Departement> departement(String code, String label) {
    Optional<Departement> byCode = Geography.departement(code);
    if (byCode.isPresent()) {
      return byCode;
    }
    String name = plain(label.contains("-") ? label.substring(label.indexOf('-') + 1) : label);
    return Geography.departements().values().stream().filter(d -> plain(d.label()).equals(name)).findFirst();
  }

  private java.util.function.Supplier<WorkbenchException> errorFor(int line, String code, String label) {
    return () -> error(line, "a département code or name", "'" + code + "' ('" + label + "')");
  }

  private int parseInt(String text, int line, String column) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw error(line, "an integer in column " + column, "'" + text + "'");
    }
  }

  private long parseCount(String text, int line) {
    try {
      double v = Double.parseDouble(text.trim());
      if (v < 0 || v != Math.rint(v)) {
        throw error(line, "a whole number of people >= 0", "'" + text + "'");
      }
      return (long) v;
    } catch (NumberFormatException e) {
      throw error(line, "a number of people", "'" + text + "'");
    }
  }

  private WorkbenchException error(int line, String expected, String found) {
    return new WorkbenchException("In population file '" + file + "', line " + line + ": expected " + expected + " but found " + found);
  }

  private static String plain(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replaceAll("[^a-zA-Z]", "").toLowerCase(Locale.ROOT);
  }
}
