package fr.sante.workbench.anonymisation;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.sante.workbench.schemas.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The append-only, hash-chained Delta table of export attempts, each entry signed with the DPO's {@link
 * AuditKey} when one is set up. One writer at a time appends (a lock file beside the table, created atomically),
 * so concurrent exports get distinct, chained entries. {@link #verify} checks the chain, the signatures, that
 * every commit of the table's Delta history is the append of one entry (no delete, merge, restore or removed
 * commit) and, given published folders, that each folder's entry is still in the chain.
 */
public final class AuditLog {
  /** previous_hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);
  /** The file every published folder carries: its entry's id, hash and signature. */
  public static final String ENTRY_FILE = "audit-entry.json";
  private static final Pattern LOG_FILE = Pattern.compile("(\\d{20})\\.(json|crc|checkpoint\\.parquet|checkpoint\\.\\d+\\.\\d+\\.parquet)");
  private static final long LOCK_WAIT_MILLIS = 120_000;
  private static final long STALE_LOCK_MILLIS = 15 * 60_000;

  private AuditLog() {}

  /**
   * One entry before it is chained.
   *
   * @param kind EXPORT, REFUSED, FAILED or INIT
   */
  public record Entry(
      String time,
      String user,
      String kind,
      String description,
      String policy,
      String outDir,
      String files,
      long published,
      long primary,
      long secondary,
      String reason,
      String detail) {
    /** An entry without DPO detail (refusals, failures, record-level exports, administration). */
    public Entry(
        String time, String user, String kind, String description, String policy, String outDir, String files, long published, long primary, long secondary, String reason) {
      this(time, user, kind, description, policy, outDir, files, published, primary, secondary, reason, null);
    }

    /** The DPO detail of a table export (which hidden cell is which), when it has one. */
    public Optional<ProtectionDetail> protectionDetail() {
      return detail == null ? Optional.empty() : Optional.of(Manifests.readDetail(detail));
    }
  }

  /**
   * An entry as stored, read by column name.
   *
   * @param signature null when written before an audit key was set up
   */
  public record StoredEntry(long id, Entry entry, String previousHash, String hash, String signature) {
    /** Every column of the row, in the table's order, for {@code audit show} and the report. */
    public Map<String, Object> fields() {
      Map<String, Object> fields = new java.util.LinkedHashMap<>();
      fields.put("entry_id", id);
      fields.put("time", entry.time());
      fields.put("user", entry.user());
      fields.put("kind", entry.kind());
      fields.put("description", entry.description());
      fields.put("policy", entry.policy());
      fields.put("out_dir", entry.outDir());
      fields.put("files", entry.files());
      fields.put("cells_published", entry.published());
      fields.put("cells_primary", entry.primary());
      fields.put("cells_secondary", entry.secondary());
      fields.put("reason", entry.reason());
      fields.put("previous_hash", previousHash);
      fields.put("entry_hash", hash);
      fields.put("signature", signature);
      fields.put("detail", entry.detail());
      return fields;
    }

    public boolean isExport() {
      return "EXPORT".equals(entry.kind());
    }

    /** File name to SHA-256 of an export's files. */
    public Map<String, String> files() {
      try {
        return new ObjectMapper().readValue(entry.files(), new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, String>>() {});
      } catch (IOException e) {
        throw new AnonymisationException("Audit entry " + id + " has files that are not a JSON object of hashes: " + entry.files());
      }
    }
  }

