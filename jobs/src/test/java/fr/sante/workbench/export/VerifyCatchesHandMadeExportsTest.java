package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sante.workbench.anonymisation.AuditKey;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.ExportVerification;
import fr.sante.workbench.anonymisation.Generalisation;
import fr.sante.workbench.anonymisation.Interval;
import fr.sante.workbench.anonymisation.ProtectionDetail;
import fr.sante.workbench.anonymisation.ProtectionMethod;
import fr.sante.workbench.anonymisation.RecordsManifest;
import fr.sante.workbench.anonymisation.RiskReport;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify} ({@link ExportVerification}) on folders the gate never wrote: each is hashed into a properly
 * signed entry, so only what the files hold can give a bad one away. The same folders done right verify, so that
 * each failure is its defect's and not the hand-making's.
 */
class VerifyCatchesHandMadeExportsTest {
  private static final String T = "Total";
  private static final List<String> AX = List.of("a", "x");
  private static final List<String> AY = List.of("a", "y");
  private static final List<String> BX = List.of("b", "x");
  private static final List<String> BY = List.of("b", "y");
  /** A 2 x 2 table with its margins; [a, x] = 3 is small. */
  private static final Map<List<String>, Long> COUNTS = counts();
  private static final ExportPolicy LP = new ExportPolicy(List.of("r", "c"), "n", ExportPolicy.CountUnit.ROWS, SuppressionPolicy.defaults());
  private static final ExportPolicy ROUNDED =
      new ExportPolicy(List.of("r", "c"), "n", ExportPolicy.CountUnit.ROWS, SuppressionPolicy.defaults(), List.of(), null, null, true, 5, true);

  @TempDir static Path dir;
  static String previousHome;
  /** One log for the defects (each verified by its own entry): fewer Delta commits to read. */
  static String wrongLog;

  @BeforeAll
  static void key() {
    previousHome = System.getProperty("user.home");
    System.setProperty("user.home", dir.resolve("home").toString());
    AuditKey.create(AuditKey.location(Map.of()));
    TestSpark.session();
    wrongLog = log("wrong");
  }

  @AfterAll
  static void restoreHome() {
    System.setProperty("user.home", previousHome);
  }

