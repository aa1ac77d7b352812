package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.*;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-checks a published export from its files and its audit entry, for the DPO: every file's SHA-256 against
 * the entry, then for a table the CSV against the manifest's copy of the published cells, no published count
 * below the threshold, and, with the entry's {@link ProtectionDetail}, every small cell's LP interval (or cube)
 * on the published table; for records the class sizes and diversity ({@link PublishedRecordsCheck}). Returns
 * what is wrong, precisely. Used by the gate on its own output and by {@link ExportVerification}.
 */
final class PublishedTableCheck {
  private PublishedTableCheck() {}

  /**
   * @param expectedHashes file name to SHA-256, as the audit entry recorded them
   * @param detail the entry's DPO detail ({@link ProtectionDetail#NONE} when it has none: an old export's
   *     manifest may then carry it)
   */
  static List<String> check(Path outDir, Map<String, String> expectedHashes, ProtectionDetail detail) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> file : expectedHashes.entrySet()) {
      Path path = outDir.resolve(file.getKey());
      try {
        if (!Files.exists(path)) {
          problems.add("File " + path + " is missing");
        } else if (!Hashes.sha256(path).equals(file.getValue())) {
          problems.add("File " + path + " was altered (SHA-256 differs from the audit log)");
        }
      } catch (IOException e) {
        problems.add("File " + path + " cannot be read: " + e.getMessage());
      }
    }
    Path manifestPath = outDir.resolve(Exports.MANIFEST_FILE);
    if (!Files.exists(manifestPath)) {
      return problems;
    }
    Manifest manifest;
    try {
      manifest = Manifests.read(manifestPath);
      if (detail.equals(ProtectionDetail.NONE)) {
        detail = Manifests.legacyDetail(manifestPath).orElse(detail);
      } else {
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifestPath.toFile());
        for (String key : Manifests.detailKeys()) {
          if (root.has(key)) {
            problems.add("The public manifest " + manifestPath + " lists '" + key + "' (which hidden cells are which stays in the audit entry)");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add("Cannot read " + manifestPath + ": " + e.getMessage());
      return problems;
    }
    if (manifest instanceof RecordsManifest records) {
      return recheck(outDir.resolve(Exports.RECORDS_FILE), file -> PublishedRecordsCheck.check(file, records), problems);
    }
    if (manifest instanceof ModelManifest model) {
      return recheck(outDir.resolve(ModelExports.COEFFICIENTS_FILE), file -> PublishedModelCheck.check(file, model), problems);
    }
    Path csvPath = outDir.resolve(Exports.TABLE_FILE);
    if (Files.exists(csvPath)) {
      try {
        checkTable(csvPath, (TableManifest) manifest, detail, problems);
      } catch (IOException | RuntimeException e) {
        problems.add("Cannot re-check " + csvPath + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /** A check of one published file against its manifest. */
  @FunctionalInterface
  private interface FileCheck {
    List<String> check(Path file) throws IOException;
  }

  /** {@code problems} plus what {@code check} finds in {@code file} (a missing file is reported by its hash). */
  private static List<String> recheck(Path file, FileCheck check, List<String> problems) {
    if (Files.exists(file)) {
      try {
        problems.addAll(check.check(file));
      } catch (IOException | RuntimeException e) {
        problems.add("Cannot re-check " + file + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static void checkTable(Path csvPath, TableManifest manifest, ProtectionDetail detail, List<String> problems) throws IOException {
    ExportPolicy policy = manifest.policy();
    List<String> dimensions = policy.dimensions();
    int minCount = policy.suppression().minCount();
    int rounding = policy.rounding();
    Map<List<String>, Long> cells = new LinkedHashMap<>();
    List<Map<List<String>, Long>> amounts = new ArrayList<>();
    policy.amountColumns().forEach(a -> amounts.add(new LinkedHashMap<>()));
    Set<List<String>> hidden = new HashSet<>();
    Set<List<String>> publicCells = new HashSet<>(manifest.publicCells());
    if (!publicCells.isEmpty() && manifest.publicSource().isEmpty()) {
      problems.add("The manifest lists public cells but names no public source");
      publicCells.clear();
    }
    List<TableCsv.Line> lines = TableCsv.read(csvPath, policy, problems);
    Set<List<String>> inFile = new HashSet<>();
    for (TableCsv.Line line : lines) {
      PublishedTable.Cell cell = line.cell();
      List<String> key = cell.key();
      inFile.add(key);
      for (int j = 0; j < policy.amountColumns().size(); j++) {
        BigDecimal amount = cell.amounts().get(policy.amountColumns().get(j));
        amounts.get(j).put(key, cell.suppressed() || amount == null ? 0L : amount.movePointRight(2).longValueExact());
        if (cell.suppressed() && amount != null) {
          problems.add("Cell " + key + " is marked suppressed but shows an amount (line " + line.number() + ")");
        }
      }
      if (cell.suppressed()) {
        hidden.add(key);
        cells.put(key, 0L);
        if (cell.count().isPresent()) {
          problems.add("Cell " + key + " is marked suppressed but shows a value (line " + line.number() + ")");
        }
        continue;
      }
      if (cell.count().isEmpty()) {
        problems.add("Cell " + key + " is published without a count (line " + line.number() + ")");
        continue;
      }
      long count = cell.count().getAsLong();
      cells.put(key, count);
      Long expected = manifest.published().get(key);
      if (expected == null) {
        problems.add("Cell " + key + " is published but the manifest recorded it as suppressed (line " + line.number() + ")");
      } else if (expected != count) {
        problems.add("Cell " + key + " was altered: " + count + " in the file, " + expected + " when exported (line " + line.number() + ")");
      }
      if (rounding > 1 && count % rounding != 0) {
        problems.add("Cell " + key + " is published as " + count + ", not a multiple of the rounding base " + rounding + " (line " + line.number() + ")");
      }
      if (publicCells.contains(key)) {
        continue; // the source's own published cell: public whatever its size (the manifest names the source)
      }
      if (count == 0 ? policy.suppression().isSmall(0) : count < IntervalVerifier.round(minCount, rounding)) {
        problems.add("Cell " + key + " is published with a small count " + count + " (min count " + minCount + ")");
      }
    }
    // the file holds every cell the manifest counts: a line taken out, published or hidden, is named too
    long hiddenLines = lines.stream().filter(line -> line.cell().suppressed()).count();
    if (lines.size() != manifest.cells() || hiddenLines != manifest.cellsHidden()) {
      problems.add("File " + csvPath + " holds " + lines.size() + " cells (" + hiddenLines + " hidden), the manifest announces " + manifest.cells() + " ("
          + manifest.cellsHidden() + " hidden)");
    }
    for (List<String> key : manifest.published().keySet()) {
      if (!inFile.contains(key)) {
        problems.add("Cell " + key + " is published in the manifest but missing from " + csvPath);
      }
    }
    if (detail.link() != null) {
      // published with other tables: the attack runs on all of them at once (JointCheck, by ExportVerification)
      return;
    }
    // the cells the file hides are at least 1 when zeros are published (a zero would show), except those the source masked
    // (the file cannot say which hidden cell is a zero the pattern hid: if one is, the bounds fall back to 0 for all)
    Set<List<String>> nonZero = new HashSet<>();
    if (policy.suppression().zeros() == SuppressionPolicy.Zeros.PUBLISH) {
      nonZero.addAll(hidden);
      manifest.masked().forEach(nonZero::remove);
    }
    if (!policy.margins()) {
      // margins not published: unknowns for the attacker (the gate protected as if they were known)
      addUnpublishedMargins(dimensions.size(), cells, hidden, amounts);
    }
    if (manifest.method() == ProtectionMethod.HYPERCUBE) {
      checkCubes(detail, hidden, problems);
      return;
    }
    FrequencyTable table = FrequencyTable.fromCells(dimensions, cells);
    Map<List<String>, Interval> intervals = IntervalVerifier.intervals(table, hidden, rounding, nonZero);
    // small counts: the interval reaches the threshold and is not a point
    for (List<String> key : detail.primarySmall()) {
      Interval interval = intervals.get(key);
      if (interval == null) {
        problems.add("Cell " + key + " should be suppressed (small) but is published");
      } else if (!interval.protects(minCount)) {
        problems.add("Cell " + key + " is under-protected: the published table pins it to " + interval);
      }
    }
    // dominated amounts: not pinned by the published amounts (the protection level itself depends on the
    // contributions, which the files do not hold: the gate checked it on the true values)
    for (int j = 0; j < policy.amountColumns().size() && !detail.primaryDominance().isEmpty(); j++) {
      Map<List<String>, Interval> amountIntervals = IntervalVerifier.intervals(FrequencyTable.fromCells(dimensions, amounts.get(j)), hidden);
      for (List<String> key : detail.primaryDominance()) {
        Interval interval = amountIntervals.get(key);
        if (interval == null) {
          problems.add("Cell " + key + " should be suppressed (dominated " + policy.amountColumns().get(j) + ") but is published");
        } else if (interval.high() - interval.low() < 1 - Interval.EPSILON) {
          problems.add("Cell " + key + " is under-protected: the published amounts pin its " + policy.amountColumns().get(j));
        }
      }
    }
  }

  /**
   * A table protected by hypercubes: every primary cell is hidden with all the corners of its certified cube
   * (the corners' sizes were checked on the true values by the gate; the files hold no hidden value).
   */
  private static void checkCubes(ProtectionDetail detail, Set<List<String>> hidden, List<String> problems) {
    for (List<String> key : detail.primary()) {
      List<String> other = detail.certificates().get(key);
      if (other == null) {
        problems.add("Cell " + key + " has no protection certificate in its audit entry");
        continue;
      }
      publishedCorner(key, other, hidden)
          .ifPresent(corner -> problems.add("Cell " + key + " is under-protected: cell " + corner + " of its cube is published"));
    }
  }

  /** A corner of the cube spanned by {@code cell} and its {@code partner} that is not among the {@code hidden} cells, if any. */
  static java.util.Optional<List<String>> publishedCorner(List<String> cell, List<String> partner, Set<List<String>> hidden) {
    for (int mask = 0; mask < (1 << cell.size()); mask++) {
      List<String> corner = new ArrayList<>(cell);
      for (int d = 0; d < cell.size(); d++) {
        if ((mask & (1 << d)) != 0) {
          corner.set(d, partner.get(d));
        }
      }
      if (!hidden.contains(corner)) {
        return java.util.Optional.of(corner);
      }
    }
    return java.util.Optional.empty();
  }

  private static void addUnpublishedMargins(int dims, Map<List<String>, Long> cells, Set<List<String>> hidden, List<Map<List<String>, Long>> amounts) {
    List<List<String>> inner = new ArrayList<>(cells.keySet());
    for (List<String> key : inner) {
      for (int mask = 1; mask < (1 << dims); mask++) {
        List<String> margin = new ArrayList<>(key);
        for (int d = 0; d < dims; d++) {
          if ((mask & (1 << d)) != 0) {
            margin.set(d, FrequencyTable.TOTAL);
          }
        }
        List<String> fixed = List.copyOf(margin);
        if (cells.putIfAbsent(fixed, 0L) == null) {
          hidden.add(fixed);
          amounts.forEach(a -> a.put(fixed, 0L));
        }
      }
    }
  }
}
