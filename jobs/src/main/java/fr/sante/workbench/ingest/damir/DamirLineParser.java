package fr.sante.workbench.ingest.damir;

import fr.sante.workbench.schemas.CodeList;
import fr.sante.workbench.schemas.CodeLists;
import fr.sante.workbench.schemas.FieldSpec;
import fr.sante.workbench.schemas.TableSchema;
import fr.sante.workbench.schemas.Variant;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Parses one Open DAMIR line (ASCII bytes, {@code ;}-separated) into the values of a {@code damir} table
 * row, in Spark's internal representation ({@link Decimal} from an unscaled long, {@link UTF8String}, dates
 * as days since 1970-01-01), or explains why it cannot. Not thread-safe: one instance per task.
 *
 * <p>Numbers are parsed from bytes, without building strings: decimals accept {@code .61}, {@code -.57} and,
 * defensively, a {@code ,} decimal mark; a value with more decimals than the column's scale is rejected
 * rather than rounded.
 */
final class DamirLineParser {
  /** Names of the columns the parser needs by name (the schema's own names). */
  static final String FLX_ANN_MOI = "FLX_ANN_MOI";

  static final String SOI_ANN = "SOI_ANN";
  static final String SOI_MOI = "SOI_MOI";
  static final String CARE_MONTH = "CARE_MONTH";
  /** Care years outside this range are placeholders ({@code 0000}, {@code 0001}) or errors: no care month. */
  static final int FIRST_CARE_YEAR = 1900;

  static final int LAST_CARE_YEAR = 2999;

  /** What {@code careMonth} returns for a placeholder: not a day any care month can start on. */
  private static final int NO_CARE_MONTH = Integer.MIN_VALUE;

  private enum Kind {
    INT,
    LONG,
    DECIMAL,
    STRING
  }

  private final int month;
  private final String fileName;
  private final FileLayout layout;
  private final int columns;
  private final String[] names;
  private final Kind[] kinds;
  private final int[] scales;
  private final int[] maxIntegerDigits;
  private final boolean[] required;
  private final int[] outIndex;
  private final int[] digitsOnly;
  private final Pattern[] patterns;
  private final CodeCheck[] codeChecks;
  private final int width;
  private final int flxColumn;
  private final int soiAnnColumn;
  private final int soiMoiColumn;
  private final int careMonthIndex;
  private final int[] starts;
  private final int[] ends;
  private final long[] parsedInts;
  private final int[][] careMonths = new int[LAST_CARE_YEAR - FIRST_CARE_YEAR + 1][];
  private final DataType[] tableTypes;
  private RowBatch single;
  /** Table columns this file does not have (the other variant's, a missing ETB_DCS_MCO): always null. */
  private final int[] absentColumns;
  /** Text values are few (care years and months, one letter): each distinct value is built once. */
  private final UTF8String[][] digitTexts;
  private final UTF8String[] letters = new UTF8String[256];
  private long parsedUnscaled;
  private final ChunkStats stats;
  private String reason;

