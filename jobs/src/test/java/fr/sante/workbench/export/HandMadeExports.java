package fr.sante.workbench.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.Manifest;
import fr.sante.workbench.anonymisation.Manifests;
import fr.sante.workbench.anonymisation.ProtectionDetail;
import fr.sante.workbench.anonymisation.ProtectionMethod;
import fr.sante.workbench.anonymisation.Provenance;
import fr.sante.workbench.anonymisation.TableManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * Published folders written by hand, not by the gate: a {@code table.csv} (or {@code records.csv}) and its manifest,
 * hashed into a properly signed audit entry (the key is the one {@code AuditKey.find()} finds) with the folder's
 * {@code audit-entry.json}, so that {@code audit verify} can only tell a bad export by what the files hold.
 */
final class HandMadeExports {
  static final Provenance PROVENANCE = new Provenance("hand-made", Map.of(), "test", "tester", "2026-01-01T00:00:00Z");

  private HandMadeExports() {}

  /** A table: every cell of {@code counts} (inner and margins), those in {@code hidden} written without a value. */
  static long table(SparkSession spark, String auditLog, Path folder, ExportPolicy policy, ProtectionMethod method, Map<List<String>, Long> counts,
      Set<List<String>> hidden, ProtectionDetail detail) {
    return table(spark, auditLog, folder, policy, method, counts, hidden, detail, Set.of());
  }

  /** As above, with the cells of {@code unwritten} in the manifest (published, counted) but left out of the file. */
  static long table(SparkSession spark, String auditLog, Path folder, ExportPolicy policy, ProtectionMethod method, Map<List<String>, Long> counts,
      Set<List<String>> hidden, ProtectionDetail detail, Set<List<String>> unwritten) {
    StringBuilder csv = new StringBuilder(String.join(",", policy.dimensions()) + "," + policy.countColumn() + ",suppressed\n");
    Map<List<String>, Long> published = new LinkedHashMap<>();
    counts.forEach((key, value) -> {
      boolean isHidden = hidden.contains(key);
      if (!unwritten.contains(key)) {
        csv.append(String.join(",", key)).append(',').append(isHidden ? "" : value.toString()).append(',').append(isHidden).append('\n');
      }
      if (!isHidden) {
        published.put(key, value);
      }
    });
    Path file = write(folder.resolve("table.csv"), csv.toString());
    TableManifest manifest = new TableManifest(PROVENANCE, policy, counts.size(), hidden.size(), method, published, Map.of("table.csv", sha256(file)), List.of());
    return seal(spark, auditLog, folder, manifest, policy.toJson(), published.size(), detail.primary().size(), detail.secondary().size(), Manifests.writeDetail(detail));
  }

  /** Writes {@code manifest}, appends its signed EXPORT entry and writes the folder's entry file; returns the entry's id. */
  static long seal(SparkSession spark, String auditLog, Path folder, Manifest manifest, String policyJson, long published, long primary, long secondary, String detail) {
    Path manifestFile = write(folder.resolve("manifest.json"), Manifests.write(manifest));
    Map<String, String> files = new TreeMap<>(manifest.sha256());
    files.put("manifest.json", sha256(manifestFile));
    ObjectMapper json = new ObjectMapper();
    try {
      AuditLog.Appended appended = AuditLog.appendEntry(spark, auditLog, new AuditLog.Entry(PROVENANCE.time(), "tester", "EXPORT", "hand-made", policyJson,
          folder.toAbsolutePath().toString(), json.writeValueAsString(files), published, primary, secondary, "", detail));
      ObjectNode node = json.createObjectNode().put("entry_id", appended.id()).put("entry_hash", appended.hash()).put("signature", appended.signature()).put("audit_log", auditLog);
      write(folder.resolve(AuditLog.ENTRY_FILE), json.writeValueAsString(node));
      return appended.id();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
