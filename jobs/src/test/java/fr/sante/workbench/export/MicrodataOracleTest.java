package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.anonymisation.Generalisation;
import fr.sante.workbench.anonymisation.Microdata;
import fr.sante.workbench.anonymisation.NoSafeGeneralisationException;
import fr.sante.workbench.testing.KAnonymityOracle;
import fr.sante.workbench.testing.TestSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link Microdata#anonymise}, end to end in Spark, against {@link KAnonymityOracle}, an evaluator written from the
 * documentation that shares no code with it: the optimum, its figures, and the records actually released. (The
 * search alone is checked node by node on many more cases by {@link LatticeSearchOracleTest}.)
 */
class MicrodataOracleTest {
  private static final int SPARK_CASES = 35;

  /** End to end in Spark: the generalisation chosen, its figures and the released records themselves. */
  @Test
  void anonymiseReleasesTheOraclesOptimum() {
    // dozens of tiny Spark queries: one shuffle partition and no adaptive planning, restored afterwards
    SparkSession spark = TestSpark.session();
    String partitions = spark.conf().get("spark.sql.shuffle.partitions");
    String adaptive = spark.conf().get("spark.sql.adaptive.enabled");
    spark.conf().set("spark.sql.shuffle.partitions", "1");
    spark.conf().set("spark.sql.adaptive.enabled", "false");
    try {
      checkAgainstTheOracle(spark);
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", partitions);
      spark.conf().set("spark.sql.adaptive.enabled", adaptive);
    }
  }

  private static void checkAgainstTheOracle(SparkSession spark) {
    int cases = 0;
    int released = 0;
    int refused = 0;
    int withSuppression = 0;
    int withNulls = 0;
    long start = System.nanoTime();
    for (int seed = 0; seed < SPARK_CASES; seed++) {
      RandomMicrodata data = RandomMicrodata.generate(100_000 + seed, /* nulls */ true);
      KAnonymityOracle oracle = data.oracle();
      KAnonymityOracle.Optimum optimum = oracle.bruteForce();
      Dataset<Row> input = dataset(spark, data);
      cases++;
      withNulls += data.records().stream().anyMatch(r -> r[r.length - 1] == null) ? 1 : 0;
      if (!optimum.exists()) {
        assertThatThrownBy(() -> Microdata.anonymise(input, data.policy()))
            .as("%s: no node satisfies the rules, so the export must be refused", data)
            .isInstanceOf(NoSafeGeneralisationException.class);
        refused++;
        continue;
      }
      Microdata.Anonymised result = Microdata.anonymise(input, data.policy());
      Generalisation g = result.generalisation();
      int[] levels = g.levels().stream().mapToInt(Integer::intValue).toArray();
      assertThat(optimum.contains(levels)).as("%s: levels chosen %s, expected one of the least-loss nodes %s", data, g.describe(), optimum.best()).isTrue();
      KAnonymityOracle.Node expected = oracle.evaluate(levels);
      assertThat(g.records()).as("%s: records", data).isEqualTo(data.records().size());
      assertThat(g.suppressedRecords()).as("%s: suppressed records (oracle %s)", data, expected).isEqualTo(expected.suppressed());
      assertThat(g.classes()).as("%s: classes published (oracle %s)", data, expected).isEqualTo(expected.classes());
      assertThat(g.loss()).as("%s: loss (oracle %s)", data, expected).isCloseTo(optimum.loss(), within(1e-9));

      List<List<String>> rows = new ArrayList<>();
      for (Row row : result.released().selectExpr(data.columns().toArray(String[]::new)).collectAsList()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          values.add(row.isNullAt(i) ? null : row.get(i).toString());
        }
        rows.add(values);
      }
      assertThat(multiset(rows)).as("%s: the released records are the non-suppressed records generalised to %s", data, g.describe()).isEqualTo(multiset(oracle.released(levels)));
      assertProtected(data, rows);
      released++;
      withSuppression += expected.suppressed() > 0 ? 1 : 0;
    }
    System.out.printf("anonymise vs oracle: %d cases, %d released, %d refused, %d with suppression, %d with nulls, %.1f s%n", cases, released, refused, withSuppression, withNulls, (System.nanoTime() - start) / 1e9);
    assertThat(cases).isEqualTo(SPARK_CASES);
    assertThat(released).as("cases released").isGreaterThan(SPARK_CASES / 2);
    assertThat(refused).as("cases refused").isPositive();
    assertThat(withSuppression).as("cases released with some records suppressed").isPositive();
    assertThat(withNulls).as("cases with missing sensitive values").isPositive();
  }

  /** The released records checked directly: every class has k records and l distinct sensitive values. */
  private static void assertProtected(RandomMicrodata data, List<List<String>> rows) {
    int q = data.qis().size();
    Map<List<String>, List<String>> classes = new HashMap<>();
    for (List<String> row : rows) {
      classes.computeIfAbsent(row.subList(0, q), x -> new ArrayList<>()).add(row.get(q));
    }
    classes.forEach(
        (key, sensitive) -> {
          assertThat(sensitive.size()).as("%s: class %s is released with %d records (k = %d)", data, key, sensitive.size(), data.k()).isGreaterThanOrEqualTo(data.k());
          Set<String> distinct = new HashSet<>(sensitive);
          distinct.remove(null);
          assertThat(distinct.size()).as("%s: class %s is released with sensitive values %s (l = %d)", data, key, distinct, data.l()).isGreaterThanOrEqualTo(data.l());
        });
  }

  private static Map<List<String>, Integer> multiset(List<List<String>> rows) {
    Map<List<String>, Integer> counts = new HashMap<>();
    rows.forEach(r -> counts.merge(r, 1, Integer::sum));
    return counts;
  }

  private static Dataset<Row> dataset(SparkSession spark, RandomMicrodata data) {
    StructType schema = new StructType();
    for (String column : data.columns()) {
      schema = schema.add(column, DataTypes.StringType, true);
    }
    List<Row> rows = data.records().stream().map(r -> RowFactory.create((Object[]) r)).toList();
    return spark.createDataFrame(rows, schema);
  }
}