  DamirLineParser(TableSchema schema, FileLayout layout, int month, String fileName, ChunkStats stats) {
    this.month = month;
    this.fileName = fileName;
    this.layout = layout;
    this.stats = stats;
    this.columns = layout.columns();
    List<FieldSpec> fields = schema.fields();
    List<String> tableColumns = List.of(schema.tableType().fieldNames());
    this.width = tableColumns.size();
    this.tableTypes = new DataType[width];
    for (int o = 0; o < width; o++) {
      tableTypes[o] = schema.tableType().fields()[o].dataType();
    }
    this.names = new String[columns];
    this.kinds = new Kind[columns];
    this.scales = new int[columns];
    this.maxIntegerDigits = new int[columns];
    this.required = new boolean[columns];
    this.outIndex = new int[columns];
    this.digitsOnly = new int[columns];
    this.patterns = new Pattern[columns];
    this.codeChecks = new CodeCheck[columns];
    Variant variant = layout.variant();
    for (int i = 0; i < columns; i++) {
      FieldSpec field = fields.get(i);
      String fileColumn = field.nameIn(variant);
      names[i] = fileColumn;
      outIndex[i] = tableColumns.indexOf(fileColumn);
      required[i] = field.required();
      DataType type = field.sparkType();
      if (type.equals(DataTypes.IntegerType)) {
        kinds[i] = Kind.INT;
        maxIntegerDigits[i] = 9;
      } else if (type.equals(DataTypes.LongType)) {
        kinds[i] = Kind.LONG;
        maxIntegerDigits[i] = 18;
      } else if (type instanceof DecimalType decimal) {
        kinds[i] = Kind.DECIMAL;
        scales[i] = decimal.scale();
        maxIntegerDigits[i] = decimal.precision() - decimal.scale();
      } else {
        kinds[i] = Kind.STRING;
      }
      digitsOnly[i] = -1;
      if (!field.pattern().isEmpty()) {
        Matcher digits = Pattern.compile("\\^\\[0-9\\]\\{(\\d+)\\}\\$").matcher(field.pattern());
        if (digits.matches()) {
          digitsOnly[i] = Integer.parseInt(digits.group(1));
        } else {
          patterns[i] = Pattern.compile(field.pattern());
        }
      }
      final int column = i;
      field.codeListIn(variant).ifPresent(list -> codeChecks[column] = new CodeCheck(CodeLists.load(list)));
    }
    this.flxColumn = indexOf(FLX_ANN_MOI);
    this.soiAnnColumn = indexOf(SOI_ANN);
    this.soiMoiColumn = indexOf(SOI_MOI);
    this.careMonthIndex = tableColumns.indexOf(CARE_MONTH);
    java.util.BitSet present = new java.util.BitSet(width);
    for (int c = 0; c < columns; c++) {
      present.set(outIndex[c]);
    }
    present.set(careMonthIndex);
    this.absentColumns = java.util.stream.IntStream.range(0, width).filter(o -> !present.get(o)).toArray();
    this.starts = new int[layout.expectedFields() + 1];
    this.ends = new int[layout.expectedFields() + 1];
    this.parsedInts = new long[columns];
    this.digitTexts = new UTF8String[columns][];
    for (int i = 0; i < columns; i++) {
      if (digitsOnly[i] > 0 && digitsOnly[i] <= 4) {
        digitTexts[i] = new UTF8String[(int) Math.pow(10, digitsOnly[i])];
      }
    }
  }

  private int indexOf(String column) {
    for (int i = 0; i < columns; i++) {
      if (names[i].equals(column)) {
        return i;
      }
    }
    throw new IllegalStateException("Schema has no column " + column);
  }

  /** Why the last call to {@link #parse} returned null. */
  String reason() {
    return reason;
  }

  /**
   * Parses {@code bytes[start, end)} (one line, without its {@code \n}) into the table row's values, in
   * Spark's internal representation ({@link Decimal}, {@link UTF8String}, dates as days): for tests and
   * diagnostics; the ingest uses {@link #parseInto}.
   *
   * @return the values, or null when the line is rejected (see {@link #reason()})
   */
  Object[] parse(byte[] bytes, int start, int end) {
    if (single == null) {
      single = new RowBatch(width, 1);
    }
    if (!parseInto(bytes, start, end, single, 0)) {
      return null;
    }
    Object[] values = new Object[width];
    for (int o = 0; o < width; o++) {
      if (single.isNull(o, 0)) {
        continue;
      }
      DataType type = tableTypes[o];
      long v = single.number(o, 0);
      if (type instanceof DecimalType decimal) {
        values[o] = Decimal.createUnsafe(v, decimal.precision(), decimal.scale());
      } else if (type.equals(DataTypes.LongType)) {
        values[o] = v;
      } else if (type.equals(DataTypes.StringType)) {
        values[o] = single.text(o, 0);
      } else {
        values[o] = (int) v; // int, date
      }
    }
    return values;
  }

