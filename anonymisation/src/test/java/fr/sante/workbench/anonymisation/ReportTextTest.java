package fr.sante.workbench.anonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Typography of numbers, money and dates per language, and the audit pages' two bundles: same keys, every key the code uses. */
class ReportTextTest {
  private static final ReportText EN = ReportText.load(AuditReport.class, AuditReport.BUNDLE, ReportLanguage.EN);
  private static final ReportText FR = ReportText.load(AuditReport.class, AuditReport.BUNDLE, ReportLanguage.FR);
  private static final char NNBSP = '\u202F';

  @Test
  void writesNumbersInEachLanguagesTypographyWithoutRounding() {
    assertThat(EN.number("1234567.891")).isEqualTo("1,234,567.891");
    assertThat(FR.number("1234567.891")).isEqualTo("1" + NNBSP + "234" + NNBSP + "567,891");
    assertThat(FR.number("-1234.5")).isEqualTo("-1" + NNBSP + "234,5");
    assertThat(FR.number("999")).isEqualTo("999");
    assertThat(FR.integer(1_000)).isEqualTo("1" + NNBSP + "000");
    assertThat(FR.decimal(0.12345, 3)).isEqualTo("0,123");
  }

  @Test
  void leavesTextThatIsNoPlainNumberAsItIs() {
    for (String text : new String[] {"", "Total", "2024-01", "1.0E-4", "84 Auvergne-Rhône-Alpes", "12a"}) {
      assertThat(FR.number(text)).as(text).isEqualTo(text);
    }
  }

  @Test
  void writesTimesReadably() {
    assertThat(EN.time("2026-12-03T15:31:14.123456789Z")).isEqualTo("2026-12-03 15:31:14 UTC");
    assertThat(FR.time("2026-12-03T15:31:14.123456789Z")).isEqualTo("3 décembre 2026 à 15:31:14 UTC");
    assertThat(FR.time("not a time")).isEqualTo("not a time");
  }

  @Test
  void fillsPlaceholdersAndFormatsQuantitiesButNotStrings() {
    assertThat(FR.msg("hidden.cells", 1048)).isEqualTo("1" + NNBSP + "048 cellules");
    assertThat(FR.msg("entry.heading.export", "1048", "d'une requête")).isEqualTo("Export 1048 : d'une requête");
  }

  @Test
  void aMissingKeyOrValueIsAnErrorNeverAFallback() {
    assertThatThrownBy(() -> FR.msg("no.such.key"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Expected the report text 'no.such.key' in audit-report_fr.properties but found none");
    assertThatThrownBy(() -> FR.msg("hidden.cells"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Report text 'hidden.cells' in audit-report_fr.properties uses {0} but was given 0 values");
  }

  @Test
  void bothLanguagesHaveExactlyTheSameKeys() {
    assertThat(FR.keys()).as("keys of audit-report_fr.properties").isEqualTo(EN.keys());
    for (String key : EN.keys()) {
      assertThat(placeholders(FR.find(key).orElseThrow())).as("placeholders of %s in French", key).isEqualTo(placeholders(EN.find(key).orElseThrow()));
    }
  }

  /**
   * Every key the audit pages' source names exists: the literal keys (any string literal of AuditReport shaped like a key
   * of the bundle), and the keys it builds from enum values and field names.
   */
  @Test
  void everyKeyTheAuditPagesUseExists() throws IOException {
    String source = Files.readString(Path.of("src/main/java/fr/sante/workbench/anonymisation/AuditReport.java"), StandardCharsets.UTF_8);
    Set<String> prefixes = new TreeSet<>();
    EN.keys().forEach(k -> prefixes.add(k.substring(0, k.indexOf('.') + 1)));
    Set<String> used = new TreeSet<>();
    Matcher literal = Pattern.compile("\"([a-z_]+\\.[a-z_.]*[a-z_])\"").matcher(source);
    while (literal.find()) {
      String key = literal.group(1);
      if (prefixes.stream().anyMatch(key::startsWith)) {
        used.add(key);
      }
    }
    assertThat(used).as("literal keys found in AuditReport.java").hasSizeGreaterThan(80);
    Arrays.stream(ExportPolicy.CountUnit.values()).forEach(u -> used.add("unit." + u.name()));
    Arrays.stream(SuppressionPolicy.Zeros.values()).forEach(z -> used.add("zeros." + z.name()));
    Arrays.stream(ProtectionMethod.values()).forEach(m -> used.add("method." + m.name()));
    Arrays.stream(Approval.Decision.values()).forEach(d -> used.add("decision." + d.label()));
    for (String field : new String[] {"requester", "purpose", "recipient", "approver", "decision", "date"}) {
      used.add("decision." + field);
    }
    for (String column : new String[] {"id", "time", "kind", "user", "description", "output", "published", "primary", "secondary", "decision", "check"}) {
      used.add("index.column." + column);
    }
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(EN.keys());
    assertThat(missing).as("keys used by AuditReport but missing from the bundles").isEmpty();
  }

  private static Set<String> placeholders(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = Pattern.compile("\\{\\d+}").matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }
}
