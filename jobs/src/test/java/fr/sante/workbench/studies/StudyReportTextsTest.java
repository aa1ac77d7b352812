package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.ReportText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The study reports' two bundles have exactly the same keys and placeholders, and every key the code uses exists. */
class StudyReportTextsTest {
  private static final ReportText EN = StudyReport.texts(ReportLanguage.EN);
  private static final ReportText FR = StudyReport.texts(ReportLanguage.FR);

  @Test
  void bothLanguagesHaveExactlyTheSameKeysAndPlaceholders() {
    assertThat(FR.keys()).as("keys of report_fr.properties").isEqualTo(EN.keys());
    for (String key : EN.keys()) {
      assertThat(placeholders(FR.find(key).orElseThrow())).as("placeholders of %s in French", key).isEqualTo(placeholders(EN.find(key).orElseThrow()));
    }
  }

  /**
   * Scans the sources of the studies, demo and CLI for string literals shaped like a key of the bundle (a known first
   * segment, dots); a literal ending with a dot is a prefix completed from data, whose keys are listed here from the data.
   */
  @Test
  void everyKeyTheCodeUsesExists() throws IOException {
    Set<String> prefixes = new TreeSet<>();
    EN.keys().forEach(k -> prefixes.add(k.substring(0, k.indexOf('.') + 1)));
    assertThat(prefixes).as("every key has a first segment").doesNotContain("");
    Set<String> used = new TreeSet<>();
    Pattern literal = Pattern.compile("\"([a-z_]+\\.[a-z_0-9.]*[a-z_0-9])\"");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/fr/sante/workbench"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        if (!source.contains("ReportText") && !source.contains(".msg(")) {
          continue;
        }
        Matcher m = literal.matcher(source);
        while (m.find()) {
          if (prefixes.stream().anyMatch(m.group(1)::startsWith)) {
            used.add(m.group(1));
          }
        }
      }
    }
    assertThat(used).as("literal keys found in the sources").hasSizeGreaterThan(100);
    for (DamirAxis axis : DamirAxis.values()) {
      used.add("axis." + axis.column());
      used.add("column." + axis.column());
    }
    for (String study : List.of("expenditure", "prescription")) {
      used.add("study." + study + ".title");
    }
    used.addAll(List.of("study.prescription.lines", "study.prescription.quantity"));
    for (String dimension : List.of("generic", "substance", "prescriber")) {
      used.add("medicines.dimension." + dimension);
    }
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(EN.keys());
    assertThat(missing).as("keys used by the code but missing from the bundles").isEmpty();
  }

  @Test
  void labelsDerivedColumnsAndKeepsSourceColumns() {
    assertThat(StudyReport.columnLabel(FR, "rate_class")).isEqualTo("Classe de taux appliqué");
    assertThat(StudyReport.columnLabel(FR, "rate_class_label")).isEqualTo("Classe de taux appliqué (libellé)");
    assertThat(StudyReport.columnLabel(FR, "crude_low95")).isEqualTo("Taux brut, borne basse (95 %)");
    assertThat(StudyReport.columnLabel(EN, "BEN_RES_REG")).isEqualTo("BEN_RES_REG");
    assertThat(StudyReport.auditPage(ReportLanguage.FR).dimensionLabels()).containsEntry("month", "Mois").containsEntry("pharmacy_line", "Nature de ligne de pharmacie")
        .doesNotContainKey("crude_low");
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
