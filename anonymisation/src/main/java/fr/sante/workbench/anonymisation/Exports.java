package fr.sante.workbench.anonymisation;

import fr.sante.workbench.anonymisation.internal.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;

/**
 * The only way a result leaves the lake. {@link #write} aggregates the result by the policy's dimensions,
 * protects the table (primary and secondary suppression), writes {@code table.csv} and {@code manifest.json},
 * verifies the written files as {@code audit verify} would, and appends an audit entry. A refusal appends an entry
 * too and throws {@link DisclosureCheckFailedException}; nothing else is written.
 */
public final class Exports {
  /** Inner cells the gate protects (in memory, on the driver); larger tables are refused with a clear message. */
  public static final int MAX_CELLS = 2_000_000;

  public static final String TABLE_FILE = "table.csv";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String RECORDS_FILE = "records.csv";
  public static final String TABLE_PARQUET = "table.parquet";
  public static final String RECORDS_PARQUET = "records.parquet";

  private Exports() {}

  /**
   * Where and what an export is.
   *
   * @param auditLog path of the {@code audit_log} Delta table
   * @param outDir folder to create (must not exist, or be empty)
   * @param description the query or study exported, for the DPO
   * @param inputs the lake tables the result was read from, with their Delta versions (the snapshot read)
   * @param parquet also write the published file as Parquet
   * @param progress receives a line at each step (with the elapsed time), for long exports
   */
  public record Request(
      String auditLog,
      Path outDir,
      String description,
      String workbenchVersion,
      Map<String, Long> inputs,
      boolean parquet,
      java.util.function.Consumer<String> progress,
      CountSources countSources) {
    public Request {
      Objects.requireNonNull(progress, "progress is null");
      Objects.requireNonNull(countSources, "countSources is null");
      Objects.requireNonNull(auditLog, "auditLog is null");
      Objects.requireNonNull(outDir, "outDir is null");
      Objects.requireNonNull(description, "description is null");
      Objects.requireNonNull(workbenchVersion, "workbenchVersion is null");
      inputs = java.util.Collections.unmodifiableMap(new TreeMap<>(inputs));
    }

    /** Without recorded inputs (data not read from the lake) and without Parquet. */
    public Request(String auditLog, Path outDir, String description, String workbenchVersion) {
      this(auditLog, outDir, description, workbenchVersion, Map.of(), false, line -> {}, CountSources.SCHEMAS);
    }

    public Request(String auditLog, Path outDir, String description, String workbenchVersion, Map<String, Long> inputs, boolean parquet) {
      this(auditLog, outDir, description, workbenchVersion, inputs, parquet, line -> {}, CountSources.SCHEMAS);
    }

    public Request withProgress(java.util.function.Consumer<String> newProgress) {
      return new Request(auditLog, outDir, description, workbenchVersion, inputs, parquet, newProgress, countSources);
    }

    /** The same request, tracing counts and amounts to {@code sources} (default: the lake's schemas). */
    public Request withCountSources(CountSources sources) {
      return new Request(auditLog, outDir, description, workbenchVersion, inputs, parquet, progress, sources);
    }

    /** A clock started now, reporting each step to {@link #progress} with the time elapsed. */
    Steps steps() {
      long start = System.nanoTime();
      return what -> progress.accept(String.format(java.util.Locale.ROOT, "[%6.1f s] %s", (System.nanoTime() - start) / 1e9, what));
    }
  }

  /** Progress of one export. */
  @FunctionalInterface
  interface Steps {
    void step(String what);
  }

  /** A published export. */
  public record Result(Path table, Path manifest, long auditEntry, PublishedTable published, Protection protection) {}

  /**
   * How the table was protected, for the analyst's terminal and the DPO (the audit entry): never in the published
   * folder, whose manifest says only how many cells are hidden.
   *
   * @param primary cells hidden as small or dominated
   * @param secondary cells hidden to protect them
   * @param secondaryLoss the counts those hide
   */
  public record Protection(long primary, long secondary, long secondaryLoss) {}

  public static Result write(SparkSession spark, Dataset<Row> data, ExportPolicy policy, Request request) {
    String time = Instant.now().toString();
    String user = System.getProperty("user.name", "unknown");
    return staged(spark, policy, request, time, user, dir -> writeTable(spark, data, policy, request, time, user, dir));
  }

