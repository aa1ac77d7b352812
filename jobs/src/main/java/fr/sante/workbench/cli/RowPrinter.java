package fr.sante.workbench.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/** Prints rows as an aligned text table or as CSV. */
final class RowPrinter {
  private RowPrinter() {}

  static void table(String[] header, List<Row> rows, PrintWriter out) {
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
    }
    for (Row row : rows) {
      String[] line = new String[header.length];
      for (int i = 0; i < header.length; i++) {
        line[i] = row.isNullAt(i) ? "NULL" : format(row.get(i));
        widths[i] = Math.max(widths[i], line[i].length());
      }
      cells.add(line);
    }
    printLine(header, widths, out);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] line : cells) {
      printLine(line, widths, out);
    }
  }

  static void csv(String[] header, List<Row> rows, PrintWriter out) {
    out.println(String.join(",", quoteAll(header)));
    for (Row row : rows) {
      String[] line = new String[header.length];
      for (int i = 0; i < header.length; i++) {
        line[i] = row.isNullAt(i) ? "" : format(row.get(i));
      }
      out.println(String.join(",", quoteAll(line)));
    }
  }

  private static void printLine(String[] cells, int[] widths, PrintWriter out) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells[i]));
    }
    out.println(line.toString().stripTrailing());
  }

  private static String format(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      return String.valueOf(CollectionConverters.asJava(map));
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      return String.valueOf(CollectionConverters.asJava(seq));
    }
    return String.valueOf(value);
  }

  private static String[] quoteAll(String[] cells) {
    String[] out = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i];
      out[i] = c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r") ? "\"" + c.replace("\"", "\"\"") + "\"" : c;
    }
    return out;
  }
}
