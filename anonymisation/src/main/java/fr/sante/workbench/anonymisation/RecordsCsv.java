package fr.sante.workbench.anonymisation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Published CSV: comma-separated, a header, RFC 4180 quoting, decimals in plain notation, nulls empty. */
final class RecordsCsv {
  private RecordsCsv() {}

  /** Streams {@code records} to one CSV file (a partition at a time through the driver); returns the rows written. */
  static long write(Dataset<Row> records, Path file) throws IOException {
    long rows = 0;
    String[] columns = records.columns();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int c = 0; c < columns.length; c++) {
        out.write(c == 0 ? "" : ",");
        out.write(quote(columns[c]));
      }
      out.write('\n');
      for (Iterator<Row> it = records.toLocalIterator(); it.hasNext(); ) {
        Row row = it.next();
        for (int c = 0; c < columns.length; c++) {
          out.write(c == 0 ? "" : ",");
          out.write(format(row.get(c)));
        }
        out.write('\n');
        rows++;
      }
    }
    return rows;
  }

  private static String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return quote(value.toString());
  }

  static String quote(String value) {
    return fr.sante.workbench.schemas.CsvLines.quote(value);
  }
}
