package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An entry's hash binds each field to its place: text holding the separator cannot move a boundary between fields. */
class AuditHashTest {
  private static AuditLog.Entry entry(String kind, String description) {
    return new AuditLog.Entry("2026-12-02T00:00:00Z", "analyst", kind, description, "{}", "/out", "{}", 3, 1, 2, "");
  }

  @Test
  void movingTheSeparatorBetweenFieldsChangesTheHash() {
    String honest = AuditLog.hash(7, entry("EXPORT", "SELECT 1 -- x\u001fy"), AuditLog.GENESIS);
    assertThat(AuditLog.hash(7, entry("EXPORT\u001fSELECT 1 -- x", "y"), AuditLog.GENESIS)).isNotEqualTo(honest);
    assertThat(AuditLog.hash(7, entry("EXPORT", "SELECT 1 -- x\u001fy"), AuditLog.GENESIS)).isEqualTo(honest);
  }

  @Test
  void entriesWithoutTheSeparatorKeepTheirDocumentedHash() throws Exception {
    AuditLog.Entry e = entry("EXPORT", "SELECT 1");
    String plain = String.join("\u001f", "7", e.time(), e.user(), e.kind(), e.description(), e.policy(), e.outDir(), e.files(), "3", "1", "2", "", AuditLog.GENESIS);
    String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(AuditLog.hash(7, e, AuditLog.GENESIS)).isEqualTo(expected);
  }
}
