package fr.sante.workbench.ingest.ald;

import fr.sante.workbench.schemas.CodeList;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellReference;

/**
 * Reads CNAM's legacy Excel series "ALD prévalentes par département" (open-data-reference.md section 2.2):
 * a counts sheet ("Tableau VII : effectifs ... arrondis à la dizaine") and a standardised-rates sheet
 * ("Tableau VIII : taux standardisé ... pour 100 000"), each with a title row, a header row
 * ({@code Code département}, {@code Nom du département}, one {@code <label> (ALD<n>)} column per ALD), one row
 * per département, and footer rows. Counts under 10 are the text {@code <10}: kept as masked, never zero.
 */
final class AldXlsReader {
  private static final Pattern ALD_COLUMN = Pattern.compile("\\(\\s*ALD\\s*(\\d{1,2})\\s*\\)");
  private static final Pattern YEAR = Pattern.compile("(?<!\\d)((?:19|20)\\d{2})(?!\\d)");
  private static final Pattern MASKED = Pattern.compile("<\\s*(\\d+)");
  private static final Pattern DEPARTEMENT_CELL = Pattern.compile("\\d{1,3}|2[AB]");
  /** Rows searched for the header line below the title. */
  private static final int HEADER_SEARCH_ROWS = 6;
  /** "effectifs arrondis à la dizaine": the counts are rounded to 10. */
  static final int COUNTS_ROUNDING = 10;

  private final String file;

  AldXlsReader(String file) {
    this.file = file;
  }

  /** What kind of table a sheet holds, from its title. */
  enum SheetKind {
    COUNTS,
    RATES,
    EMPTY
  }

  List<AldRow> read(InputStream in) throws IOException {
    try (HSSFWorkbook workbook = new HSSFWorkbook(in)) {
      Sheet counts = null;
      Sheet rates = null;
      for (Sheet sheet : workbook) {
        switch (kind(sheet)) {
          case COUNTS -> counts = requireSingle(counts, sheet, "counts (effectifs)");
          case RATES -> rates = requireSingle(rates, sheet, "standardised rates (taux standardisé)");
          case EMPTY -> {}
        }
      }
      if (counts == null) {
        throw new AldLayoutException(
            "Expected a counts sheet (title with 'effectifs') in '" + file + "' but found sheets " + sheetNames(workbook));
      }
      int year = year(counts);
      Map<String, AldRow> rows = new LinkedHashMap<>();
      for (AldRow row : readTable(counts, SheetKind.COUNTS, year)) {
        rows.put(row.geoCode() + "/" + row.aldCode(), row);
      }
      if (rates != null) {
        for (AldRow rate : readTable(rates, SheetKind.RATES, year)) {
          AldRow count = rows.get(rate.geoCode() + "/" + rate.aldCode());
          if (count != null) {
            rows.put(rate.geoCode() + "/" + rate.aldCode(), count.withRate(rate.stdRate100k()));
          }
        }
      }
      return new ArrayList<>(rows.values());
    }
  }

  private SheetKind kind(Sheet sheet) {
    String title = "";
    for (int r = 0; r <= Math.min(2, sheet.getLastRowNum()) && title.isEmpty(); r++) {
      Row row = sheet.getRow(r);
      if (row != null) {
        for (Cell cell : row) {
          String text = text(cell);
          if (!text.isBlank()) {
            title = plain(text);
            break;
          }
        }
      }
    }
    if (title.isEmpty()) {
      return SheetKind.EMPTY;
    }
    if (title.contains("taux standardise")) {
      return SheetKind.RATES;
    }
    if (title.contains("effectifs")) {
      return SheetKind.COUNTS;
    }
    throw new AldLayoutException(
        "Unknown sheet '" + sheet.getSheetName() + "' in '" + file + "': expected a title with 'effectifs' (counts) or 'taux standardisé' (rates) but found '" + title + "'");
  }

  private List<AldRow> readTable(Sheet sheet, SheetKind kind, int year) {
    int headerRow = headerRow(sheet);
    Row header = sheet.getRow(headerRow);
    CodeList alds = CodeLists.load("ald");
    Map<Integer, Integer> aldByColumn = new LinkedHashMap<>();
    for (int c = 2; c < header.getLastCellNum(); c++) {
      String title = text(header.getCell(c));
      if (title.isBlank()) {
        continue;
      }
      Matcher m = ALD_COLUMN.matcher(title);
      if (!m.find() || !alds.contains(String.valueOf(Integer.parseInt(m.group(1))))) {
        throw new AldLayoutException(
            where(sheet, headerRow, c) + ": expected an ALD column headed '<label> (ALD<n>)' with n in 1-32 but found '" + title + "'");
      }
      aldByColumn.put(c, Integer.parseInt(m.group(1)));
    }
    if (aldByColumn.isEmpty()) {
      throw new AldLayoutException(where(sheet, headerRow, 2) + ": expected ALD columns after 'Nom du département' but found none");
    }
    List<AldRow> out = new ArrayList<>();
    for (int r = headerRow + 1; r <= sheet.getLastRowNum(); r++) {
      Row row = sheet.getRow(r);
      String codeText = row == null ? "" : text(row.getCell(0)).trim();
      if (!DEPARTEMENT_CELL.matcher(codeText).matches()) {
        break; // footer: "Source : Cnam-DSES", "Champ : ...", notes, blank lines
      }
      Departement dep =
          Geography.departement(codeText)
              .orElseThrow(() -> new AldLayoutException(where(sheet, row.getRowNum(), 0) + ": expected a département code but found '" + codeText + "'"));
      boolean nonExhaustive = text(row.getCell(1)).contains("*");
      for (Map.Entry<Integer, Integer> column : aldByColumn.entrySet()) {
        Cell cell = row.getCell(column.getKey());
        out.add(value(sheet, kind, year, dep, column.getValue(), cell, row.getRowNum(), column.getKey(), nonExhaustive));
      }
    }
    if (out.isEmpty()) {
      throw new AldLayoutException(where(sheet, headerRow + 1, 0) + ": expected one row per département after the header but found none");
    }
    return out;
  }

