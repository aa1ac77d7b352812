package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.testing.KAnonymityOracle;
import fr.sante.workbench.testing.SharedData;
import fr.sante.workbench.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The k-anonymity benchmark of the literature (and of ARX's examples): UCI Adult, its nine quasi-identifiers, k = 5, ≤ 2 % suppression. */
class AdultKAnonymityTest {
  static final List<String> COLUMNS =
      List.of("sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation", "salary-class");

  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @Test
  void fiveAnonymousWithAtMostTwoPercentSuppression() throws Exception {
    Path csv = SharedData.require("benchmarks/adult/adult.csv");
    Dataset<Row> adult = spark.read().option("header", "true").option("sep", ";").csv(csv.toString());
    List<Hierarchy> hierarchies = new ArrayList<>();
    for (String column : COLUMNS) {
      hierarchies.add(Hierarchy.read(column, csv.resolveSibling("adult_hierarchy_" + column + ".csv")));
    }
    MicrodataPolicy policy = new MicrodataPolicy(new KAnonymity(COLUMNS, 5), hierarchies, List.of(), List.of(), 0.02);

    Exports.MicrodataResult result =
        Exports.writeMicrodata(spark, adult, policy, new Exports.Request(dir.resolve("lake/audit_log").toString(), dir.resolve("out"), "adult k=5", "test"));

    // independent re-check from the published file: class sizes, suppression, values at the announced levels
    List<String> lines = Files.readAllLines(result.records());
    assertThat(lines.get(0)).isEqualTo(String.join(",", COLUMNS));
    long input = adult.count();
    assertThat(input).isEqualTo(30_162);
    long published = lines.size() - 1;
    assertThat(input - published).as("suppressed records").isLessThanOrEqualTo((long) (0.02 * input));
    Map<String, Integer> classes = new HashMap<>();
    lines.subList(1, lines.size()).forEach(l -> classes.merge(l, 1, Integer::sum));
    assertThat(classes.values()).allSatisfy(size -> assertThat(size).isGreaterThanOrEqualTo(5));

    JsonNode manifest = new ObjectMapper().readTree(result.manifest().toFile());
    JsonNode levels = manifest.path("generalisation").path("levels");
    for (int t = 0; t < COLUMNS.size(); t++) {
      int level = Integer.parseInt(levels.path(COLUMNS.get(t)).asText().split("/")[0]);
      Set<String> allowed = new HashSet<>();
      hierarchies.get(t).rows().forEach(r -> allowed.add(r.get(level)));
      int column = t;
      assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(allowed).contains(l.split(",", -1)[column]));
    }
    assertThat(manifest.path("generalisation").path("suppressed_records").asLong()).isEqualTo(input - published);
    assertThat(manifest.path("risk_after").path("min_class_size").asLong()).isGreaterThanOrEqualTo(5);
    assertThat(manifest.path("risk_before").path("sample_uniques").asLong()).isPositive();
    // the optimum by the independent oracle, on the same file and hierarchy files read as plain text
    long start = System.nanoTime();
    KAnonymityOracle.Optimum optimum = oracle(csv).byIncreasingLoss();
    double oracleSeconds = (System.nanoTime() - start) / 1e9;
    var g = result.anonymised().generalisation();
    int[] chosen = g.levels().stream().mapToInt(Integer::intValue).toArray();
    assertThat(optimum.exists()).as("the oracle finds a 5-anonymous node within 2 %% suppression").isTrue();
    assertThat(optimum.contains(chosen)).as("levels chosen %s, expected one of the least-loss nodes %s", g.describe(), optimum.best()).isTrue();
    KAnonymityOracle.Node expected = optimum.best().stream().filter(n -> Arrays.equals(n.levels(), chosen)).findFirst().orElseThrow();
    assertThat(g.suppressedRecords()).as("suppressed records (oracle %s)", expected).isEqualTo(expected.suppressed());
    assertThat(g.classes()).as("classes (oracle %s)", expected).isEqualTo(expected.classes()).isEqualTo(classes.size());
    assertThat(g.loss()).as("loss (oracle %s)", expected).isCloseTo(expected.loss(), within(1e-9));
    System.out.printf("Adult oracle: %s; %d nodes counted by increasing loss in %.1f s%n", optimum.best(), optimum.evaluated(), oracleSeconds);
    System.out.printf(
        "Adult k=5 (≤2%%): %s; loss %.4f; %d suppressed; %d classes; %d of %d lattice nodes evaluated%n",
        result.anonymised().generalisation().describe(),
        result.anonymised().generalisation().loss(),
        input - published,
        classes.size(),
        result.anonymised().generalisation().evaluatedNodes(),
        result.anonymised().generalisation().latticeNodes());
  }

  /** The oracle on adult.csv and its hierarchy files, parsed here as plain {@code ;}-separated text. */
  private static KAnonymityOracle oracle(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertThat(lines.get(0).split(";", -1)).containsExactlyElementsOf(COLUMNS);
    List<String[]> records = new ArrayList<>();
    lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).forEach(l -> records.add(l.split(";", -1)));
    List<List<Map<String, String>>> hierarchies = new ArrayList<>();
    int[] columns = new int[COLUMNS.size()];
    for (int t = 0; t < COLUMNS.size(); t++) {
      columns[t] = t;
      List<List<String>> rows = new ArrayList<>();
      for (String line : Files.readAllLines(csv.resolveSibling("adult_hierarchy_" + COLUMNS.get(t) + ".csv"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          rows.add(List.of(line.strip().split(";", -1)));
        }
      }
      hierarchies.add(KAnonymityOracle.levelMaps(rows));
    }
    return new KAnonymityOracle(records, columns, hierarchies, 5, List.of(), 0.02);
  }
}
