package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.PublishedTable;
import java.util.List;
import java.util.Optional;

/**
 * One table of a study as the export gate published it ({@link PublishedTable}, read back through the gate's
 * codecs): what a study's report, charts and derived figures are computed from (never the lake), so that
 * nothing leaves unprotected.
 *
 * @param name the table's folder name under the study's output
 * @param title what the table shows
 * @param export what the gate returned (files, audit entry, the published table)
 */
public record StudyTable(String name, String title, Exports.Result export) {
  /** The margin value of a dimension, as the gate writes it. */
  public static final String TOTAL = PublishedTable.TOTAL;

  public PublishedTable published() {
    return export.published();
  }

  public List<String> dimensions() {
    return published().dimensions();
  }

  public String countColumn() {
    return published().countColumn();
  }

  public List<String> amountColumns() {
    return published().amountColumns();
  }

  /** Every published line, margins ({@code Total}) included, in file order. */
  public List<PublishedTable.Cell> cells() {
    return published().cells();
  }

  /** The cells without margins. */
  public List<PublishedTable.Cell> inner() {
    return published().inner();
  }

  /** The cell with this key, if published in the file. */
  public Optional<PublishedTable.Cell> cell(String... key) {
    List<String> wanted = List.of(key);
    return cells().stream().filter(c -> c.key().equals(wanted)).findFirst();
  }

  /** The grand total line (every dimension {@code Total}), if margins were published. */
  public Optional<PublishedTable.Cell> total() {
    return cells().stream().filter(c -> c.key().stream().allMatch(TOTAL::equals)).findFirst();
  }

  /** How many inner cells the gate hid (the source's masked cells not included). */
  public long suppressedCells() {
    return inner().stream().filter(c -> c.suppressed() && !isMasked(c)).count();
  }

  /** Whether the source masked this cell (hidden, but not by the gate). */
  public boolean isMasked(PublishedTable.Cell cell) {
    return published().isMasked(cell);
  }
}
