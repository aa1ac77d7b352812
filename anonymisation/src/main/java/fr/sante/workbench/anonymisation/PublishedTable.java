package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.*;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A table as the export gate published it: its public manifest and every line of its {@code table.csv}, read
 * through the same codecs that wrote them ({@link Manifests}, {@link TableCsv}). What the gate returns, and
 * what a study's report, charts and derived figures are computed from (never the lake).
 *
 * @param folder the published folder
 * @param cells every line of the file, margins ({@code Total}) included, in file order
 */
public record PublishedTable(Path folder, TableManifest manifest, List<Cell> cells) {
  /** The margin value of a dimension, as the gate writes it. */
  public static final String TOTAL = FrequencyTable.TOTAL;

  public PublishedTable {
    cells = List.copyOf(cells);
  }

  /**
   * One line of the published file.
   *
   * @param key the dimension values
   * @param count the published count, empty when suppressed
   * @param amounts amount column → published value; absent when suppressed
   */
  public record Cell(List<String> key, OptionalLong count, Map<String, BigDecimal> amounts, boolean suppressed) {
    public Cell {
      key = List.copyOf(key);
      amounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(amounts));
    }

    public Optional<BigDecimal> amount(String column) {
      return Optional.ofNullable(amounts.get(column));
    }

    /** Whether any dimension is a margin. */
    public boolean isMargin() {
      return key.contains(TOTAL);
    }
  }

  /** Reads a published table folder ({@code manifest.json} and {@code table.csv}); a malformed file is an error naming the line. */
  public static PublishedTable read(Path folder) {
    try {
      Manifest manifest = Manifests.read(folder.resolve(Exports.MANIFEST_FILE));
      if (!(manifest instanceof TableManifest table)) {
        throw new AnonymisationException("Expected a published table in " + folder + " but its manifest is of records");
      }
      List<String> problems = new ArrayList<>();
      List<TableCsv.Line> lines = TableCsv.read(folder.resolve(Exports.TABLE_FILE), table.policy(), problems);
      if (!problems.isEmpty()) {
        throw new AnonymisationException("Cannot read the published table in " + folder + ": " + String.join("; ", problems));
      }
      return new PublishedTable(folder, table, lines.stream().map(TableCsv.Line::cell).toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot read the published table in " + folder, e);
    }
  }

  public Path file() {
    return folder.resolve(Exports.TABLE_FILE);
  }

  public List<String> dimensions() {
    return manifest.policy().dimensions();
  }

  public String countColumn() {
    return manifest.policy().countColumn();
  }

  public List<String> amountColumns() {
    return manifest.policy().amountColumns();
  }

  /** The cells without margins. */
  public List<Cell> inner() {
    return cells.stream().filter(c -> !c.isMargin()).toList();
  }

  /** Whether the source masked this cell (or a cell it sums): hidden, but not by the gate. */
  public boolean isMasked(Cell cell) {
    return cell.suppressed() && manifest.masked().contains(cell.key());
  }

  /** How many lines of the file are hidden. */
  public long suppressedCells() {
    return cells.stream().filter(Cell::suppressed).count();
  }
}