  private AldRow value(Sheet sheet, SheetKind kind, int year, Departement dep, int ald, Cell cell, int r, int c, boolean nonExhaustive) {
    if (cell != null && cell.getCellType() == CellType.NUMERIC) {
      double v = cell.getNumericCellValue();
      if (kind == SheetKind.RATES) {
        return new AldRow(year, ald, "DEP", dep.code(), 9, "ALL", null, false, 1, BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP), nonExhaustive);
      }
      if (v < 0 || v != Math.rint(v)) {
        throw new AldLayoutException(where(sheet, r, c) + ": expected a whole non-negative count but found " + v);
      }
      return new AldRow(year, ald, "DEP", dep.code(), 9, "ALL", (long) v, false, COUNTS_ROUNDING, null, nonExhaustive);
    }
    String text = cell == null ? "" : text(cell).trim();
    if (MASKED.matcher(text).matches()) {
      return new AldRow(year, ald, "DEP", dep.code(), 9, "ALL", null, true, COUNTS_ROUNDING, null, nonExhaustive);
    }
    if (kind == SheetKind.RATES && (text.isEmpty() || text.equals("-"))) {
      return new AldRow(year, ald, "DEP", dep.code(), 9, "ALL", null, false, 1, null, nonExhaustive);
    }
    throw new AldLayoutException(
        where(sheet, r, c) + ": expected " + (kind == SheetKind.COUNTS ? "a count or '<10'" : "a rate") + " but found '" + text + "'");
  }

  private int headerRow(Sheet sheet) {
    for (int r = 0; r <= Math.min(HEADER_SEARCH_ROWS, sheet.getLastRowNum()); r++) {
      Row row = sheet.getRow(r);
      if (row != null && plain(text(row.getCell(0))).startsWith("code departement")) {
        return r;
      }
    }
    throw new AldLayoutException(
        "Expected a header row starting with 'Code département' in the first " + (HEADER_SEARCH_ROWS + 1) + " rows of sheet '" + sheet.getSheetName() + "' of '" + file + "' but found none");
  }

  private int year(Sheet sheet) {
    Matcher inName = YEAR.matcher(sheet.getSheetName());
    Optional<String> found = inName.find() ? Optional.of(inName.group(1)) : Optional.empty();
    if (found.isEmpty()) {
      Matcher inFile = YEAR.matcher(file);
      found = inFile.find() ? Optional.of(inFile.group(1)) : Optional.empty();
    }
    return Integer.parseInt(
        found.orElseThrow(() -> new AldLayoutException("Cannot tell the year of '" + file + "': expected it in the sheet name ('" + sheet.getSheetName() + "') or the file name")));
  }

  private Sheet requireSingle(Sheet already, Sheet sheet, String what) {
    if (already != null) {
      throw new AldLayoutException(
          "Expected one " + what + " sheet in '" + file + "' but found two: '" + already.getSheetName() + "' and '" + sheet.getSheetName() + "'");
    }
    return sheet;
  }

  private String where(Sheet sheet, int row, int column) {
    return "In '" + file + "', sheet '" + sheet.getSheetName() + "', row " + (row + 1) + ", column " + CellReference.convertNumToColString(column);
  }

  private static List<String> sheetNames(HSSFWorkbook workbook) {
    List<String> names = new ArrayList<>();
    workbook.forEach(s -> names.add(s.getSheetName()));
    return names;
  }

  private static String text(Cell cell) {
    if (cell == null) {
      return "";
    }
    return switch (cell.getCellType()) {
      case STRING -> cell.getStringCellValue();
      case NUMERIC -> {
        double v = cell.getNumericCellValue();
        yield v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
      }
      case FORMULA -> cell.getCachedFormulaResultType() == CellType.NUMERIC ? String.valueOf(cell.getNumericCellValue()) : cell.getStringCellValue();
      default -> "";
    };
  }

  /** Lower case without accents, for matching titles. */
  private static String plain(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).trim();
  }
}
