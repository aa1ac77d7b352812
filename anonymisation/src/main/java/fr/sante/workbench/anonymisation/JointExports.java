package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.CellSuppression;
import fr.sante.workbench.anonymisation.internal.FrequencyTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Several tables of the same rows published together (a study's breakdowns): they are all margins of one union
 * table over every dimension they use, which the gate protects once; each table is that union table's cells with
 * {@code Total} in the dimensions it leaves out. A cell two tables share is therefore hidden in both or in none,
 * and what the tables give away together is what the protected union table would: nothing that pins a small cell
 * or bounds it below the threshold (re-checked on the written files by {@link JointCheck} before any entry is
 * appended, and again by {@code audit verify}). Each table gets its folder, manifest, audit entry and release rows;
 * their audit entries share a link group.
 */
public final class JointExports {
  private JointExports() {}

  /** One table of the group: its policy (dimensions a subset of the union's, the rest as every other part's) and where it goes. */
  public record Part(ExportPolicy policy, Exports.Request request) {
    public Part {
      Objects.requireNonNull(policy, "policy is null");
      Objects.requireNonNull(request, "request is null");
    }
  }

  /** The dimensions of the union table: every part's, in order of first appearance. */
  public static List<String> union(List<Part> parts) {
    LinkedHashSet<String> union = new LinkedHashSet<>();
    parts.forEach(p -> union.addAll(p.policy().dimensions()));
    return List.copyOf(union);
  }

  /**
   * Publishes every part from {@code data}, which holds every union dimension, the count column and the amount
   * columns. All parts are published, or none (a refusal or failure is audited for each part).
   */
  public static List<Exports.Result> write(SparkSession spark, Dataset<Row> data, List<Part> parts) {
    return plan(spark, data, parts).publish(false);
  }

  /**
   * The first half of {@link #write}: the union table aggregated and protected, nothing written yet. A caller that
   * publishes several groups of tables of the same rows (they share only the grand total) plans them all, then
   * publishes each with the grand total hidden if any group hides it: that one shared cell is then hidden in all
   * or in none. Hiding one more cell only widens what an attacker can deduce.
   */
  public static Plan plan(SparkSession spark, Dataset<Row> data, List<Part> parts) {
    if (parts.isEmpty()) {
      throw new AnonymisationException("Nothing to publish: no table given");
    }
    ExportPolicy first = parts.get(0).policy();
    for (Part part : parts) {
      ExportPolicy p = part.policy();
      if (!p.countColumn().equals(first.countColumn()) || p.unit() != first.unit() || !p.suppression().equals(first.suppression())
          || !p.amountColumns().equals(first.amountColumns()) || p.rounding() != first.rounding() || p.secondary() != first.secondary() || !p.margins()) {
        throw new AnonymisationException(
            "Cannot publish tables together: " + part.request().outDir().getFileName() + " has another count, unit, rule, amounts, rounding or margins than "
                + parts.get(0).request().outDir().getFileName() + " (tables published together share all of them, with margins)");
      }
      if (p.dominance() != null) {
        throw new AnonymisationException("Cannot publish tables together under a dominance rule yet: publish " + part.request().outDir().getFileName() + " on its own");
      }
    }
    List<String> union = union(parts);
    if (union.size() > FrequencyTable.MAX_DIMENSIONS) {
      throw new AnonymisationException(
          "Cannot protect tables together over " + union.size() + " dimensions " + union + " (at most " + FrequencyTable.MAX_DIMENSIONS + "): publish fewer breakdowns that share dimensions");
    }
    ExportPolicy unionPolicy =
        new ExportPolicy(union, first.countColumn(), first.unit(), first.suppression(), first.amountColumns(), null, null, true, first.rounding(), first.secondary());
    String time = Instant.now().toString();
    String user = System.getProperty("user.name", "unknown");
    for (Part part : parts) {
      try {
        Exports.checkOutput(part.request().outDir());
      } catch (RuntimeException e) {
        throw failedAll(spark, parts, time, user, e);
      }
    }
    try {
      return protect(spark, data, unionPolicy, parts, time, user);
    } catch (DisclosureCheckFailedException done) {
      throw done;
    } catch (RuntimeException e) {
      throw failedAll(spark, parts, time, user, e);
    }
  }

  /** A group of tables protected together, not written yet. */
  public static final class Plan {
    private final SparkSession spark;
    private final ExportPolicy union;
    private final List<Part> parts;
    private final CellSuppression.Result protection;
    private final ProtectionDetail.Link link;
    private final String time;
    private final String user;

    private Plan(SparkSession spark, ExportPolicy union, List<Part> parts, CellSuppression.Result protection, ProtectionDetail.Link link, String time, String user) {
      this.spark = spark;
      this.union = union;
      this.parts = parts;
      this.protection = protection;
      this.link = link;
      this.time = time;
      this.user = user;
    }

    private List<String> grandTotal() {
      return java.util.Collections.nCopies(union.dimensions().size(), FrequencyTable.TOTAL);
    }

    /** Whether the protection hides the grand total (the one cell every table of the same rows shares). */
    public boolean hidesGrandTotal() {
      return protection.isSuppressed(grandTotal());
    }

    /** Writes every table, its manifest, audit entry and release rows; with {@code hideGrandTotal}, the grand total hidden too. */
    public List<Exports.Result> publish(boolean hideGrandTotal) {
      Set<List<String>> extra = hideGrandTotal && !hidesGrandTotal() ? Set.of(List.copyOf(grandTotal())) : Set.of();
      try {
        return stagedWriteAll(spark, union, parts, protection, link, extra, time, user);
      } catch (DisclosureCheckFailedException | Exports.PublishedWithoutEntryFile done) {
        throw done;
      } catch (RuntimeException e) {
        throw failedAll(spark, parts, time, user, e);
      }
    }
  }

  private static Plan protect(SparkSession spark, Dataset<Row> data, ExportPolicy union, List<Part> parts, String time, String user) {
    Exports.Request lead = parts.get(0).request();
    Exports.Steps steps = lead.steps();
    List<String> looser = AuditLog.floor(spark, lead.auditLog()).looserIn(union);
    if (!looser.isEmpty()) {
      throw refuseAll(spark, parts, time, user, String.join("; ", looser) + " (the DPO's floor for this lake: workbench policy show)");
    }
    try {
      CountLineage.check(data, union, lead.countSources());
    } catch (AnonymisationException e) {
      throw refuseAll(spark, parts, time, user, e.getMessage());
    }
    steps.step("aggregating by " + String.join(", ", union.dimensions()) + " in Spark, the union of " + parts.size() + " tables published together");
    Exports.Aggregated aggregated = Exports.aggregate(data, union);
    FrequencyTable table = aggregated.table();
    CellSuppression.Result protection;
    try {
      ProtectionMethod method = CellSuppression.method(table, union.suppression(), aggregated.amounts(), union.rounding());
      steps.step(String.format(Locale.ROOT, "protecting the union table's %,d cells (margins included) by %s", table.cells().size(), method.describe()));
      protection =
          union.secondary()
              ? CellSuppression.protect(table, union.suppression(), aggregated.amounts(), method, aggregated.masked())
              : CellSuppression.primaryOnly(table, union.suppression(), aggregated.amounts(), aggregated.masked());
    } catch (AnonymisationException e) {
      throw refuseAll(spark, parts, time, user, e.getMessage());
    }
    List<List<String>> small = protection.primary().stream().filter(k -> union.suppression().isSmall(table.count(k))).toList();
    Map<List<String>, List<String>> certificates = new LinkedHashMap<>();
    small.forEach(k -> {
      if (protection.certificates().containsKey(k)) {
        certificates.put(k, protection.certificates().get(k));
      }
    });
    ProtectionDetail.Link link = new ProtectionDetail.Link(UUID.randomUUID().toString(), union.dimensions(), protection.method(), small, certificates);
    return new Plan(spark, union, parts, protection, link, time, user);
  }

  private static List<Exports.Result> stagedWriteAll(
      SparkSession spark, ExportPolicy union, List<Part> parts, CellSuppression.Result protection, ProtectionDetail.Link link, Set<List<String>> extra, String time,
      String user) {
    // each table is written in its hidden folder (Staging), moved into place when sealed; the rest are deleted on the way out
    List<Path> dirs = new ArrayList<>();
    boolean logged = false;
    try {
      for (Part part : parts) {
        dirs.add(Staging.open(part.request().outDir()));
      }
      return writeAll(spark, union, parts, dirs, protection, link, extra, time, user);
    } catch (Exports.PublishedWithoutEntryFile published) {
      logged = true;
      throw published;
    } finally {
      if (!logged) {
        dirs.forEach(Staging::discard);
      }
    }
  }

  private static List<Exports.Result> writeAll(
      SparkSession spark, ExportPolicy union, List<Part> parts, List<Path> dirs, CellSuppression.Result protection, ProtectionDetail.Link link, Set<List<String>> extra,
      String time, String user) {
    Exports.Steps steps = parts.get(0).request().steps();
    List<PublishedTable.Cell> unionCells = new ArrayList<>();
    for (PublishedTable.Cell cell : Exports.publishedCells(protection, union)) {
      unionCells.add(extra.contains(cell.key()) ? new PublishedTable.Cell(cell.key(), java.util.OptionalLong.empty(), Map.of(), true) : cell);
    }
    try {
      List<List<PublishedTable.Cell>> partCells = new ArrayList<>();
      List<JointCheck.Part> written = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Part part = parts.get(i);
        List<PublishedTable.Cell> cells = project(unionCells, union.dimensions(), part.policy().dimensions());
        TableCsv.write(dirs.get(i).resolve(Exports.TABLE_FILE), part.policy(), cells);
        partCells.add(cells);
        written.add(new JointCheck.Part(part.request().outDir().getFileName().toString(), part.policy().dimensions(), cells));
      }
      // the attack on every table at once, from what was written, before any entry is appended
      List<String> problems = JointCheck.check(link, union.suppression().minCount(), union.suppression().zeros() == SuppressionPolicy.Zeros.PUBLISH, written);
      if (!problems.isEmpty()) {
        dirs.forEach(Staging::discard);
        throw refuseAll(spark, parts, time, user, "the tables published together fail their joint verification: " + String.join("; ", problems));
      }
      steps.step(String.format(Locale.ROOT, "%,d small cells in the union table, %,d hidden in all; writing %d tables", protection.primary().size(),
          protection.primary().size() + protection.secondary().size(), parts.size()));
      List<Exports.Result> results = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        try {
          results.add(seal(spark, parts.get(i), dirs.get(i), partCells.get(i), union, protection, link, extra, time, user));
        } catch (Exports.PublishedWithoutEntryFile published) {
          // this table is logged and its files kept where the message says; the tables after it are not published
          dirs.subList(i + 1, dirs.size()).forEach(Staging::discard);
          throw published;
        }
      }
      return results;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the tables published together", e);
    }
  }

  /** The union's lines that belong to a table over {@code dimensions}: Total in every other dimension, in the table's order. */
  static List<PublishedTable.Cell> project(List<PublishedTable.Cell> unionCells, List<String> union, List<String> dimensions) {
    int[] at = dimensions.stream().mapToInt(union::indexOf).toArray();
    List<PublishedTable.Cell> cells = new ArrayList<>();
    for (PublishedTable.Cell cell : unionCells) {
      boolean inTable = true;
      for (int d = 0; d < union.size() && inTable; d++) {
        if (!dimensions.contains(union.get(d)) && !FrequencyTable.TOTAL.equals(cell.key().get(d))) {
          inTable = false;
        }
      }
      if (inTable) {
        List<String> key = new ArrayList<>();
        for (int index : at) {
          key.add(cell.key().get(index));
        }
        cells.add(new PublishedTable.Cell(key, cell.count(), cell.amounts(), cell.suppressed()));
      }
    }
    return cells;
  }

  private static Exports.Result seal(
      SparkSession spark, Part part, Path dir, List<PublishedTable.Cell> cells, ExportPolicy union, CellSuppression.Result protection, ProtectionDetail.Link link,
      Set<List<String>> extra, String time, String user)
      throws IOException {
    Exports.Request request = part.request();
    ExportPolicy policy = part.policy();
    Map<String, String> files = new TreeMap<>(Map.of(Exports.TABLE_FILE, Hashes.sha256(dir.resolve(Exports.TABLE_FILE))));
    if (request.parquet()) {
      Path parquet = dir.resolve(Exports.TABLE_PARQUET);
      Exports.writeParquet(Exports.tableRows(spark, policy, cells), parquet);
      files.put(Exports.TABLE_PARQUET, Hashes.sha256(parquet));
    }
    // the table's own cells, in its coordinates: which are small, which hidden to protect them
    List<String> dims = union.dimensions();
    List<List<String>> primary = new ArrayList<>();
    List<List<String>> small = new ArrayList<>();
    List<List<String>> secondary = new ArrayList<>();
    Set<List<String>> masked = new java.util.HashSet<>();
    long loss = 0;
    for (List<String> key : protection.table().cells().keySet()) {
      List<String> projected = projectKey(key, dims, policy.dimensions());
      if (projected == null) {
        continue;
      }
      if (protection.masked().contains(key)) {
        masked.add(projected);
      }
      if (protection.primary().contains(key)) {
        primary.add(projected);
        if (union.suppression().isSmall(protection.table().count(key))) {
          small.add(projected);
        }
      } else if (protection.secondary().contains(key) || extra.contains(key)) {
        secondary.add(projected);
        loss += protection.table().count(key);
      }
    }
    Map<List<String>, Long> values = new LinkedHashMap<>();
    cells.stream().filter(c -> !c.suppressed()).forEach(c -> values.put(c.key(), c.count().getAsLong()));
    TableManifest manifest =
        new TableManifest(
            new Provenance(request.description(), request.inputs(), request.workbenchVersion(), user, time), policy, cells.size(),
            cells.stream().filter(PublishedTable.Cell::suppressed).count(), protection.method(), values, files,
            Exports.maskedCells(masked, cells));
    ProtectionDetail detail = new ProtectionDetail(primary, small, List.of(), secondary, Map.of(), Map.of(), link);
    long entry = Exports.seal(spark, policy, request, dir, time, user, manifest, detail, "table", values.size(), primary.size(), secondary.size());
    Releases.append(spark, request.auditLog(), entry, link.group(), request.outDir(), manifest.provenance(), policy, cells);
    request.steps().step("published " + request.outDir().getFileName() + ", audit entry " + entry + " (group " + link.group() + ")");
    return new Exports.Result(request.outDir().resolve(Exports.TABLE_FILE), request.outDir().resolve(Exports.MANIFEST_FILE), entry, new PublishedTable(request.outDir(), manifest.withFiles(files), cells),
        new Exports.Protection(primary.size(), secondary.size(), loss));
  }

  /** A union cell's key in a table over {@code dimensions}, or null when the cell is not one of the table's. */
  private static List<String> projectKey(List<String> key, List<String> union, List<String> dimensions) {
    for (int d = 0; d < union.size(); d++) {
      if (!dimensions.contains(union.get(d)) && !FrequencyTable.TOTAL.equals(key.get(d))) {
        return null;
      }
    }
    List<String> projected = new ArrayList<>();
    for (String dimension : dimensions) {
      projected.add(key.get(union.indexOf(dimension)));
    }
    return List.copyOf(projected);
  }

  private static DisclosureCheckFailedException refuseAll(SparkSession spark, List<Part> parts, String time, String user, String reason) {
    DisclosureCheckFailedException last = null;
    for (Part part : parts) {
      last = Exports.refuse(spark, part.policy(), part.request(), time, user, reason);
    }
    return last;
  }

  private static RuntimeException failedAll(SparkSession spark, List<Part> parts, String time, String user, RuntimeException failure) {
    for (Part part : parts) {
      Exports.failed(spark, part.policy(), part.request(), time, user, failure);
    }
    return failure;
  }
}
