package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What a DPO runs to sign off, from the CLI ({@code audit verify}) or a notebook: the audit chain ({@link
 * AuditLog#verify}) and every export's files re-checked against its entry ({@link PublishedTableCheck}), or one
 * published folder as received (its entry must be in the chain; its files are checked where they are now).
 */
public final class ExportVerification {
  private ExportVerification() {}

  /**
   * The outcome.
   *
   * @param problems every altered, missing, forged or under-protected thing, each naming it (empty: verified)
   * @param notes what was not checked, and why
   * @param exportsChecked EXPORT entries whose files were re-checked
   */
  public record Result(AuditLog.Verification chain, List<String> problems, List<String> notes, int exportsChecked) {
    public Result {
      problems = List.copyOf(problems);
      notes = List.copyOf(notes);
    }

    public boolean verified() {
      return problems.isEmpty();
    }
  }

  /**
   * The chain of the log at {@code auditLog}, then the files of every export (or of entry {@code only}), and that
   * each published folder under {@code folders} is in the chain.
   */
  public static Result verify(SparkSession spark, String auditLog, Optional<AuditKey> key, List<Path> folders, Optional<Long> only) {
    AuditLog.Verification chain = AuditLog.verify(spark, auditLog, key, folders);
    List<String> problems = new ArrayList<>(chain.problems());
    int exports = 0;
    List<AuditLog.StoredEntry> entries = AuditLog.entries(spark, auditLog);
    if (only.isPresent() && entries.stream().noneMatch(e -> e.id() == only.get())) {
      throw new AnonymisationException("No audit entry " + only.get() + " in " + auditLog + " (see 'workbench audit list')");
    }
    for (AuditLog.StoredEntry entry : entries) {
      if (entry.isExport() && (only.isEmpty() || only.get() == entry.id())) {
        exports++;
        checkEntry(entry, Path.of(entry.entry().outDir())).forEach(p -> problems.add("Entry " + entry.id() + ": " + p));
      }
    }
    problems.addAll(jointProblems(entries, only, java.util.Map.of()));
    for (Path root : folders) {
      problems.addAll(receivedFolders(root, entries));
    }
    return new Result(chain, problems, chain.notes(), exports);
  }

  /**
   * Every folder under {@code root} that holds published files, as received: it must carry its audit entry, and its
   * files (where they are now, not where the entry says they were written) must be that entry's.
   */
  private static List<String> receivedFolders(Path root, List<AuditLog.StoredEntry> entries) {
    List<String> problems = new ArrayList<>();
    List<Path> published;
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      published = files.filter(Files::isDirectory).filter(ExportVerification::holdsPublishedFiles).sorted().toList();
    } catch (IOException e) {
      return List.of("Cannot list " + root + ": " + e.getMessage());
    }
    for (Path folder : published) {
      Path file = folder.resolve(AuditLog.ENTRY_FILE);
      if (!Files.exists(file)) {
        problems.add("Published folder " + folder + " has no " + AuditLog.ENTRY_FILE + " (not published by the gate, or its entry file was removed)");
        continue;
      }
      long id;
      try {
        id = new ObjectMapper().readTree(file.toFile()).path("entry_id").asLong(-1);
      } catch (IOException e) {
        problems.add("Cannot read " + file + ": " + e.getMessage());
        continue;
      }
      // membership and hash are AuditLog.verify's; here, the files as they are in this folder
      entries.stream().filter(e -> e.id() == id && e.isExport()).findFirst()
          .ifPresent(entry -> checkEntry(entry, folder).forEach(p -> problems.add("Published folder " + folder + " (entry " + id + "): " + p)));
    }
    return problems;
  }

  private static boolean holdsPublishedFiles(Path folder) {
    return Files.exists(folder.resolve(Exports.TABLE_FILE)) || Files.exists(folder.resolve(Exports.RECORDS_FILE)) || Files.exists(folder.resolve(ModelExports.COEFFICIENTS_FILE))
        || Files.exists(folder.resolve(Exports.MANIFEST_FILE));
  }

  /**
   * The attack on every group of tables published together ({@link JointCheck}), from their folders as they are;
   * {@code moved} gives another folder for some entries (a folder verified where it was received). With {@code
   * only}, the group of that entry.
   */
  private static List<String> jointProblems(List<AuditLog.StoredEntry> entries, Optional<Long> only, java.util.Map<Long, Path> moved) {
    java.util.Map<String, List<AuditLog.StoredEntry>> groups = new java.util.LinkedHashMap<>();
    java.util.Map<String, ProtectionDetail.Link> links = new java.util.HashMap<>();
    for (AuditLog.StoredEntry entry : entries) {
      if (!entry.isExport()) {
        continue;
      }
      Optional<ProtectionDetail> detail;
      try {
        detail = entry.entry().protectionDetail();
      } catch (AnonymisationException e) {
        continue; // reported by the entry's own check
      }
      if (detail.isPresent() && detail.get().link() != null) {
        ProtectionDetail.Link link = detail.get().link();
        groups.computeIfAbsent(link.group(), g -> new ArrayList<>()).add(entry);
        links.putIfAbsent(link.group(), link);
      }
    }
    List<String> problems = new ArrayList<>();
    for (java.util.Map.Entry<String, List<AuditLog.StoredEntry>> group : groups.entrySet()) {
      List<AuditLog.StoredEntry> members = group.getValue();
      if (only.isPresent() && members.stream().noneMatch(e -> e.id() == only.get())) {
        continue;
      }
      List<JointCheck.Part> parts = new ArrayList<>();
      int minCount = SuppressionPolicy.DEFAULT_MIN_COUNT;
      boolean zerosPublished = false;
      for (AuditLog.StoredEntry member : members) {
        Path folder = moved.getOrDefault(member.id(), Path.of(member.entry().outDir()));
        try {
          PublishedTable table = PublishedTable.read(folder);
          minCount = table.manifest().policy().suppression().minCount();
          zerosPublished = table.manifest().policy().suppression().zeros() == SuppressionPolicy.Zeros.PUBLISH;
          parts.add(new JointCheck.Part("entry " + member.id() + " (" + folder.getFileName() + ")", table.dimensions(), table.cells()));
        } catch (RuntimeException e) {
          // a missing or unreadable folder is reported by its entry's check; the others are still attacked together
        }
      }
      String ids = String.join(", ", members.stream().map(m -> String.valueOf(m.id())).toList());
      for (String problem : JointCheck.check(links.get(group.getKey()), minCount, zerosPublished, parts)) {
        problems.add("Entries " + ids + " (published together): " + problem);
      }
    }
    return problems;
  }

  /**
   * One published folder as the DPO received it (it may have been moved): its {@code audit-entry.json} must name
   * an entry of the chain, and its files must be the ones that entry recorded, protected as it says.
   */
  public static Result verifyFolder(SparkSession spark, String auditLog, Path folder) {
    Optional<AuditKey> key = AuditKey.find();
    AuditLog.Verification chain = AuditLog.verify(spark, auditLog, key, List.of(folder));
    List<String> problems = new ArrayList<>(chain.problems());
    Path file = folder.resolve(AuditLog.ENTRY_FILE);
    long id;
    try {
      JsonNode node = new ObjectMapper().readTree(file.toFile());
      id = node.path("entry_id").asLong(-1);
    } catch (IOException e) {
      problems.add("Cannot read " + file + " (every published folder carries its audit entry): " + e.getMessage());
      return new Result(chain, problems, chain.notes(), 0);
    }
    Optional<AuditLog.StoredEntry> entry = AuditLog.entries(spark, auditLog).stream().filter(e -> e.id() == id).findFirst();
    if (entry.isEmpty() || !entry.get().isExport()) {
      problems.add("Published folder " + folder + " names audit entry " + id + ", which is not an export of " + auditLog);
      return new Result(chain, problems, chain.notes(), 0);
    }
    checkEntry(entry.get(), folder).forEach(p -> problems.add("Entry " + id + ": " + p));
    // a table published with others is attacked with them (their folders where the log says they are)
    problems.addAll(jointProblems(AuditLog.entries(spark, auditLog), Optional.of(id), java.util.Map.of(id, folder)));
    return new Result(chain, problems, chain.notes(), 1);
  }

  /** An export entry's files in {@code folder}, against its hashes and its protection detail. */
  public static List<String> checkEntry(AuditLog.StoredEntry entry, Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of("The published folder " + folder + " is missing");
    }
    List<String> problems = new ArrayList<>(PublishedTableCheck.check(folder, entry.files(), entry.entry().protectionDetail().orElse(ProtectionDetail.NONE)));
    // a published folder holds what the gate wrote, nothing else
    try (java.util.stream.Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!entry.files().containsKey(name) && !name.equals(AuditLog.ENTRY_FILE)) {
          problems.add("Published folder " + folder + " holds " + name + ", which the gate did not write (the entry lists " + entry.files().keySet() + ")");
        }
      }
    } catch (IOException e) {
      problems.add("Cannot list " + folder + ": " + e.getMessage());
    }
    return problems;
  }
}