  private static Map<List<String>, Long> counts() {
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    long[][] inner = {{3, 20}, {30, 40}};
    String[] rows = {"a", "b"};
    String[] columns = {"x", "y"};
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        counts.put(List.of(rows[r], columns[c]), inner[r][c]);
      }
      counts.put(List.of(rows[r], T), inner[r][0] + inner[r][1]);
    }
    for (int c = 0; c < 2; c++) {
      counts.put(List.of(T, columns[c]), inner[0][c] + inner[1][c]);
    }
    counts.put(List.of(T, T), 93L);
    return counts;
  }

  private static ProtectionDetail lpDetail(List<List<String>> secondary) {
    return new ProtectionDetail(List.of(AX), List.of(AX), List.of(), secondary, Map.of(), Map.of(AX, new Interval(0, 23)));
  }

  private static ProtectionDetail cubeDetail() {
    return new ProtectionDetail(List.of(AX), List.of(AX), List.of(), List.of(AY, BX, BY), Map.of(AX, List.of("b", "y")), Map.of());
  }

  private static String log(String name) {
    return dir.resolve(name).resolve("audit_log").toString();
  }

  /** The problems verify finds with entry {@code id} of the defects' log, and in its folder as received. */
  private static List<String> problems(Path folder, long id) {
    return ExportVerification.verify(TestSpark.session(), wrongLog, AuditKey.find(), List.of(folder), Optional.of(id)).problems();
  }

  private static long table(String log, Path folder, ExportPolicy policy, ProtectionMethod method, Map<List<String>, Long> counts, Set<List<String>> hidden,
      ProtectionDetail detail) {
    return HandMadeExports.table(TestSpark.session(), log, folder, policy, method, counts, hidden, detail);
  }

  /** The same folders done right verify: each failure below is its defect's, not the hand-making's. */
  @Test
  void handMadeFoldersDoneRightVerify() {
    String log = log("right");
    Path out = dir.resolve("right-out");
    table(log, out.resolve("cycle"), LP, ProtectionMethod.LP, COUNTS, Set.of(AX, AY, BX, BY), lpDetail(List.of(AY, BX, BY)));
    table(log, out.resolve("cube"), LP, ProtectionMethod.HYPERCUBE, COUNTS, Set.of(AX, AY, BX, BY), cubeDetail());
    table(log, out.resolve("rounded"), ROUNDED, ProtectionMethod.LP, rounded(), Set.of(AX, AY, BX, BY), lpDetail(List.of(AY, BX, BY)));
    records(log, out.resolve("records"), 10);
    diverseRecords(log, out.resolve("diverse"), "diagnosis", DIVERSE);
    ExportVerification.Result result = ExportVerification.verify(TestSpark.session(), log, AuditKey.find(), List.of(out), Optional.empty());
    assertThat(result.problems()).isEmpty();
    assertThat(result.exportsChecked()).isEqualTo(5);
  }

  @Test
  void anUnderProtectedSmallCellIsNamed() {
    // only the row hidden: column x gives [a, x] = 33 - 30
    Path wrong = dir.resolve("wrong/row");
    long bad = table(wrongLog, wrong, LP, ProtectionMethod.LP, COUNTS, Set.of(AX, AY), lpDetail(List.of(AY)));
    assertThat(problems(wrong, bad)).contains("Entry " + bad + ": Cell [a, x] is under-protected: the published table pins it to Interval[low=3.0, high=3.0]");
  }

  @Test
  void aPublishedCubeCornerIsNamed() {
    Path wrong = dir.resolve("wrong/corner");
    long bad = table(wrongLog, wrong, LP, ProtectionMethod.HYPERCUBE, COUNTS, Set.of(AX, AY, BX), cubeDetail());
    assertThat(problems(wrong, bad)).contains("Entry " + bad + ": Cell [a, x] is under-protected: cell [b, y] of its cube is published");
  }

  @Test
  void aWrongRecordCountIsNamed() {
    Path wrong = dir.resolve("wrong/records");
    long bad = records(wrongLog, wrong, 12);
    assertThat(problems(wrong, bad)).contains("Entry " + bad + ": File " + wrong.resolve("records.csv") + " holds 10 records, the manifest announces 12");
  }

  /** A cube table whose file lacks a published line: the cube is intact, but the manifest counts 9 cells and the file holds 8. */
  @Test
  void aTableFileShorterThanItsManifestIsNamed() {
    Path wrong = dir.resolve("wrong/short");
    long bad = HandMadeExports.table(TestSpark.session(), wrongLog, wrong, LP, ProtectionMethod.HYPERCUBE, COUNTS, Set.of(AX, AY, BX, BY), cubeDetail(), Set.of(List.of(T, T)));
    Path csv = wrong.resolve("table.csv");
    assertThat(problems(wrong, bad))
        .contains("Entry " + bad + ": File " + csv + " holds 8 cells (4 hidden), the manifest announces 9 (4 hidden)")
        .contains("Entry " + bad + ": Cell [Total, Total] is published in the manifest but missing from " + csv);
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Path folder = dir.resolve("wrong/missing");
    long id = table(wrongLog, folder, LP, ProtectionMethod.HYPERCUBE, COUNTS, Set.of(AX, AY, BX, BY), cubeDetail());
    Files.delete(folder.resolve("table.csv"));
    assertThat(problems(folder, id)).contains("Entry " + id + ": File " + folder.resolve("table.csv") + " is missing");
  }

  @Test
  void aCountOffTheRoundingBaseIsNamed() {
    // [Total, x] published exact (33) in a table rounded to 5
    Map<List<String>, Long> exact = rounded();
    exact.put(List.of(T, "x"), 33L);
    Path wrong = dir.resolve("wrong/exact");
    long bad = table(wrongLog, wrong, ROUNDED, ProtectionMethod.LP, exact, Set.of(AX, AY, BX, BY), lpDetail(List.of(AY, BX, BY)));
    assertThat(problems(wrong, bad)).contains("Entry " + bad + ": Cell [Total, x] is published as 33, not a multiple of the rounding base 5 (line 8)");
  }

  @Test
  void deletingTheLastEntryIsNamed() {
    String log = log("deleted");
    Path folder = dir.resolve("deleted-out/cube");
    long id = table(log, folder, LP, ProtectionMethod.HYPERCUBE, COUNTS, Set.of(AX, AY, BX, BY), cubeDetail());
    DeltaTable.forPath(TestSpark.session(), log).delete(functions.col("entry_id").equalTo(id));
    List<String> problems = ExportVerification.verify(TestSpark.session(), log, AuditKey.find(), List.of(folder), Optional.empty()).problems();
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("is a DELETE"));
    assertThat(problems).contains("Published folder " + folder + " carries audit entry " + id + ", which is not in the audit log (the log was cut or rolled back)");
  }

  /** Both classes hold 5 records and 2 distinct diagnoses, blanks aside: 5-anonymous and 2-diverse. */
  private static final String DIVERSE = "30,1,E11\n".repeat(3) + "30,1,I10\n".repeat(2) + "40,2,J45\n".repeat(3) + "40,2,\n" + "40,2,F32\n";

  @Test
  void aClassWithFewerThanLDiagnosesIsNamed() {
    // 5-anonymous, but every record of class [40, 2] has diagnosis J45: knowing a person is in it tells the diagnosis
    Path wrong = dir.resolve("wrong/not-diverse");
    long bad = diverseRecords(wrongLog, wrong, "diagnosis", "30,1,E11\n".repeat(3) + "30,1,I10\n".repeat(2) + "40,2,J45\n".repeat(5));
    assertOnly(problems(wrong, bad), bad, "1 classes of " + wrong.resolve("records.csv") + " have fewer than l = 2 distinct values of 'diagnosis', e.g. [40, 2] (1 distinct)");
  }

  @Test
  void aBlankIsNoSecondDiagnosis() {
    // class [40, 2]: J45 four times and one blank (a null, as RecordsCsv writes it); the gate counts 1 distinct value, so must verify
    Path wrong = dir.resolve("wrong/blank");
    long bad = diverseRecords(wrongLog, wrong, "diagnosis", "30,1,E11\n".repeat(3) + "30,1,I10\n".repeat(2) + "40,2,J45\n".repeat(4) + "40,2,\n");
    assertOnly(problems(wrong, bad), bad, "1 classes of " + wrong.resolve("records.csv") + " have fewer than l = 2 distinct values of 'diagnosis', e.g. [40, 2] (1 distinct)");
  }

  @Test
  void aSensitiveColumnMissingFromTheFileIsNamed() {
    // the policy makes 'diagnosis' 2-diverse, the file calls the column 'dx': nothing shows the classes diverse
    Path wrong = dir.resolve("wrong/no-sensitive");
    long bad = diverseRecords(wrongLog, wrong, "dx", DIVERSE);
    assertOnly(problems(wrong, bad), bad, "File " + wrong.resolve("records.csv") + " has no column 'diagnosis' (a sensitive column of the policy, l = 2): its l-diversity cannot be checked");
  }

  /** Verify names {@code problem} for entry {@code id} (and again for its folder as received), and nothing else. */
  private static void assertOnly(List<String> problems, long id, String problem) {
    assertThat(problems).contains("Entry " + id + ": " + problem).allSatisfy(p -> assertThat(p).endsWith(": " + problem));
  }

  /** Ten records {@code age,sex,<column>} in two classes of five (k = 5), the policy and manifest making 'diagnosis' 2-diverse. */
  private static long diverseRecords(String log, Path folder, String column, String rows) {
    Path file = HandMadeExports.write(folder.resolve("records.csv"), "age,sex," + column + "\n" + rows);
    String policy = "{\"quasi-identifiers\":{\"age\":\"age\",\"sex\":\"sex\"},\"k\":5,\"sensitive\":{\"diagnosis\":2}}";
    RiskReport risk = new RiskReport(10, 2, 5, 0, 0, 5, List.of());
    Generalisation none = new Generalisation(List.of("age", "sex"), List.of(0, 0), List.of(1, 1), 10, 0, 2, 0, 4, 1, 1);
    RecordsManifest manifest = new RecordsManifest(HandMadeExports.PROVENANCE, policy, List.of("age", "sex"), 5, Map.of("diagnosis", 2),
        "5-anonymity on age, sex and distinct 2-diversity of diagnosis", 10, none, risk, risk, Map.of("records.csv", HandMadeExports.sha256(file)));
    return HandMadeExports.seal(TestSpark.session(), log, folder, manifest, policy, 10, 0, 0, null);
  }

  private static Map<List<String>, Long> rounded() {
    Map<List<String>, Long> rounded = new LinkedHashMap<>();
    COUNTS.forEach((key, value) -> rounded.put(key, (value + 2) / 5 * 5));
    return rounded;
  }

  /** Ten records in two classes of five (k = 5), the manifest announcing {@code announced}. */
  private static long records(String log, Path folder, long announced) {
    Path file = HandMadeExports.write(folder.resolve("records.csv"), "age,sex\n" + "30,1\n".repeat(5) + "40,2\n".repeat(5));
    String policy = "{\"quasi-identifiers\":{\"age\":\"age\",\"sex\":\"sex\"},\"k\":5}";
    RiskReport risk = new RiskReport(10, 2, 5, 0, 0, 5, List.of());
    Generalisation none = new Generalisation(List.of("age", "sex"), List.of(0, 0), List.of(1, 1), 10, 0, 2, 0, 4, 1, 1);
    RecordsManifest manifest = new RecordsManifest(HandMadeExports.PROVENANCE, policy, List.of("age", "sex"), 5, Map.of(), "5-anonymity", announced, none, risk, risk,
        Map.of("records.csv", HandMadeExports.sha256(file)));
    return HandMadeExports.seal(TestSpark.session(), log, folder, manifest, policy, announced, 0, 0, null);
  }
}
