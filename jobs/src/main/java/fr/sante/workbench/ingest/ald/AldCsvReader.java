package fr.sante.workbench.ingest.ald;

import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.Geography;
import fr.sante.workbench.schemas.Schemas;
import fr.sante.workbench.schemas.TableSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the documented long CSV layout ({@code ald-prevalence-long.schema.json}): one figure per line, any
 * year, level (FR, REG, DEP), sex and age class. Any problem names the file, line and column.
 */
final class AldCsvReader {
  private static final Pattern MASKED = Pattern.compile("<\\s*(\\d+)");
  private final String file;
  private final TableSchema layout = Schemas.load("ald-prevalence-long.schema.json");

  AldCsvReader(String file) {
    this.file = file;
  }

  /** The header a long CSV file must have. */
  String expectedHeader() {
    return String.join(";", layout.fields().stream().map(f -> f.name()).toList());
  }

  List<AldRow> read(BufferedReader in) throws IOException {
    String header = in.readLine();
    if (header != null && header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    if (!expectedHeader().equals(header)) {
      throw new AldLayoutException(
          "Expected the header '" + expectedHeader() + "' in '" + file + "' (long ALD layout) but found '" + header + "'");
    }
    int columns = layout.fields().size();
    List<AldRow> out = new ArrayList<>();
    String line;
    int number = 1;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      List<String> cells = Arrays.asList(line.split(";", -1));
      if (cells.size() != columns) {
        throw new AldLayoutException("In '" + file + "', line " + number + ": expected " + columns + " fields but found " + cells.size());
      }
      out.add(row(cells, number));
    }
    return out;
  }

  private AldRow row(List<String> c, int line) {
    int year = integer(c, 0, line);
    int ald = integer(c, 1, line);
    if (!CodeLists.load("ald").contains(String.valueOf(ald))) {
      throw error(line, 1, "an ALD number in 1-32", c.get(1));
    }
    String level = c.get(2).trim();
    String code = c.get(3).trim();
    switch (level) {
      case "FR" -> {
        if (!code.equals("FR")) {
          throw error(line, 3, "'FR' for level FR", code);
        }
      }
      case "REG" -> {
        if (!Geography.regions().containsKey(code)) {
          throw error(line, 3, "an INSEE region code", code);
        }
      }
      case "DEP" -> code = Geography.departement(code).orElseThrow(() -> error(line, 3, "a département code", c.get(3))).code();
      default -> throw error(line, 2, "FR, REG or DEP", level);
    }
    int sex = integer(c, 4, line);
    if (sex != 1 && sex != 2 && sex != 9) {
      throw error(line, 4, "1, 2 or 9", c.get(4));
    }
    String ageClass = c.get(5).trim();
    if (ageClass.isEmpty()) {
      throw error(line, 5, "an age class or ALL", "");
    }
    String persons = c.get(6).trim();
    Matcher masked = MASKED.matcher(persons);
    boolean isMasked = masked.matches();
    Long count = null;
    if (!isMasked) {
      try {
        count = Long.parseLong(persons);
      } catch (NumberFormatException e) {
        throw error(line, 6, "a count or '<N>'", persons);
      }
      if (count < 0) {
        throw error(line, 6, "a count >= 0", persons);
      }
    }
    int rounding = integer(c, 7, line);
    BigDecimal rate = null;
    String rateText = c.get(8).trim().replace(',', '.');
    if (!rateText.isEmpty()) {
      try {
        rate = new BigDecimal(rateText).setScale(2, java.math.RoundingMode.HALF_UP);
      } catch (NumberFormatException e) {
        throw error(line, 8, "a rate or nothing", c.get(8));
      }
    }
    String flag = c.get(9).trim();
    if (!flag.equals("true") && !flag.equals("false")) {
      throw error(line, 9, "true or false", flag);
    }
    return new AldRow(year, ald, level, code, sex, ageClass, count, isMasked, rounding, rate, flag.equals("true"));
  }

  private int integer(List<String> cells, int column, int line) {
    try {
      return Integer.parseInt(cells.get(column).trim());
    } catch (NumberFormatException e) {
      throw error(line, column, "an integer", cells.get(column));
    }
  }

  private AldLayoutException error(int line, int column, String expected, String found) {
    return new AldLayoutException(
        "In '" + file + "', line " + line + ", column " + layout.fields().get(column).name() + ": expected " + expected + " but found '" + found + "'");
  }
}