  /**
   * Parses {@code bytes[start, end)} (one line, without its {@code \n}) into row {@code row} of {@code batch},
   * every column set (value or null).
   *
   * @return whether the line is accepted; when not, see {@link #reason()} (the row's contents are then undefined)
   */
  boolean parseInto(byte[] bytes, int start, int end, RowBatch batch, int row) {
    if (end > start && bytes[end - 1] == '\r') {
      end--; // tolerate CRLF although the real files use LF
    }
    int expected = layout.expectedFields();
    int fields = 0;
    int fieldStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || bytes[i] == ';') {
        if (fields < starts.length) {
          starts[fields] = fieldStart;
          ends[fields] = i;
        }
        fields++;
        fieldStart = i + 1;
      }
    }
    if (fields != expected) {
      return rejected(
          "Expected "
              + expected
              + " fields ("
              + columns
              + " columns"
              + (layout.trailingDelimiter() ? " and the trailing ';'" : "")
              + ") but found "
              + fields);
    }
    if (layout.trailingDelimiter() && ends[columns] > starts[columns]) {
      return rejected("Expected an empty field after the trailing ';' but found '" + text(bytes, starts[columns], ends[columns]) + "'");
    }
    for (int o : absentColumns) {
      batch.setNull(o, row);
    }
    for (int c = 0; c < columns; c++) {
      int s = starts[c];
      int e = ends[c];
      int o = outIndex[c];
      if (s == e) {
        batch.setNull(o, row);
        if (required[c]) {
          return rejected("Expected a value in column " + names[c] + " (field " + (c + 1) + ") but found an empty field");
        }
        continue;
      }
      switch (kinds[c]) {
        case INT, LONG -> {
          if (!parseInteger(bytes, s, e, c)) {
            return rejected("Expected an integer in column " + names[c] + " (field " + (c + 1) + ") but found '" + text(bytes, s, e) + "'");
          }
          batch.setNumber(o, row, parsedInts[c]);
        }
        case DECIMAL -> {
          if (!parseDecimal(bytes, s, e, scales[c], maxIntegerDigits[c])) {
            return rejected(
                "Expected a decimal with at most "
                    + scales[c]
                    + " decimals and "
                    + maxIntegerDigits[c]
                    + " integer digits in column "
                    + names[c]
                    + " (field "
                    + (c + 1)
                    + ") but found '"
                    + text(bytes, s, e)
                    + "'");
          }
          batch.setNumber(o, row, parsedUnscaled);
        }
        case STRING -> {
          if (digitsOnly[c] >= 0) {
            if (!isDigits(bytes, s, e, digitsOnly[c])) {
              return rejected("Expected " + digitsOnly[c] + " digits in column " + names[c] + " (field " + (c + 1) + ") but found '" + text(bytes, s, e) + "'");
            }
            batch.setText(o, row, digitText(c, bytes, s, e));
          } else {
            if (patterns[c] != null && !patterns[c].matcher(text(bytes, s, e)).matches()) {
              return rejected(
                  "Expected a value matching " + patterns[c].pattern() + " in column " + names[c] + " (field " + (c + 1) + ") but found '" + text(bytes, s, e) + "'");
            }
            batch.setText(o, row, e - s == 1 ? letter(bytes[s]) : UTF8String.fromBytes(java.util.Arrays.copyOfRange(bytes, s, e)));
          }
        }
      }
    }
    int flx = (int) parsedInts[flxColumn];
    if (flx != month) {
      return rejected("Expected FLX_ANN_MOI " + month + " (the processing month of '" + fileName + "') but found " + flx);
    }
    int care = careMonth(bytes, soiAnnColumn, soiMoiColumn);
    if (care == NO_CARE_MONTH) {
      batch.setNull(careMonthIndex, row);
    } else {
      batch.setNumber(careMonthIndex, row, care);
    }
    countCodes(bytes, batch, row);
    return true;
  }

  private void countCodes(byte[] bytes, RowBatch batch, int row) {
    for (int c = 0; c < columns; c++) {
      CodeCheck check = codeChecks[c];
      if (check == null || starts[c] == ends[c]) {
        continue;
      }
      boolean known = kinds[c] == Kind.STRING ? check.contains(batch.text(outIndex[c], row)) : check.contains(parsedInts[c]);
      if (!known) {
        stats.unknownCode(names[c], text(bytes, starts[c], ends[c]));
      }
    }
  }

  /** The first day of the care month, in days since 1970-01-01, or {@link #NO_CARE_MONTH} for a placeholder. */
  private int careMonth(byte[] bytes, int yearColumn, int monthColumn) {
    int year = digitsValue(bytes, starts[yearColumn], ends[yearColumn]);
    int monthOfYear = digitsValue(bytes, starts[monthColumn], ends[monthColumn]);
    if (year < FIRST_CARE_YEAR || year > LAST_CARE_YEAR || monthOfYear < 1 || monthOfYear > 12) {
      stats.unknownCareMonth();
      return NO_CARE_MONTH;
    }
    int[] byMonth = careMonths[year - FIRST_CARE_YEAR];
    if (byMonth == null) {
      byMonth = new int[12];
      for (int m = 0; m < 12; m++) {
        byMonth[m] = (int) LocalDate.of(year, m + 1, 1).toEpochDay();
      }
      careMonths[year - FIRST_CARE_YEAR] = byMonth;
    }
    return byMonth[monthOfYear - 1];
  }

  private UTF8String digitText(int column, byte[] bytes, int s, int e) {
    UTF8String[] cache = digitTexts[column];
    if (cache == null) {
      return UTF8String.fromBytes(java.util.Arrays.copyOfRange(bytes, s, e));
    }
    int v = digitsValue(bytes, s, e);
    UTF8String text = cache[v];
    if (text == null) {
      text = UTF8String.fromBytes(java.util.Arrays.copyOfRange(bytes, s, e));
      cache[v] = text;
    }
    return text;
  }

  private UTF8String letter(byte b) {
    UTF8String text = letters[b & 0xFF];
    if (text == null) {
      text = UTF8String.fromBytes(new byte[] {b});
      letters[b & 0xFF] = text;
    }
    return text;
  }

  private boolean rejected(String why) {
    reason = why;
    return false;
  }

  private boolean parseInteger(byte[] b, int s, int e, int column) {
    boolean negative = b[s] == '-';
    int i = negative ? s + 1 : s;
    if (i == e || e - i > maxIntegerDigits[column]) {
      return false;
    }
    long v = 0;
    for (; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      v = v * 10 + d;
    }
    parsedInts[column] = negative ? -v : v;
    return true;
  }

  /**
   * Parses {@code -?\d*([.,]\d*)?} with at least one digit into {@code parsedUnscaled}, the value times
   * 10^scale; false when the text is not such a number or has too many digits.
   */
  private boolean parseDecimal(byte[] b, int s, int e, int scale, int maxIntegerDigits) {
    boolean negative = b[s] == '-';
    int i = negative ? s + 1 : s;
    long unscaled = 0;
    int integerDigits = 0;
    int decimals = -1;
    for (; i < e; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        if (decimals >= 0) {
          if (++decimals > scale) {
            return false;
          }
        } else if (++integerDigits > maxIntegerDigits) {
          return false;
        }
        unscaled = unscaled * 10 + (c - '0');
      } else if ((c == '.' || c == ',') && decimals < 0) {
        decimals = 0;
      } else {
        return false;
      }
    }
    int fraction = Math.max(decimals, 0);
    if (integerDigits + fraction == 0) {
      return false;
    }
    for (int k = fraction; k < scale; k++) {
      unscaled *= 10;
    }
    parsedUnscaled = negative ? -unscaled : unscaled;
    return true;
  }

  private static boolean isDigits(byte[] b, int s, int e, int count) {
    if (e - s != count) {
      return false;
    }
    for (int i = s; i < e; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static int digitsValue(byte[] b, int s, int e) {
    int v = 0;
    for (int i = s; i < e; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  static String text(byte[] b, int s, int e) {
    return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
  }

  /** Membership in a code list: a bitmap for small integer codes, a set otherwise. */
  private static final class CodeCheck {
    private static final int BITMAP_LIMIT = 100_000;
    private final boolean[] small = new boolean[BITMAP_LIMIT];
    private final Set<Long> large = new HashSet<>();
    private final Set<UTF8String> text = new HashSet<>();

    CodeCheck(CodeList list) {
      for (String code : list.codes()) {
        text.add(UTF8String.fromString(code));
        try {
          long v = Long.parseLong(code);
          if (v >= 0 && v < BITMAP_LIMIT) {
            small[(int) v] = true;
          } else {
            large.add(v);
          }
        } catch (NumberFormatException e) {
          // a letter code (ETB_DCS_MCO): checked as text
        }
      }
    }

    boolean contains(long code) {
      return code >= 0 && code < BITMAP_LIMIT ? small[(int) code] : large.contains(code);
    }

    boolean contains(UTF8String code) {
      return text.contains(code);
    }
  }
}
