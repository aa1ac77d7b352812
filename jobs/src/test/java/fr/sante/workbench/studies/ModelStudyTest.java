package fr.sante.workbench.studies;

import static fr.sante.workbench.testing.DamirFixtures.baseLine;
import static fr.sante.workbench.testing.DamirFixtures.render;
import static fr.sante.workbench.testing.DamirFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.anonymisation.ExportVerification;
import fr.sante.workbench.anonymisation.ModelExports;
import fr.sante.workbench.ingest.damir.IngestDamirJob;
import fr.sante.workbench.ingest.damir.IngestDamirOptions;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.schemas.Variant;
import fr.sante.workbench.studies.model.ModelOptions;
import fr.sante.workbench.studies.model.ModelStudy;
import fr.sante.workbench.testing.DamirFixtures;
import fr.sante.workbench.testing.GlmOracle;
import fr.sante.workbench.testing.TestSpark;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model study against an independent recomputation: lines generated here, aggregated here in plain Java over
 * every line (not the cells a table would publish), fitted by {@link GlmOracle} (neither MLlib nor the gate's refit).
 */
class ModelStudyTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private static final List<String> AGES = List.of("0", "20", "40", "60", "80");
  private static final List<String> SEXES = List.of("1", "2");
  private static final List<String> REGIONS = List.of("11", "84", "93", "24");
  private static final List<String> NATS = List.of("1110", "3313", "3211");

  /** The prestation family of a PRS_NAT code, read here from data-schemas' CSV as a plain file. */
  private static String family(int code) throws IOException {
    try (InputStream in = ModelStudyTest.class.getResourceAsStream("/fr/sante/workbench/schemas/prestation-families.csv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split(";");
        if (!f[0].equals("first_code") && code >= Integer.parseInt(f[0]) && code <= Integer.parseInt(f[1])) {
          return f[2];
        }
      }
    }
    throw new IllegalStateException("no family for " + code);
  }

  @Test
  void fitsEveryLineAndMatchesAnIndependentIrlsToOneMillionth() throws Exception {
    Random random = new Random(20261203);
    List<String> lines = new ArrayList<>();
    // what the oracle sees: every kept line's age, sex, region, PRS_NAT and reimbursement
    List<String[]> kept = new ArrayList<>();
    for (String age : AGES) {
      for (String sex : SEXES) {
        for (String region : REGIONS) {
          for (String nat : NATS) {
            // 1 to 25 lines a cell: most cells of the 4-way table are small, and a table gate would hide them
            int n = 1 + random.nextInt(25);
            double mean = 12 * (1 + AGES.indexOf(age) * 0.25) * (sex.equals("2") ? 1.2 : 1) * (1 + REGIONS.indexOf(region) * 0.1) * (nat.equals("3313") ? 2.5 : nat.equals("3211") ? 0.6 : 1);
            for (int i = 0; i < n; i++) {
              String amount = BigDecimal.valueOf(Math.round(mean * random.nextDouble() * 2 * 100), 2).toPlainString();
              lines.add(render(with(baseLine(202401), "AGE_BEN_SNDS", age, "BEN_SEX_COD", sex, "BEN_RES_REG", region, "PRS_NAT", nat, "FLT_REM_MNT", amount)));
              kept.add(new String[] {age, sex, region, nat, amount});
            }
          }
        }
      }
    }
    // two small regions (6 and 7 lines) that the study must pool into one level of 13 lines
    for (String[] small : List.of(new String[] {"27", "6"}, new String[] {"28", "7"})) {
      for (int i = 0; i < Integer.parseInt(small[1]); i++) {
        String amount = BigDecimal.valueOf(1500 + 100 * i, 2).toPlainString();
        String age = AGES.get(i % AGES.size());
        lines.add(render(with(baseLine(202401), "AGE_BEN_SNDS", age, "BEN_RES_REG", small[0], "FLT_REM_MNT", amount)));
        kept.add(new String[] {age, "2", small[0], "1110", amount});
      }
    }
    // left out: a negative reimbursement, and a line outside CNAM's monthly-statistics scope
    lines.add(render(with(baseLine(202401), "AGE_BEN_SNDS", "40", "FLT_REM_MNT", "-2")));
    lines.add(render(with(baseLine(202401), "AGE_BEN_SNDS", "40", "TOP_PS5_TRG", "9", "FLT_REM_MNT", "900")));
    Lake lake = ingest(lines);

    StudyResult result = ModelStudy.run(spark, ModelOptions.of(lake, dir.resolve("out")));

    // the oracle: the documented rules, recomputed from the generated lines
    Map<String, Integer> regionLines = new HashMap<>();
    kept.forEach(l -> regionLines.merge(l[2], 1, Integer::sum));
    Map<List<String>, double[]> cells = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (String[] l : kept) {
      String region = regionLines.get(l[2]) < 11 ? ModelStudy.POOLED : l[2];
      double[] cell = cells.computeIfAbsent(List.of(l[0], l[1], region, family(Integer.parseInt(l[3]))), k -> new double[2]);
      cell[0] += 1;
      cell[1] += Double.parseDouble(l[4]);
    }
    List<GlmOracle.Cell> oracleCells = new ArrayList<>();
    cells.forEach((key, v) -> oracleCells.add(new GlmOracle.Cell(key, v[0], v[1])));
    List<String> factors = List.of("age", "sex", "region", "family");
    Map<String, String> references = new LinkedHashMap<>();
    for (int f = 0; f < factors.size(); f++) {
      Map<String, Double> byLevel = new TreeMap<>();
      int factor = f;
      oracleCells.forEach(c -> byLevel.merge(c.levels().get(factor), c.units(), Double::sum));
      // the largest level (none here is an unknown code or the pooled one's rival)
      references.put(factors.get(f), byLevel.entrySet().stream().filter(e -> !e.getKey().equals(ModelStudy.POOLED))
          .max(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey());
    }
    Map<String, Double> expected = GlmOracle.fit(factors, references, oracleCells, 1.5);

    ModelExports.Result published = result.models().get(0);
    assertThat(published.published().cells()).isEqualTo(oracleCells.size());
    assertThat(published.units()).as("every kept line is in the fit").isEqualTo(kept.size());
    assertThat(published.published().references()).isEqualTo(references);
    List<String> file = Files.readAllLines(published.coefficients());
    assertThat(file).hasSize(1 + (int) expected.keySet().stream().filter(k -> !k.startsWith("se:") && !k.equals("dispersion")).count());
    for (String line : file.subList(1, file.size())) {
      String[] f = line.split(",", -1);
      assertThat(expected).as("term " + f[0]).containsKey(f[0]);
      assertThat(Double.parseDouble(f[4])).as(f[0]).isCloseTo(expected.get(f[0]), within(1e-6));
      assertThat(Double.parseDouble(f[5])).as("se " + f[0]).isCloseTo(expected.get("se:" + f[0]), within(1e-6 * Math.max(1, expected.get("se:" + f[0]))));
    }
    assertThat(published.published().dispersion()).isCloseTo(expected.get("dispersion"), within(1e-6 * expected.get("dispersion")));
    assertThat(file).anyMatch(l -> l.startsWith("region=pooled,"));
    assertThat(result.notes()).anyMatch(n -> n.contains("2 levels with fewer than 11 lines each are pooled"));
    // the report leaves the lake: it does not name which levels were small
    assertThat(Files.readString(result.report())).doesNotContain("(Normandie)");
    assertThat(result.derived("coefficients").column("term")).containsExactlyElementsOf(file.subList(1, file.size()).stream().map(l -> l.split(",")[0]).toList());
    assertThat(ExportVerification.verifyFolder(spark, lake.tablePath(Lake.AUDIT_LOG), published.coefficients().getParent()).problems()).isEmpty();
  }

  /**
   * 2 × 2 × 2 × 2 cells of 12 lines: 16 cells for 5 parameters leave 11 residual degrees of freedom, fewer than a
   * threshold of 12: the CLI exits with 3, the refusal is in the audit log, and no coefficient is written.
   */
  @Test
  void theCliExitsWith3WhenTheModelFailsTheOutputRules() throws Exception {
    List<String> lines = new ArrayList<>();
    Random random = new Random(5);
    for (String age : List.of("0", "60")) {
      for (String sex : SEXES) {
        for (String region : List.of("11", "84")) {
          for (String nat : List.of("1110", "3313")) {
            for (int i = 0; i < 12; i++) {
              String amount = BigDecimal.valueOf(1000 + random.nextInt(4000), 2).toPlainString();
              lines.add(render(with(baseLine(202401), "AGE_BEN_SNDS", age, "BEN_SEX_COD", sex, "BEN_RES_REG", region, "PRS_NAT", nat, "FLT_REM_MNT", amount)));
            }
          }
        }
      }
    }
    Lake lake = ingest(lines);
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = fr.sante.workbench.cli.Workbench.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));

    int exit = cli.execute("study", "model", "--lake", lake.root(), "--out", dir.resolve("out").toString(), "--min-count", "12");

    assertThat(exit).isEqualTo(3);
    assertThat(err.toString()).contains("11 residual degrees of freedom (16 non-empty cells less 5 parameters), fewer than 12");
    assertThat(dir.resolve("out/tables/coefficients/coefficients.csv")).doesNotExist();
    List<fr.sante.workbench.anonymisation.AuditLog.StoredEntry> entries = fr.sante.workbench.anonymisation.AuditLog.entries(spark, lake.tablePath(Lake.AUDIT_LOG));
    assertThat(entries.get(entries.size() - 1).entry().kind()).isEqualTo("REFUSED");
  }

  private Lake ingest(List<String> lines) throws IOException {
    Files.createDirectories(dir.resolve("raw"));
    Lake lake = new Lake(dir.resolve("lake").toString());
    Path file = DamirFixtures.write(dir.resolve("raw").resolve("A202401.csv"), DamirFixtures.header(Variant.REG), lines);
    IngestDamirJob.run(spark, IngestDamirOptions.of(List.of(file.toString()), lake));
    return lake;
  }
}