  /** An export's writing, given the hidden folder its files go to until {@link #seal} moves them into place. */
  @FunctionalInterface
  interface StagedWrite<T> {
    T write(Path dir);
  }

  /**
   * Runs {@code write} with a fresh hidden folder beside the (empty or absent) output folder ({@link Staging}), and
   * deletes that folder on the way out whatever happens (once sealed it has been moved into place). A failure that is
   * not a refusal is logged as FAILED; an {@link Error} (out of memory) leaves no file either.
   */
  static <T> T staged(SparkSession spark, Policy policy, Request request, String time, String user, StagedWrite<T> write) {
    Path dir;
    try {
      checkOutput(request.outDir());
      dir = Staging.open(request.outDir());
    } catch (RuntimeException e) {
      throw failed(spark, policy, request, time, user, e);
    }
    boolean logged = false;
    try {
      return write.write(dir);
    } catch (PublishedWithoutEntryFile published) {
      logged = true; // its entry is in the log: the files stay, where the message says
      throw published;
    } catch (DisclosureCheckFailedException refused) {
      throw refused;
    } catch (RuntimeException e) {
      throw failed(spark, policy, request, time, user, e);
    } finally {
      if (!logged) {
        Staging.discard(dir);
      }
    }
  }

  private static Result writeTable(SparkSession spark, Dataset<Row> data, ExportPolicy policy, Request request, String time, String user, Path dir) {
    Steps steps = request.steps();
    checkColumns(data, policy);
    DpoPolicy floor = AuditLog.floor(spark, request.auditLog());
    List<String> looser = floor.looserIn(policy);
    if (!looser.isEmpty()) {
      throw refuse(spark, policy, request, time, user, String.join("; ", looser) + " (the DPO's floor for this lake: workbench policy show)");
    }
    try {
      CountLineage.check(data, policy, request.countSources());
    } catch (AnonymisationException e) {
      throw refuse(spark, policy, request, time, user, e.getMessage());
    }
    // a source the DPO declared public: a cell that is exactly one of its rows is its producer's own published cell
    java.util.Optional<String> publicSource =
        floor.publicSources().isEmpty() ? java.util.Optional.empty() : publicSource(data, policy, floor, request).map(CountLineage.PerRow::table);
    steps.step("aggregating the result by " + String.join(", ", policy.dimensions()) + " in Spark");
    Aggregated aggregated = aggregate(data, policy, publicSource.isPresent());
    FrequencyTable table = aggregated.table();
    Set<List<String>> publicKnown = publicSource.isPresent() ? publicCells(table, aggregated.singleRow(), aggregated.masked()) : Set.of();
    Set<List<String>> known = new java.util.LinkedHashSet<>(publicKnown);
    known.addAll(knownTotals(table, policy, aggregated.masked()));
    CellSuppression.Result protection;
    try {
      // rounded tables whose file cannot be re-checked by LP cell by cell use cubes, whose check is structural
      ProtectionMethod method = CellSuppression.method(table, policy.suppression(), aggregated.amounts(), policy.rounding());
      steps.step(String.format(java.util.Locale.ROOT, "protecting %,d cells (margins included) by %s", table.cells().size(),
          method.describe()));
      protection =
          policy.secondary()
              ? CellSuppression.protect(table, policy.suppression(), aggregated.amounts(), method, aggregated.masked(), known)
              : CellSuppression.primaryOnly(table, policy.suppression(), aggregated.amounts(), aggregated.masked(), known);
    } catch (AnonymisationException e) {
      throw refuse(spark, policy, request, time, user, e.getMessage());
    }
    try {
      steps.step(String.format(java.util.Locale.ROOT, "%,d small or dominated cells, %,d hidden to protect them; writing and re-checking the files",
          protection.primary().size(), protection.secondary().size()));
      Path written = dir.resolve(TABLE_FILE);
      List<PublishedTable.Cell> cells = publishedCells(protection, policy);
      TableCsv.write(written, policy, cells);
      Map<String, String> files = new TreeMap<>(Map.of(TABLE_FILE, Hashes.sha256(written)));
      if (request.parquet()) {
        Path parquet = dir.resolve(TABLE_PARQUET);
        writeParquet(tableRows(spark, policy, cells), parquet);
        files.put(TABLE_PARQUET, Hashes.sha256(parquet));
      }
      Map<List<String>, Long> values = new java.util.LinkedHashMap<>();
      cells.stream().filter(c -> !c.suppressed()).forEach(c -> values.put(c.key(), c.count().getAsLong()));
      List<List<String>> smallPublic =
          cells.stream().filter(c -> publicKnown.contains(c.key()) && c.count().isPresent() && policy.suppression().isSmall(c.count().getAsLong())).map(PublishedTable.Cell::key)
              .toList();
      String publicStatement =
          publicSource.isEmpty() ? ""
              : String.format(java.util.Locale.ROOT, "%s: %s; declared public by the DPO at version %d (policy set --public-source), read at that version. %,d cells"
                  + " are exactly one of its rows (or sums of such cells only) and were published as they are, never suppressed; public_cells lists those below the"
                  + " threshold", publicSource.orElseThrow(), request.countSources().openData(publicSource.orElseThrow()).orElse(""),
                  floor.publicSources().get(publicSource.orElseThrow()), publicKnown.size());
      TableManifest manifest =
          new TableManifest(
              provenance(request, time, user), policy, cells.size(), cells.stream().filter(PublishedTable.Cell::suppressed).count(), protection.method(), values, files,
              maskedCells(protection.masked(), cells), publicStatement, smallPublic);
      ProtectionDetail detail = detail(protection, policy);
      long entry = seal(spark, policy, request, dir, time, user, manifest, detail, "table", values.size(), protection.primary().size(), protection.secondary().size());
      Releases.append(spark, request.auditLog(), entry, "entry-" + entry, request.outDir(), manifest.provenance(), policy, cells);
      steps.step("published, audit entry " + entry);
      return new Result(request.outDir().resolve(TABLE_FILE), request.outDir().resolve(MANIFEST_FILE), entry, new PublishedTable(request.outDir(), manifest.withFiles(files), cells),
          new Protection(protection.primary().size(), protection.secondary().size(), protection.secondaryLoss()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the export to " + request.outDir(), e);
    }
  }

  /** A published record-level export. */
  public record MicrodataResult(Path records, Path manifest, long auditEntry, Microdata.Anonymised anonymised) {}

  /**
   * Publishes record-level results: k-anonymity (and l-diversity) by the least-loss generalisation of the
   * policy's hierarchies with at most the allowed share of records suppressed ({@link Microdata}), then
   * {@code records.csv} and {@code manifest.json} (generalisation, loss, risk before and after, class sizes),
   * re-checked from the written files as {@code audit verify} does, and an audit entry. When no generalisation
   * satisfies the rules the refusal is logged and {@link DisclosureCheckFailedException} thrown.
   */
  public static MicrodataResult writeMicrodata(SparkSession spark, Dataset<Row> data, MicrodataPolicy policy, Request request) {
    String time = Instant.now().toString();
    String user = System.getProperty("user.name", "unknown");
    return staged(spark, policy, request, time, user, dir -> writeRecords(spark, data, policy, request, time, user, dir));
  }

  private static MicrodataResult writeRecords(SparkSession spark, Dataset<Row> data, MicrodataPolicy policy, Request request, String time, String user, Path dir) {
    Steps steps = request.steps();
    DpoPolicy floor = AuditLog.floor(spark, request.auditLog());
    List<String> looser = new ArrayList<>(floor.looserIn(policy));
    looser.addAll(insensitiveProblems(data, policy, floor, request.countSources()));
    if (!looser.isEmpty()) {
      throw refuse(spark, policy, request, time, user, String.join("; ", looser) + " (the DPO's floor for this lake: workbench policy show)");
    }
    Microdata.Anonymised anonymised;
    try {
      steps.step("counting the records by quasi-identifiers in Spark, then searching the least-loss generalisation");
      anonymised = Microdata.anonymise(data, policy);
    } catch (NoSafeGeneralisationException e) {
      throw refuse(spark, policy, request, time, user, e.getMessage());
    }
    Dataset<Row> released = anonymised.released().persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      steps.step("generalisation " + anonymised.generalisation().describe() + "; writing and re-checking the records");
      Path csv = dir.resolve(RECORDS_FILE);
      long written = RecordsCsv.write(released, csv);
      Map<String, String> files = new TreeMap<>(Map.of(RECORDS_FILE, Hashes.sha256(csv)));
      if (request.parquet()) {
        Path parquet = dir.resolve(RECORDS_PARQUET);
        writeParquet(released, parquet);
        files.put(RECORDS_PARQUET, Hashes.sha256(parquet));
      }
      RecordsManifest manifest =
          new RecordsManifest(
              provenance(request, time, user), policy.toJson(), policy.kAnonymity().quasiIdentifiers(), policy.kAnonymity().k(), sensitive(policy),
              Microdata.rules(policy), written, anonymised.generalisation(), anonymised.before(), anonymised.after(), files);
      long entry = seal(spark, policy, request, dir, time, user, manifest, null, "records", written, anonymised.generalisation().suppressedRecords(), 0);
      steps.step("published, audit entry " + entry);
      return new MicrodataResult(request.outDir().resolve(RECORDS_FILE), request.outDir().resolve(MANIFEST_FILE), entry, anonymised);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the export to " + request.outDir(), e);
    } finally {
      released.unpersist();
    }
  }

  /**
   * An insensitive column is published as it is: it may not come from a quasi-identifier (data-schemas), nor,
   * unless the DPO allows it, have a value unique to more than 1 % of the records (an amount in cents does).
   */
  private static List<String> insensitiveProblems(Dataset<Row> data, MicrodataPolicy policy, DpoPolicy floor, CountSources sources) {
    List<String> problems = new ArrayList<>();
    long records = -1;
    for (String column : policy.insensitive()) {
      ColumnLineage.Lineage lineage = ColumnLineage.of(data, column);
      for (ColumnLineage.SourceColumn source : lineage.sources()) {
        if (sources.isQuasiIdentifier(source.table(), source.column())) {
          problems.add("insensitive column '" + column + "' comes from " + source.describe() + ", a quasi-identifier (give it a hierarchy instead)");
        }
      }
      if (!lineage.untraceable().isEmpty()) {
        problems.add("insensitive column '" + column + "' cannot be traced to its sources through " + lineage.untraceable());
      }
      if (floor.insensitive().contains(column)) {
        continue;
      }
      records = records >= 0 ? records : data.count();
      long unique = data.groupBy(column).count().filter(org.apache.spark.sql.functions.col("count").equalTo(1)).count();
      if (records > 0 && unique > DpoPolicy.UNIQUE_SHARE * records) {
        problems.add(String.format(java.util.Locale.ROOT, "insensitive column '%s' has a value unique to %,d of %,d records (%.1f %%, more than %.0f %%): it singles them out "
            + "(generalise it into a quasi-identifier, or the DPO allows it: policy set --allow-insensitive %s)", column, unique, records, 100.0 * unique / records,
            100 * DpoPolicy.UNIQUE_SHARE, column));
      }
    }
    return problems;
  }

  static Provenance provenance(Request request, String time, String user) {
    return new Provenance(request.description(), request.inputs(), request.workbenchVersion(), user, time);
  }

  private static Map<String, Integer> sensitive(MicrodataPolicy policy) {
    Map<String, Integer> sensitive = new java.util.LinkedHashMap<>();
    policy.diversity().forEach(d -> sensitive.put(d.sensitive(), d.l()));
    return sensitive;
  }

  /**
   * Writes the manifest, re-checks the written files exactly as {@code audit verify} does (removing them and
   * refusing on any problem), and appends the audit entry; returns its id.
   */
  static long seal(
      SparkSession spark, Policy policy, Request request, Path dir, String time, String user, Manifest manifest, ProtectionDetail detail, String what,
      long published, long primary, long secondary)
      throws IOException {
    Path path = dir.resolve(MANIFEST_FILE);
    Files.writeString(path, Manifests.write(manifest), StandardCharsets.UTF_8);
    Map<String, String> files = new TreeMap<>(manifest.sha256());
    files.put(MANIFEST_FILE, Hashes.sha256(path));
    List<String> problems = PublishedTableCheck.check(dir, files, detail == null ? ProtectionDetail.NONE : detail);
    if (!problems.isEmpty()) {
      Staging.discard(dir);
      throw refuse(spark, policy, request, time, user, "the written " + what + " fail their own verification: " + String.join("; ", problems));
    }
    AuditLog.Appended appended =
        AuditLog.appendEntry(
            spark,
            request.auditLog(),
            new AuditLog.Entry(
                time, user, "EXPORT", request.description(), policy.toJson(), request.outDir().toAbsolutePath().toString(),
                new ObjectMapper().writeValueAsString(files), published, primary, secondary, "", detail == null ? null : Manifests.writeDetail(detail)));
    // the folder names its entry, so a log cut or rolled back after the export is caught by audit verify --exports
    IOException entryFile = null;
    try {
      AuditLog.writeEntryFile(dir, request.auditLog(), appended);
    } catch (IOException e) {
      entryFile = e;
    }
    try {
      Staging.publish(dir, request.outDir());
    } catch (IOException e) {
      // logged, but not in place: the files stay where they are, and the error says where and which entry they are
      throw new PublishedWithoutEntryFile(
          "Audit entry " + appended.id() + " logs this export, but its files cannot be moved from " + dir + " to " + request.outDir() + " (" + e.getMessage()
              + "): move the folder by hand; it is verified by entry ('workbench audit verify " + appended.id() + "')");
    }
    if (entryFile != null) {
      // the export is published and logged: its files stay, and the error says how to find its entry
      throw new PublishedWithoutEntryFile(
          "Published to " + request.outDir() + " with audit entry " + appended.id() + ", but cannot write its " + AuditLog.ENTRY_FILE + " (" + entryFile.getMessage()
              + "): the folder is verified by entry ('workbench audit verify " + appended.id() + "'), not by --exports");
    }
    return appended.id();
  }

  /**
   * The export's entry was appended, but its folder misses its entry file, or could not be moved into place (the
   * message says where its files are). Nothing to undo.
   */
  static final class PublishedWithoutEntryFile extends AnonymisationException {
    private static final long serialVersionUID = 1L;

    PublishedWithoutEntryFile(String message) {
      super(message);
    }
  }

  /**
   * Logs an attempt that failed for another reason than the disclosure checks (exit 1), and returns the
   * failure to rethrow: every attempt leaves an entry. A failure to log is added to it, never hides it.
   */
  static RuntimeException failed(SparkSession spark, Policy policy, Request request, String time, String user, RuntimeException failure) {
    try {
      long entry =
          AuditLog.append(
              spark, request.auditLog(), new AuditLog.Entry(time, user, "FAILED", request.description(), policy.toJson(), "", "{}", 0, 0, 0,
                  failure.getMessage() != null ? failure.getMessage() : failure.toString()));
      request.progress().accept("failed, audit entry " + entry);
    } catch (RuntimeException logging) {
      failure.addSuppressed(logging);
    }
    return failure;
  }

  /** Logs a refusal and returns the exception to throw. */
  static DisclosureCheckFailedException refuse(
      SparkSession spark, Policy policy, Request request, String time, String user, String reason) {
    long entry =
        AuditLog.append(
            spark, request.auditLog(), new AuditLog.Entry(time, user, "REFUSED", request.description(), policy.toJson(), "", "{}", 0, 0, 0, reason));
    return new DisclosureCheckFailedException("Export refused (audit entry " + entry + "): " + reason);
  }

  /**
   * A table's counts and amounts, margins included.
   *
   * @param masked cells whose count the source masked (a null count in one of their rows), with every margin
   *     summing one of them: the gate knows no value for them
   * @param singleRow inner cells that sum exactly one row of the result (computed only when asked)
   */
  record Aggregated(FrequencyTable table, Amounts amounts, Set<List<String>> masked, Set<List<String>> singleRow) {}

  /** Exact cents of a decimal or whole amount; other types are refused (money is never a double). */
  static Column cents(Column amount) {
    return amount.cast(DataTypes.createDecimalType(38, 2)).multiply(100).cast(DataTypes.LongType);
  }

  /** Every column the policy names is in the result. */
  static void checkColumns(Dataset<Row> data, ExportPolicy policy) {
    List<String> columns = Arrays.asList(data.columns());
    List<String> needed = new ArrayList<>(policy.dimensions());
    needed.add(policy.countColumn());
    needed.addAll(policy.amountColumns());
    if (policy.contributorColumn() != null) {
      needed.add(policy.contributorColumn());
    }
    for (String column : needed) {
      if (!columns.contains(column)) {
        throw new AnonymisationException("Cannot export: the result has no column '" + column + "' (columns: " + columns + ")");
      }
    }
  }

  /**
   * Sums the count and amount columns by the dimensions, in Spark, then brings the (bounded) table to the
   * driver; with a dominance rule, also each cell's protection level ({@link Dominance}).
   */
  /**
   * The margins of a table published without them: not in the file, but the reason to leave them out is that the
   * reader has them from elsewhere, so the protection treats them as known and never hides one to protect a small cell
   * (a reader who knows it would undo that protection). None for a table with margins.
   */
  static Set<List<String>> knownTotals(FrequencyTable table, ExportPolicy policy, Set<List<String>> masked) {
    if (policy.margins()) {
      return Set.of();
    }
    Set<List<String>> out = new java.util.LinkedHashSet<>();
    table.cells().keySet().stream().filter(FrequencyTable::isMargin).filter(k -> !masked.contains(k)).forEach(out::add);
    return out;
  }

  static Aggregated aggregate(Dataset<Row> data, ExportPolicy policy) {
    return aggregate(data, policy, false);
  }

  /** With {@code rowsPerCell}, also which inner cells sum exactly one row of {@code data} ({@link Aggregated#singleRow}). */
  static Aggregated aggregate(Dataset<Row> data, ExportPolicy policy, boolean rowsPerCell) {
    checkColumns(data, policy);
    checkTypes(data, policy);
    Column[] dims = policy.dimensions().stream().map(d -> col(d).cast(DataTypes.StringType).as(d)).toArray(Column[]::new);
    return aggregate(data, policy, dims, rowsPerCell);
  }

  /**
   * The public source each row of {@code data} is one row of: a table the DPO declared public, read from the lake's own
   * folder for that table (not a copy elsewhere under its name), at the version the DPO declared (an ingest since, by
   * anyone, ends the declaration), and that data-schemas says its producer publishes.
   */
  private static java.util.Optional<CountLineage.PerRow> publicSource(Dataset<Row> data, ExportPolicy policy, DpoPolicy floor, Request request) {
    String lake = new org.apache.hadoop.fs.Path(request.auditLog()).getParent().toUri().getPath();
    return CountLineage.perRowTable(data, policy)
        .filter(source -> floor.publicSources().containsKey(source.table()))
        .filter(source -> source.root().equals(new org.apache.hadoop.fs.Path(lake, source.table()).toUri().getPath()))
        .filter(source -> floor.publicSources().get(source.table()).equals(request.inputs().get(source.table())))
        .filter(source -> request.countSources().openData(source.table()).isPresent());
  }

  /**
   * The cells whose value is public: inner cells that are exactly one row of a public source (and not masked), and
   * margins whose every inner cell is.
   */
  static Set<List<String>> publicCells(FrequencyTable table, Set<List<String>> singleRow, Set<List<String>> masked) {
    Set<List<String>> out = new java.util.LinkedHashSet<>();
    Set<List<String>> notPublic = new java.util.HashSet<>();
    for (List<String> key : table.cells().keySet()) {
      if (!FrequencyTable.isMargin(key)) {
        if (singleRow.contains(key) && !masked.contains(key)) {
          out.add(key);
        } else {
          notPublic.addAll(FrequencyTable.marginsOf(key));
        }
      }
    }
    for (List<String> key : table.cells().keySet()) {
      if (FrequencyTable.isMargin(key) && !notPublic.contains(key) && !masked.contains(key)) {
        out.add(key);
      }
    }
    return out;
  }

  /** The count is whole; amounts are decimals of at most 2 decimals or whole numbers (money is never a double). */
  static void checkTypes(Dataset<Row> data, ExportPolicy policy) {
    DataType countType = data.schema().apply(policy.countColumn()).dataType();
    if (!(countType instanceof IntegralType)) {
      throw new AnonymisationException(
          "Invalid count column '" + policy.countColumn() + "': type " + countType.simpleString() + " (must be a whole count, e.g. count(*) or a bigint)");
    }
    for (String amount : policy.amountColumns()) {
      DataType type = data.schema().apply(amount).dataType();
      if (!(type instanceof IntegralType) && !(type instanceof DecimalType decimal && decimal.scale() <= 2)) {
        throw new AnonymisationException(
            "Invalid amount column '" + amount + "': type " + type.simpleString() + " (must be a decimal with at most 2 decimals, e.g. decimal(18,2), or a whole number)");
      }
    }
  }

  private static Aggregated aggregate(Dataset<Row> data, ExportPolicy policy, Column[] dims, boolean rowsPerCell) {
    List<Column> sums = new ArrayList<>();
    for (String amount : policy.amountColumns()) {
      sums.add(sum(cents(col(amount))).as("__cents_" + sums.size()));
    }
    if (rowsPerCell) {
      sums.add(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)).as("__rows"));
    }
    // a count the source masked is null: the cell has no known value (never zero)
    sums.add(org.apache.spark.sql.functions.max(col(policy.countColumn()).isNull()).as("__masked"));
    List<Row> rows =
        data.groupBy(dims).agg(sum(col(policy.countColumn()).cast(DataTypes.LongType)).as("n"), sums.toArray(Column[]::new)).limit(MAX_CELLS + 1).collectAsList();
    if (rows.size() > MAX_CELLS) {
      throw new AnonymisationException("Cannot export: more than " + MAX_CELLS + " cells (aggregate further or split the table)");
    }
    Map<List<String>, Long> inner = new HashMap<>();
    Set<List<String>> maskedInner = new java.util.HashSet<>();
    Set<List<String>> singleRow = new java.util.HashSet<>();
    List<Map<List<String>, Long>> innerAmounts = new ArrayList<>();
    policy.amountColumns().forEach(a -> innerAmounts.add(new HashMap<>()));
    for (Row row : rows) {
      List<String> key = new ArrayList<>();
      for (int d = 0; d < policy.dimensions().size(); d++) {
        if (row.isNullAt(d)) {
          throw new AnonymisationException("Cannot export: dimension '" + policy.dimensions().get(d) + "' has null values (fill or filter them in the query)");
        }
        key.add(row.getString(d));
      }
      long count = row.isNullAt(policy.dimensions().size()) ? 0 : row.getLong(policy.dimensions().size());
      if (count < 0) {
        throw new AnonymisationException("Invalid count in '" + policy.countColumn() + "' for cell " + key + ": " + count + " (counts must be >= 0)");
      }
      inner.put(key, count);
      if (row.getBoolean(row.length() - 1)) {
        maskedInner.add(key);
      }
      if (rowsPerCell && row.getLong(row.length() - 2) == 1) {
        singleRow.add(key);
      }
      for (int j = 0; j < innerAmounts.size(); j++) {
        int at = policy.dimensions().size() + 1 + j;
        innerAmounts.get(j).put(key, row.isNullAt(at) ? 0L : row.getLong(at));
      }
    }
    FrequencyTable table = FrequencyTable.withMargins(policy.dimensions(), inner);
    Set<List<String>> masked = new java.util.LinkedHashSet<>();
    maskedInner.forEach(key -> masked.addAll(FrequencyTable.marginsOf(key)));
    if (policy.amountColumns().isEmpty()) {
      return new Aggregated(table, Amounts.none(), masked, singleRow);
    }
    List<Map<List<String>, Long>> needs = policy.dominance() == null ? List.of() : Dominance.needs(data, policy);
    int cells = table.cells().size();
    long[][] values = new long[innerAmounts.size()][];
    long[][] levels = new long[innerAmounts.size()][cells];
    for (int j = 0; j < innerAmounts.size(); j++) {
      values[j] = table.marginSums(innerAmounts.get(j));
      int i = 0;
      for (List<String> key : table.cells().keySet()) {
        levels[j][i++] = needs.isEmpty() ? 0 : needs.get(j).getOrDefault(key, 0L);
      }
    }
    return new Aggregated(table, new Amounts(policy.amountColumns(), values, levels), masked, singleRow);
  }

  /** The lines of {@code table.csv}: every cell (margins when published), rounded, hidden ones without values. */
  static List<PublishedTable.Cell> publishedCells(CellSuppression.Result protection, ExportPolicy policy) {
    List<PublishedTable.Cell> cells = new ArrayList<>();
    Amounts amounts = protection.amounts();
    int index = 0;
    for (Map.Entry<List<String>, Long> cell : protection.table().cells().entrySet()) {
      int at = index++;
      if (!policy.margins() && FrequencyTable.isMargin(cell.getKey())) {
        continue;
      }
      boolean hidden = protection.isSuppressed(cell.getKey());
      Map<String, java.math.BigDecimal> values = new java.util.LinkedHashMap<>();
      for (int j = 0; j < amounts.values().length && !hidden; j++) {
        values.put(policy.amountColumns().get(j), java.math.BigDecimal.valueOf(amounts.values()[j][at], 2));
      }
      cells.add(new PublishedTable.Cell(
          cell.getKey(), hidden ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(IntervalVerifier.round(cell.getValue(), policy.rounding())), values, hidden));
    }
    return cells;
  }

  /** The published cells the source masked, in file order. */
  static List<List<String>> maskedCells(Set<List<String>> masked, List<PublishedTable.Cell> cells) {
    return cells.stream().map(PublishedTable.Cell::key).filter(masked::contains).toList();
  }

  /** What only the DPO sees: which hidden cell is which, the cubes' partners, and each small cell's LP interval. */
  private static ProtectionDetail detail(CellSuppression.Result protection, ExportPolicy policy) {
    List<List<String>> small = protection.primary().stream().filter(k -> policy.suppression().isSmall(protection.table().count(k))).toList();
    Map<List<String>, Interval> intervals = new java.util.LinkedHashMap<>();
    if (protection.method() == ProtectionMethod.LP) {
      small.forEach(k -> intervals.put(k, protection.intervals().get(k)));
    }
    return new ProtectionDetail(
        List.copyOf(protection.primary()), small, List.copyOf(protection.dominated()), List.copyOf(protection.secondary()), protection.certificates(), intervals);
  }

  /** The published lines as typed rows, for the Parquet copy: from the cells themselves, never re-parsed from the CSV. */
  static Dataset<Row> tableRows(SparkSession spark, ExportPolicy policy, List<PublishedTable.Cell> cells) {
    List<Row> rows = new ArrayList<>(cells.size());
    for (PublishedTable.Cell cell : cells) {
      List<Object> values = new ArrayList<>(cell.key());
      values.add(cell.count().isPresent() ? cell.count().getAsLong() : null);
      for (String amount : policy.amountColumns()) {
        values.add(cell.amount(amount).orElse(null));
      }
      values.add(cell.suppressed());
      rows.add(org.apache.spark.sql.RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, tableSchema(policy));
  }

  /** The published table's columns, typed, for its Parquet copy. */
  static org.apache.spark.sql.types.StructType tableSchema(ExportPolicy policy) {
    org.apache.spark.sql.types.StructType type = new org.apache.spark.sql.types.StructType();
    for (String d : policy.dimensions()) {
      type = type.add(d, DataTypes.StringType);
    }
    type = type.add(policy.countColumn(), DataTypes.LongType);
    for (String a : policy.amountColumns()) {
      type = type.add(a, DataTypes.createDecimalType(38, 2));
    }
    return type.add("suppressed", DataTypes.BooleanType);
  }

  /** One Parquet file at {@code target}, through a temporary folder beside it. */
  static void writeParquet(Dataset<Row> data, Path target) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    data.coalesce(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(temp.toString());
    try (var parts = Files.list(temp)) {
      Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow(() -> new IOException("Spark wrote no Parquet file in " + temp));
      Files.move(part, target);
    }
    try (var left = Files.walk(temp)) {
      for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static void checkOutput(Path outDir) {
    try {
      if (Files.exists(outDir) && (!Files.isDirectory(outDir) || Files.list(outDir).findAny().isPresent())) {
        throw new AnonymisationException("Cannot export to '" + outDir + "': it exists and is not an empty folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot inspect " + outDir, e);
    }
  }
}
