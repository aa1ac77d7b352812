package fr.sante.workbench.anonymisation;

import fr.sante.workbench.schemas.CsvLines;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The one codec of a published {@code table.csv}: a header of the dimensions, the count column, the amount
 * columns and {@code suppressed}; one line per cell, a hidden cell with empty values and {@code suppressed=true}.
 */
public final class TableCsv {
  static final String SUPPRESSED = "suppressed";

  private TableCsv() {}

  /** A line read back, with its number in the file (the header is line 1). */
  public record Line(int number, PublishedTable.Cell cell) {}

  /** The header the policy gives. */
  static List<String> header(ExportPolicy policy) {
    List<String> header = new ArrayList<>(policy.dimensions());
    header.add(policy.countColumn());
    header.addAll(policy.amountColumns());
    header.add(SUPPRESSED);
    return header;
  }

  /** Writes {@code cells} (already rounded, hidden ones without values) to {@code file}. */
  static void write(Path file, ExportPolicy policy, List<PublishedTable.Cell> cells) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(String.join(",", header(policy).stream().map(RecordsCsv::quote).toList()));
      out.write('\n');
      StringBuilder line = new StringBuilder();
      for (PublishedTable.Cell cell : cells) {
        line.setLength(0);
        for (String coordinate : cell.key()) {
          line.append(RecordsCsv.quote(coordinate)).append(',');
        }
        line.append(cell.count().isPresent() ? String.valueOf(cell.count().getAsLong()) : "").append(',');
        for (String amount : policy.amountColumns()) {
          line.append(cell.amount(amount).map(BigDecimal::toPlainString).orElse("")).append(',');
        }
        line.append(cell.suppressed()).append('\n');
        out.write(line.toString());
      }
    }
  }

  /**
   * Reads {@code file} as the policy lays it out; each malformed line (wrong width, a value that is not a whole
   * count or a decimal amount, a header other than the policy's) is added to {@code problems} and skipped.
   */
  static List<Line> read(Path file, ExportPolicy policy, List<String> problems) throws IOException {
    List<Line> lines = new ArrayList<>();
    List<String> header = header(policy);
    int dims = policy.dimensions().size();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text = in.readLine();
      if (text == null || !CsvLines.split(text, ',').equals(header)) {
        problems.add("File " + file + " has header " + (text == null ? "(none)" : CsvLines.split(text, ',')) + ", expected " + header);
        return lines;
      }
      int number = 1;
      while ((text = in.readLine()) != null) {
        number++;
        List<String> fields = CsvLines.split(text, ',');
        if (fields.size() != header.size()) {
          problems.add("Line " + number + " of " + file + " has " + fields.size() + " fields, expected " + header.size());
          continue;
        }
        String suppressed = fields.get(header.size() - 1);
        if (!suppressed.equals("true") && !suppressed.equals("false")) {
          problems.add("Line " + number + " of " + file + " has suppressed='" + suppressed + "', expected true or false");
          continue;
        }
        try {
          String count = fields.get(dims);
          Map<String, BigDecimal> amounts = new LinkedHashMap<>();
          for (int j = 0; j < policy.amountColumns().size(); j++) {
            String amount = fields.get(dims + 1 + j);
            if (!amount.isEmpty()) {
              amounts.put(policy.amountColumns().get(j), new BigDecimal(amount));
            }
          }
          lines.add(new Line(number, new PublishedTable.Cell(
              fields.subList(0, dims), count.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(count)), amounts, Boolean.parseBoolean(suppressed))));
        } catch (NumberFormatException e) {
          problems.add("Line " + number + " of " + file + " has a value that is not a number: " + text);
        }
      }
    }
    return lines;
  }
}