  /** Every entry of the log at {@code path}, in id order (none when there is no log yet). */
  public static List<StoredEntry> entries(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      return List.of();
    }
    return spark.read().format("delta").load(path).orderBy(col("entry_id")).collectAsList().stream().map(AuditLog::stored).toList();
  }

  private static StoredEntry stored(Row r) {
    Entry entry =
        new Entry(
            r.getAs("time"), r.getAs("user"), r.getAs("kind"), r.getAs("description"), r.getAs("policy"), r.getAs("out_dir"), r.getAs("files"),
            r.<Long>getAs("cells_published"), r.<Long>getAs("cells_primary"), r.<Long>getAs("cells_secondary"), r.getAs("reason"), optional(r, "detail"));
    return new StoredEntry(r.<Long>getAs("entry_id"), entry, r.getAs("previous_hash"), r.getAs("entry_hash"), optional(r, "signature"));
  }

  /** A column added after the first lakes were written (absent or null in old rows). */
  private static String optional(Row r, String column) {
    int index = List.of(r.schema().fieldNames()).indexOf(column);
    return index < 0 || r.isNullAt(index) ? null : r.getString(index);
  }

  /** An appended entry. */
  public record Appended(long id, String hash, String signature) {}

  /** Appends {@code entry} after the last one, signed with the key if one is set up; returns its id. */
  public static long append(SparkSession spark, String path, Entry entry) {
    return appendEntry(spark, path, entry).id();
  }

  /** As {@link #append}, returning the entry's id, hash and signature. */
  public static Appended appendEntry(SparkSession spark, String path, Entry entry) {
    Optional<AuditKey> key = AuditKey.find();
    org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(path + ".lock");
    FileSystem fs = fileSystem(spark, lock);
    acquire(fs, lock, entry);
    try {
      long id = 1;
      String previous = GENESIS;
      if (exists(spark, path)) {
        List<Row> last = spark.read().format("delta").load(path).orderBy(col("entry_id").desc()).limit(1).collectAsList();
        if (!last.isEmpty()) {
          id = last.get(0).<Long>getAs("entry_id") + 1;
          previous = last.get(0).getAs("entry_hash");
        }
      }
      String hash = hash(id, entry, previous);
      String signature = key.map(k -> k.sign(hash)).orElse(null);
      Row row =
          RowFactory.create(
              id, entry.time(), entry.user(), entry.kind(), entry.description(), entry.policy(), entry.outDir(), entry.files(), entry.published(),
              entry.primary(), entry.secondary(), entry.reason(), previous, hash, signature, entry.detail());
      // mergeSchema: a lake whose audit_log predates signatures gains the column
      spark.createDataFrame(List.of(row), Schemas.auditLog().tableType()).write().format("delta").mode(SaveMode.Append).option("mergeSchema", "true").save(path);
      return new Appended(id, hash, signature);
    } finally {
      try {
        fs.delete(lock, false);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot remove the audit log's lock " + lock + " (remove it by hand)", e);
      }
    }
  }

  /** Creates the lock file atomically, waiting for another writer; a lock older than 15 minutes is named in the error. */
  private static void acquire(FileSystem fs, org.apache.hadoop.fs.Path lock, Entry entry) {
    long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
    long pause = 50;
    byte[] owner = (entry.user() + " " + entry.time() + " " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
    while (true) {
      try {
        createExclusively(fs, lock, owner);
        return;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
        // another export is appending
      } catch (IOException e) {
        if (!existsQuietly(fs, lock)) {
          throw new UncheckedIOException("Cannot create the audit log's lock " + lock, e);
        }
      }
      if (System.currentTimeMillis() > deadline) {
        String age = "";
        try {
          long millis = System.currentTimeMillis() - fs.getFileStatus(lock).getModificationTime();
          age = millis > STALE_LOCK_MILLIS ? " (it is " + millis / 60_000 + " minutes old: if no export is running, remove it)" : "";
        } catch (IOException ignored) {
          // gone meanwhile: the next try takes it
        }
        throw new AnonymisationException("Cannot append to the audit log: another export has held " + lock + " for over " + LOCK_WAIT_MILLIS / 1000 + " s" + age);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AnonymisationException("Interrupted while waiting for the audit log's lock " + lock);
      }
      pause = Math.min(1000, pause * 2);
    }
  }

  /**
   * Creates {@code lock} only if no file is there, in one step. Hadoop's local file system checks then creates (two
   * exports starting together both got the lock, and the same entry id, on a loaded machine), so on a local disk the
   * file is created with the operating system's exclusive create; HDFS's create without overwrite is atomic already.
   */
  private static void createExclusively(FileSystem fs, org.apache.hadoop.fs.Path lock, byte[] content) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(lock).toUri());
      java.nio.file.Files.createDirectories(local.getParent());
      java.nio.file.Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      return;
    }
    try (FSDataOutputStream out = fs.create(lock, false)) {
      out.write(content);
    }
  }

  /** The kind of the entries that set the lake's {@link DpoPolicy}. */
  public static final String POLICY = "POLICY";

  /**
   * The lake's floor: the newest POLICY entry's, or {@link DpoPolicy#DEFAULT} when the DPO set none. With a key
   * set up, that entry must carry the key's signature (an analyst who can write the lake cannot loosen it).
   */
  public static DpoPolicy floor(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      return DpoPolicy.DEFAULT;
    }
    List<Row> found =
        spark.read().format("delta").load(path).filter(col("kind").equalTo(POLICY)).orderBy(col("entry_id").desc()).limit(1).collectAsList();
    if (found.isEmpty()) {
      return DpoPolicy.DEFAULT;
    }
    StoredEntry r = stored(found.get(0));
    Optional<AuditKey> key = AuditKey.find();
    if (key.isPresent() && !key.get().verifies(r.hash(), r.signature())) {
      throw new AnonymisationException(
          "Cannot export: the lake's DPO policy (audit entry " + r.id() + ") is not signed by the audit key " + key.get().fingerprint()
              + " (set by someone without the key: the DPO sets it again with 'workbench policy set')");
    }
    return DpoPolicy.fromJson(r.entry().policy());
  }

  /** Records {@code policy} as the lake's floor, in an entry signed with {@code key} (the DPO's). */
  public static long setFloor(SparkSession spark, String path, DpoPolicy policy, AuditKey key, String user) {
    Optional<AuditKey> found = AuditKey.find();
    if (found.isEmpty() || !found.get().fingerprint().equals(key.fingerprint())) {
      throw new AnonymisationException("Cannot set the lake's policy: the audit key " + key.file() + " is not the one exports sign with (" + AuditKey.location(System.getenv()) + ")");
    }
    return append(spark, path, new Entry(java.time.Instant.now().toString(), user, POLICY, "policy set: the lake's floor", policy.toJson(), "", "{}", 0, 0, 0, ""));
  }

  /** Problems found in the chain (empty when intact), without a key or published folders: see {@link #verify(SparkSession, String, Optional, List)}. */
  public static List<String> verify(SparkSession spark, String path) {
    return verify(spark, path, Optional.empty(), List.of()).problems();
  }

  /**
   * What {@code audit verify} reports.
   *
   * @param problems each altered, missing, forged or out-of-chain thing (empty when all holds)
   * @param notes what was not checked, and why (no key, unsigned legacy entries)
   */
  public record Verification(List<String> problems, List<String> notes, long entries, long signed, long folders) {}

  /**
   * Checks the hash chain; with a key, the signatures (an entry after the first signed one, and the newest
   * entry, must be signed: a chain rewritten or cut by someone without the key fails); the Delta history of the
   * table (every commit after the creation appends exactly one entry; no version missing from the log folder);
   * and every {@link #ENTRY_FILE} under {@code folders}: its entry must be in the chain with the same hash.
   */
  public static Verification verify(SparkSession spark, String path, Optional<AuditKey> key, List<Path> folders) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<StoredEntry> rows = entries(spark, path);
    Map<Long, String> hashes = new TreeMap<>();
    String previous = GENESIS;
    long expectedId = 1;
    long signed = 0;
    boolean seenSigned = false;
    for (StoredEntry r : rows) {
      long id = r.id();
      if (id != expectedId) {
        problems.add("Expected entry " + expectedId + " but found entry " + id + " (an entry was deleted)");
        expectedId = id;
      }
      Entry entry = r.entry();
      if (!r.previousHash().equals(previous)) {
        problems.add("Entry " + id + " does not follow the previous entry (previous_hash differs)");
      }
      String hash = r.hash();
      if (!hash(id, entry, r.previousHash()).equals(hash)) {
        problems.add("Entry " + id + " was altered (its hash does not match its fields)");
      }
      String signature = r.signature();
      if (signature != null) {
        signed++;
        seenSigned = true;
        if (key.isPresent() && !key.get().verifies(hash, signature)) {
          problems.add("Entry " + id + " has a signature that the audit key " + key.get().fingerprint() + " did not make (forged, or signed with another key)");
        }
      } else if (key.isPresent() && seenSigned) {
        problems.add("Entry " + id + " is unsigned although earlier entries are signed (written without the key: forged?)");
      }
      hashes.put(id, hash);
      previous = hash;
      expectedId++;
    }
    if (key.isPresent() && !rows.isEmpty() && rows.get(rows.size() - 1).signature() == null) {
      problems.add(
          "The newest entry " + rows.get(rows.size() - 1).id() + " is unsigned: with a key set up, the chain must end with a signed entry "
              + "(a chain cut or rewritten without the key ends unsigned; after 'audit init', run 'audit init --lake' to sign the chain)");
    }
    if (key.isEmpty()) {
      notes.add(
          "No audit key (" + AuditKey.ENV + " or ~/.workbench/audit.key): signatures not checked, so a chain rewritten consistently would pass; "
              + "the DPO sets one up with 'workbench audit init'");
    } else if (signed < rows.size()) {
      notes.add((rows.size() - signed) + " entries written before the key was set up are unsigned (covered by the first signed entry's chain)");
    }
    problems.addAll(history(spark, path, rows.size()));
    long checkedFolders = 0;
    for (Path folder : folders) {
      for (Path file : entryFiles(folder)) {
        checkedFolders++;
        problems.addAll(checkEntryFile(file, hashes, key));
      }
    }
    return new Verification(problems, notes, rows.size(), signed, checkedFolders);
  }

  /** The table's Delta log: contiguous versions, each after the first the append of one entry. */
  private static List<String> history(SparkSession spark, String path, long entries) {
    List<String> problems = new ArrayList<>();
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
    TreeSet<Long> commits = new TreeSet<>();
    TreeSet<Long> traces = new TreeSet<>();
    try {
      for (FileStatus status : fileSystem(spark, log).listStatus(log)) {
        Matcher m = LOG_FILE.matcher(status.getPath().getName());
        if (m.matches()) {
          (m.group(2).equals("json") ? commits : traces).add(Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the audit log's Delta log " + log, e);
    }
    if (commits.isEmpty()) {
      return List.of("The audit log's Delta log " + log + " has no commit");
    }
    long last = commits.last();
    for (long v = commits.first(); v <= last; v++) {
      if (!commits.contains(v)) {
        problems.add("Commit " + v + " of the audit log is missing from its Delta log (removed by hand)");
      }
    }
    for (long v : traces.tailSet(last, false)) {
      problems.add("The audit log's Delta log has traces of commit " + v + " (a checksum or checkpoint) but no commit file: the newest commits were removed");
    }
    long appended = 0;
    for (Row h : spark.sql("DESCRIBE HISTORY delta.`" + path.replace("`", "``") + "`").select("version", "operation", "operationParameters", "operationMetrics").collectAsList()) {
      long version = h.getLong(0);
      String operation = h.getString(1);
      Map<String, String> parameters = h.getJavaMap(2);
      Map<String, String> metrics = h.isNullAt(3) ? Map.of() : h.getJavaMap(3);
      boolean creation = version == commits.first() && operation.startsWith("CREATE");
      boolean append = operation.equals("WRITE") && "Append".equals(parameters.get("mode"));
      if (creation) {
        continue;
      }
      if (!append) {
        problems.add("Commit " + version + " of the audit log is a " + operation + " " + parameters + " (expected only appends of one entry: the log was changed)");
      } else if (!"1".equals(metrics.getOrDefault("numOutputRows", "1"))) {
        problems.add("Commit " + version + " of the audit log appended " + metrics.get("numOutputRows") + " rows (expected one entry per commit)");
      } else {
        appended++;
      }
    }
    if (!problems.isEmpty()) {
      // a delete, overwrite or restore already explains files left out of the current state
      return problems;
    }
    // a data file the table's log does not list: a commit removed with its traces (or a file added by hand)
    java.util.Set<String> listed = new java.util.HashSet<>();
    for (String file : spark.read().format("delta").load(path).inputFiles()) {
      listed.add(new org.apache.hadoop.fs.Path(file).getName());
    }
    org.apache.hadoop.fs.Path table = new org.apache.hadoop.fs.Path(path);
    try {
      for (FileStatus status : fileSystem(spark, table).listStatus(table)) {
        String name = status.getPath().getName();
        if (status.isFile() && name.endsWith(".parquet") && !listed.contains(name)) {
          problems.add("Data file " + name + " of the audit log is not in the table's current state: a commit was removed, an entry deleted, or the file added by hand");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the audit log's files " + table, e);
    }
    if (problems.isEmpty() && commits.first() == 0 && appended != entries) {
      problems.add("The audit log holds " + entries + " entries but its history appended " + appended);
    }
    return problems;
  }

  /** Every {@link #ENTRY_FILE} under {@code folder} (the folder itself, or published folders below it). */
  private static List<Path> entryFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new AnonymisationException("Cannot verify published folders: '" + folder + "' is not a folder");
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.getFileName().toString().equals(ENTRY_FILE)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder, e);
    }
  }

  private static List<String> checkEntryFile(Path file, Map<Long, String> hashes, Optional<AuditKey> key) {
    try {
      JsonNode node = new ObjectMapper().readTree(file.toFile());
      long id = node.path("entry_id").asLong(-1);
      String hash = node.path("entry_hash").asText("");
      if (!hashes.containsKey(id)) {
        return List.of("Published folder " + file.getParent() + " carries audit entry " + id + ", which is not in the audit log (the log was cut or rolled back)");
      }
      if (!hashes.get(id).equals(hash)) {
        return List.of("Published folder " + file.getParent() + " carries audit entry " + id + " with another hash than the log's (the log was rewritten)");
      }
      String signature = node.path("signature").isNull() ? null : node.path("signature").asText(null);
      if (key.isPresent() && signature != null && !key.get().verifies(hash, signature)) {
        return List.of("Published folder " + file.getParent() + " carries a signature the audit key did not make");
      }
      return List.of();
    } catch (IOException e) {
      return List.of("Cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Writes {@link #ENTRY_FILE} into a published folder. */
  static void writeEntryFile(Path folder, String auditLog, Appended appended) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = json.createObjectNode();
    node.put("entry_id", appended.id());
    node.put("entry_hash", appended.hash());
    node.put("signature", appended.signature());
    node.put("audit_log", auditLog);
    Files.writeString(folder.resolve(ENTRY_FILE), json.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n", StandardCharsets.UTF_8);
  }

  static String hash(long id, Entry e, String previous) {
    List<String> fields =
        new ArrayList<>(List.of(
            Long.toString(id), e.time(), e.user(), e.kind(), e.description(), e.policy(), e.outDir(), e.files(), Long.toString(e.published()),
            Long.toString(e.primary()), Long.toString(e.secondary()), e.reason(), previous));
    if (e.detail() != null) {
      // the DPO detail, hashed when present (entries written before it existed keep their hash)
      fields.add(e.detail());
    }
    String canonical;
    if (fields.stream().anyMatch(f -> f.indexOf(SEPARATOR) >= 0)) {
      // a field holding the separator (a query may) could move the boundaries between fields without changing the
      // joined text: such an entry is hashed with every field prefixed by its length, which the plain form (it starts
      // with the entry id's digits) can never equal
      StringBuilder prefixed = new StringBuilder("v2");
      fields.forEach(f -> prefixed.append(SEPARATOR).append(f.length()).append(':').append(f));
      canonical = prefixed.toString();
    } else {
      canonical = String.join(String.valueOf(SEPARATOR), fields);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("This JVM has no SHA-256", ex);
    }
  }

  private static final char SEPARATOR = '\u001f';

  private static FileSystem fileSystem(SparkSession spark, org.apache.hadoop.fs.Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach " + path, e);
    }
  }

  private static boolean existsQuietly(FileSystem fs, org.apache.hadoop.fs.Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean exists(SparkSession spark, String path) {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
    try {
      return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot check the audit log at " + path, e);
    }
  }
}
