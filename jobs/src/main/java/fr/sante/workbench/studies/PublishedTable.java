package fr.sante.workbench.studies;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.schemas.CsvLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A table as the export gate published it, read back from its {@code table.csv}: what a study's report,
 * charts and derived figures are computed from (never the lake), so that nothing leaves unprotected.
 *
 * @param name the table's folder name under the study's output
 * @param title what the table shows
 * @param dimensions the dimension columns
 * @param countColumn the count column
 * @param amountColumns the amount columns
 * @param cells every published line, margins ({@code Total}) included, in file order
 * @param export what the gate returned (files, audit entry, protection)
 */
public record PublishedTable(
    String name, String title, List<String> dimensions, String countColumn, List<String> amountColumns, List<Cell> cells, Exports.Result export) {
  /** The margin value of a dimension, as the gate writes it. */
  public static final String TOTAL = "Total";

  /**
   * One line of the published file.
   *
   * @param key the dimension values
   * @param count the published count, empty when suppressed
   * @param amounts amount column → published value; empty when suppressed
   */
  public record Cell(List<String> key, OptionalLong count, Map<String, BigDecimal> amounts, boolean suppressed) {
    public Optional<BigDecimal> amount(String column) {
      return Optional.ofNullable(amounts.get(column));
    }

    /** Whether any dimension is a margin. */
    public boolean isMargin() {
      return key.contains(TOTAL);
    }
  }

  public PublishedTable {
    dimensions = List.copyOf(dimensions);
    amountColumns = List.copyOf(amountColumns);
    cells = List.copyOf(cells);
  }

  /** Reads the gate's {@code table.csv}. */
  static PublishedTable read(String name, String title, List<String> dimensions, String countColumn, List<String> amountColumns, Exports.Result export) {
    List<String> lines;
    try {
      lines = Files.readAllLines(export.table(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the published table " + export.table(), e);
    }
    int width = dimensions.size() + 2 + amountColumns.size();
    List<Cell> cells = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      List<String> fields = CsvLines.split(lines.get(i), ',');
      if (fields.size() != width) {
        throw new WorkbenchException("Expected " + width + " fields at line " + (i + 1) + " of " + export.table() + " but found " + fields.size());
      }
      boolean suppressed = Boolean.parseBoolean(fields.get(width - 1));
      String count = fields.get(dimensions.size());
      Map<String, BigDecimal> amounts = new LinkedHashMap<>();
      for (int j = 0; j < amountColumns.size(); j++) {
        String amount = fields.get(dimensions.size() + 1 + j);
        if (!amount.isEmpty()) {
          amounts.put(amountColumns.get(j), new BigDecimal(amount));
        }
      }
      cells.add(
          new Cell(
              List.copyOf(fields.subList(0, dimensions.size())),
              count.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(count)),
              java.util.Collections.unmodifiableMap(amounts),
              suppressed));
    }
    return new PublishedTable(name, title, dimensions, countColumn, amountColumns, cells, export);
  }

  /** The cells without margins. */
  public List<Cell> inner() {
    return cells.stream().filter(c -> !c.isMargin()).toList();
  }

  /** The cell with this key, if published in the file. */
  public Optional<Cell> cell(String... key) {
    List<String> wanted = List.of(key);
    return cells.stream().filter(c -> c.key().equals(wanted)).findFirst();
  }

  /** The grand total line (every dimension {@code Total}), if margins were published. */
  public Optional<Cell> total() {
    return cells.stream().filter(c -> c.key().stream().allMatch(TOTAL::equals)).findFirst();
  }

  /** How many inner cells the gate hid. */
  public long suppressedCells() {
    return inner().stream().filter(Cell::suppressed).count();
  }
}
