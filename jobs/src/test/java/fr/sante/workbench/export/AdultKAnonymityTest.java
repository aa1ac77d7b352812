package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.Hierarchy;
import fr.sante.workbench.anonymisation.KAnonymity;
import fr.sante.workbench.anonymisation.MicrodataPolicy;
import fr.sante.workbench.testing.SharedData;
import fr.sante.workbench.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    System.out.printf(
        "Adult k=5 (≤2%%): %s; loss %.4f; %d suppressed; %d classes; %d of %d lattice nodes evaluated%n",
        result.anonymised().generalisation().describe(),
        result.anonymised().generalisation().loss(),
        input - published,
        classes.size(),
        result.anonymised().generalisation().evaluatedNodes(),
        result.anonymised().generalisation().latticeNodes());
  }
}
