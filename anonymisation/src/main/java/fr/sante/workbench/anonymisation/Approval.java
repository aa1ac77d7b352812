package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The DPO's decision on one export: who asked for it, for what, who receives it, who decided, what and when.
 * Recorded as an {@link #KIND} entry of the audit chain, signed with the audit key like every entry, so that
 * {@code audit verify} catches an edited decision as it catches an edited export.
 *
 * @param entry the export entry decided on
 * @param date the day of the decision (ISO-8601)
 */
public record Approval(long entry, String requester, String purpose, String recipient, String approver, Decision decision, LocalDate date) {
  /** The kind of the audit entries recording a decision. */
  public static final String KIND = "APPROVAL";

  /** What the DPO decided. */
  public enum Decision {
    APPROVED,
    REJECTED;

    /** {@code approved} or {@code rejected}, as typed on the command line. */
    public static Decision parse(String text) {
      for (Decision d : values()) {
        if (d.name().equalsIgnoreCase(text.trim())) {
          return d;
        }
      }
      throw new AnonymisationException("Invalid decision: '" + text + "' (must be approved or rejected)");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Approval {
    Objects.requireNonNull(decision, "decision is null");
    Objects.requireNonNull(date, "date is null");
    if (entry < 1) {
      throw new AnonymisationException("Invalid audit entry: " + entry + " (must be >= 1)");
    }
    requireText("requester", requester);
    requireText("purpose", purpose);
    requireText("recipient", recipient);
    requireText("approver", approver);
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new AnonymisationException("Invalid " + field + ": '" + (value == null ? "" : value) + "' (must be given: the decision names it)");
    }
  }

  /** The decision as the entry's JSON (its {@code policy} field). */
  public String toJson() {
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("entry", entry);
    node.put("requester", requester);
    node.put("purpose", purpose);
    node.put("recipient", recipient);
    node.put("approver", approver);
    node.put("decision", decision.label());
    node.put("date", date.toString());
    return node.toString();
  }

  /** The decision an {@link #KIND} entry records. */
  public static Approval fromJson(String json) {
    try {
      JsonNode node = new ObjectMapper().readTree(json);
      return new Approval(node.path("entry").asLong(-1), node.path("requester").asText(""), node.path("purpose").asText(""), node.path("recipient").asText(""),
          node.path("approver").asText(""), Decision.parse(node.path("decision").asText("")), LocalDate.parse(node.path("date").asText("")));
    } catch (IOException | DateTimeParseException e) {
      throw new AnonymisationException("Expected an approval as JSON (entry, requester, purpose, recipient, approver, decision, date) but found: " + json);
    }
  }

  /**
   * Appends the decision to the audit log at {@code path}, signed: the audit key must be set up (an unsigned
   * decision could be written by anyone who can write the lake), and the entry decided on must be an export.
   */
  public static AuditLog.Appended record(SparkSession spark, String path, Approval approval) {
    if (AuditKey.find().isEmpty()) {
      throw new AnonymisationException("Cannot record a decision: no audit key (" + AuditKey.location(System.getenv())
          + ") to sign it with; the DPO sets one up with 'workbench audit init'");
    }
    AuditLog.StoredEntry export =
        AuditLog.entries(spark, path).stream().filter(e -> e.id() == approval.entry()).findFirst()
            .orElseThrow(() -> new AnonymisationException("Cannot record a decision: no audit entry " + approval.entry() + " (see 'workbench audit list')"));
    if (!export.isExport()) {
      throw new AnonymisationException(
          "Cannot record a decision on audit entry " + approval.entry() + ": it is a " + export.entry().kind() + " entry, not an EXPORT (nothing was published)");
    }
    AuditLog.Entry entry =
        new AuditLog.Entry(java.time.Instant.now().toString(), approval.approver(), KIND,
            "decision on export " + approval.entry() + ": " + approval.decision().label(), approval.toJson(), export.entry().outDir(), "{}", 0, 0, 0,
            approval.decision().label());
    return AuditLog.appendEntry(spark, path, entry);
  }

  /** The decisions recorded on export {@code id}, oldest first (the newest is the one that stands). */
  public static List<Approval> of(List<AuditLog.StoredEntry> entries, long id) {
    return entries.stream().filter(e -> KIND.equals(e.entry().kind())).map(e -> fromJson(e.entry().policy())).filter(a -> a.entry() == id).toList();
  }

  /** The decision that stands on export {@code id}: the newest recorded. */
  public static Optional<Approval> latest(List<AuditLog.StoredEntry> entries, long id) {
    List<Approval> all = of(entries, id);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
