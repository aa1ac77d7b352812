package fr.sante.workbench.anonymisation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public manifest of a published table.
 *
 * @param policy the rules the table was published under
 * @param cells cells protected, margins included
 * @param cellsHidden how many cells are hidden: not which are small, nor how many (with one count of small cells and
 *     one of protecting cells, a table with no protecting cell would say that every hidden cell is small; with the
 *     counts hidden to protect them, the hidden total would give the small cells' sum)
 * @param method how the protection was proven
 * @param published every cell published with its value, as written in {@code table.csv} (so that {@code audit
 *     verify} can name a cell changed in the file)
 * @param masked hidden cells the source itself masked (e.g. CNAM's {@code <10}) and the margins summing them: the
 *     gate knows no value for them; public, since the source shows them masked (the other hidden cells are
 *     suppressed by the gate)
 * @param publicSource empty, or the lake table whose own published cells passed without suppression and who publishes
 *     them (data-schemas' {@code openData}), declared public by the DPO
 * @param publicCells the cells published as they are because each is exactly one row of {@code publicSource} (or a
 *     margin of such cells only): public already, whatever their size
 */
public record TableManifest(
    Provenance provenance,
    ExportPolicy policy,
    long cells,
    long cellsHidden,
    ProtectionMethod method,
    Map<List<String>, Long> published,
    Map<String, String> sha256,
    List<List<String>> masked,
    String publicSource,
    List<List<String>> publicCells)
    implements Manifest {
  public TableManifest {
    masked = List.copyOf(masked);
    java.util.Objects.requireNonNull(publicSource, "publicSource is null");
    publicCells = List.copyOf(publicCells);
    published = Collections.unmodifiableMap(new LinkedHashMap<>(published));
    sha256 = Collections.unmodifiableMap(new TreeMap<>(sha256));
  }

  /** A table without public cells. */
  public TableManifest(
      Provenance provenance, ExportPolicy policy, long cells, long cellsHidden, ProtectionMethod method, Map<List<String>, Long> published,
      Map<String, String> sha256, List<List<String>> masked) {
    this(provenance, policy, cells, cellsHidden, method, published, sha256, masked, "", List.of());
  }

  /** The same manifest listing these files. */
  public TableManifest withFiles(Map<String, String> files) {
    return new TableManifest(provenance, policy, cells, cellsHidden, method, published, files, masked, publicSource, publicCells);
  }
}
