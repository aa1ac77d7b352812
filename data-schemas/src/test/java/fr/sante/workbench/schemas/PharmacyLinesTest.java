package fr.sante.workbench.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PharmacyLinesTest {
  /** The PRS_NAT code list as the resource file holds it, read with plain string splitting (not through CodeLists). */
  private static Map<Integer, String> prsNat() throws Exception {
    Map<Integer, String> labels = new LinkedHashMap<>();
    try (InputStream in = PharmacyLinesTest.class.getResourceAsStream("/fr/sante/workbench/schemas/codelists/prs_nat.csv")) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      assertThat(reader.readLine()).isEqualTo("code;label");
      String line;
      while ((line = reader.readLine()) != null) {
        int cut = line.indexOf(';');
        labels.put(Integer.parseInt(line.substring(0, cut)), line.substring(cut + 1));
      }
    }
    return labels;
  }

  /**
   * The kind a pharmacy code's label says: fee wordings first (a surcharge label can name the pharmacy), then the
   * labels that say neither boxes nor fees (a price gap, a flat rate, a margin, a kit), then medicines.
   */
  private static String kindFromLabel(String label) {
    String l = label.toUpperCase(Locale.ROOT);
    if (l.contains("HONORAIRES DE DISPENSATION")) {
      return "dispensing-fees";
    }
    if (l.startsWith("GARDE PHARMACIE") || l.startsWith("MAJORATION") || l.startsWith("COPIE D ORDONNANCE") || l.startsWith("REMU OBJECTIF")) {
      return "other-pharmacist-fees";
    }
    if (l.startsWith("ECART") || l.startsWith("FORFAIT") || l.startsWith("MARGE") || l.startsWith("KIT")) {
      return PharmacyLines.UNKNOWN;
    }
    if (l.contains("PHARMACIE") || l.contains("MEDICAMENT") || l.contains("PREPARATION") || l.contains("VACCIN") || l.contains("HORMONE")) {
      return "medicines";
    }
    return PharmacyLines.UNKNOWN;
  }

  @Test
  void everyListedCodeIsAPharmacyCodeOfTheCodeList() throws Exception {
    Map<Integer, String> codeList = prsNat();
    assertThat(PharmacyLines.lines()).isNotEmpty();
    for (PharmacyLines.Line line : PharmacyLines.lines()) {
      assertThat(codeList).as("code %s in prs_nat.csv", line.code()).containsKey(line.code());
      assertThat(line.code()).isBetween(3300, 3399);
    }
  }

  @Test
  void everyPharmacyCodeOfTheCodeListHasTheKindItsLabelSays() throws Exception {
    Map<Integer, String> expected = new TreeMap<>();
    Map<Integer, String> found = new TreeMap<>();
    prsNat().forEach((code, label) -> {
      if (code >= 3300 && code <= 3399) {
        expected.put(code, kindFromLabel(label) + " (" + label + ")");
        found.put(code, PharmacyLines.kindOf(code) + " (" + label + ")");
      }
    });
    assertThat(found).isEqualTo(expected);
    // the reviewer's codes (open-data reference, 33xx row): 3364-3366 and 3383-3390 are dispensing fees
    assertThat(PharmacyLines.codesOf("dispensing-fees")).containsExactly(3364, 3365, 3366, 3383, 3384, 3385, 3386, 3387, 3388, 3389, 3390);
    assertThat(PharmacyLines.describeCodes("dispensing-fees")).isEqualTo("3364-3366, 3383-3390");
    assertThat(PharmacyLines.kindOf(3313)).isEqualTo("medicines");
  }

  @Test
  void unlistedCodesAreOtherOrUnknownWithALabel() {
    assertThat(PharmacyLines.kindOf(3380)).as("a code of the real files missing from the code list").isEqualTo(PharmacyLines.UNKNOWN);
    assertThat(PharmacyLines.kindOf(1110)).isEqualTo(PharmacyLines.UNKNOWN);
    assertThat(PharmacyLines.labels()).containsOnlyKeys("medicines", "dispensing-fees", "other-pharmacist-fees", PharmacyLines.UNKNOWN);
    assertThat(PharmacyLines.labels().values()).allMatch(l -> !l.isBlank());
  }
}
