package fr.sante.workbench.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.CountSources;
import fr.sante.workbench.anonymisation.DisclosureCheckFailedException;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.ExportVerification;
import fr.sante.workbench.anonymisation.Exports;
import fr.sante.workbench.anonymisation.ModelExports;
import fr.sante.workbench.anonymisation.ModelFit;
import fr.sante.workbench.anonymisation.ModelPolicy;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.testing.GlmOracle;
import fr.sante.workbench.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model gate, attacked: coefficients that are not the data's fit, a level of too few units, too few residual
 * degrees of freedom or a saturated model, a coefficient for a level the data do not have, and a published file edited
 * afterwards. The fits it is given come from {@link GlmOracle}, which shares no code with the gate's refit.
 */
class ModelGateTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private static final List<String> FACTORS = List.of("a", "b", "c");

  /** Rows of units (count n, summed amount) over a × b × c, with a multiplicative mean and noise; {@code extra} rows appended. */
  private Dataset<Row> data(List<String> aLevels, List<Row> extra) {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (String a : aLevels) {
      for (String b : List.of("u", "v", "w")) {
        for (String c : List.of("p", "q", "r")) {
          double mean = 20 * (1 + aLevels.indexOf(a) * 0.3) * (b.equals("v") ? 1.4 : b.equals("w") ? 0.7 : 1) * (c.equals("r") ? 2 : 1);
          for (int i = 0; i < 3; i++) {
            long n = 5 + random.nextInt(20);
            BigDecimal sum = BigDecimal.valueOf(Math.round(n * mean * (0.6 + 0.8 * random.nextDouble()) * 100), 2);
            rows.add(RowFactory.create(a, b, c, n, sum));
          }
        }
      }
    }
    rows.addAll(extra);
    StructType type =
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType).add("c", DataTypes.StringType).add("n", DataTypes.LongType)
            .add("amount", DataTypes.createDecimalType(18, 2));
    return spark.createDataFrame(rows, type);
  }

  private Dataset<Row> data() {
    return data(List.of("x", "y", "z", "t"), List.of());
  }

  private static final ModelPolicy POLICY = ModelPolicy.of(FACTORS, "n", ExportPolicy.CountUnit.ROWS, "amount", SuppressionPolicy.defaults());

  private Exports.Request request(String out) {
    return new Exports.Request(dir.resolve("lake/audit_log").toString(), dir.resolve(out), "model test", "test")
        .withCountSources(CountSources.declared(Map.of("n", ExportPolicy.CountUnit.ROWS), Set.of("amount")));
  }

  /** The oracle's fit of {@code data}, as the fit a study would hand the gate. */
  private static ModelFit oracleFit(Dataset<Row> data, Map<String, String> references) {
    Map<List<String>, double[]> cells = new LinkedHashMap<>();
    for (Row row : data.collectAsList()) {
      double[] cell = cells.computeIfAbsent(List.of(row.getString(0), row.getString(1), row.getString(2)), k -> new double[2]);
      cell[0] += row.getLong(3);
      cell[1] += row.getDecimal(4).doubleValue();
    }
    List<GlmOracle.Cell> oracleCells = new ArrayList<>();
    cells.forEach((key, v) -> oracleCells.add(new GlmOracle.Cell(key, v[0], v[1])));
    Map<String, Double> fit = GlmOracle.fit(FACTORS, references, oracleCells, 1.5);
    List<ModelFit.Coefficient> coefficients = new ArrayList<>(List.of(ModelFit.Coefficient.intercept(fit.get("(intercept)"), fit.get("se:(intercept)"))));
    fit.forEach((term, value) -> {
      if (term.contains("=") && !term.startsWith("se:")) {
        String[] parts = term.split("=", 2);
        coefficients.add(new ModelFit.Coefficient(parts[0], parts[1], value, fit.get("se:" + term)));
      }
    });
    return new ModelFit(ModelFit.Family.TWEEDIE, 1.5, references, coefficients, fit.get("dispersion"));
  }

  private static final Map<String, String> REFERENCES = Map.of("a", "x", "b", "u", "c", "p");

  private List<AuditLog.StoredEntry> entries() {
    return AuditLog.entries(spark, dir.resolve("lake/audit_log").toString());
  }

  @Test
  void publishesTheCoefficientsOfTheDataFitAndVerifiesThem() throws Exception {
    ModelFit fit = oracleFit(data(), REFERENCES);
    ModelExports.Result result = ModelExports.write(spark, data(), POLICY, fit, request("model"));

    List<String> lines = Files.readAllLines(result.coefficients());
    assertThat(lines.get(0)).isEqualTo("term,factor,level,reference_level,estimate,std_error");
    assertThat(lines).hasSize(1 + 1 + 3 + 2 + 2);
    for (ModelFit.Coefficient c : fit.coefficients()) {
      String line = lines.stream().filter(l -> l.startsWith(c.term() + ",")).findFirst().orElseThrow();
      String[] fields = line.split(",", -1);
      assertThat(Double.parseDouble(fields[4])).as(c.term()).isCloseTo(c.estimate(), within(1e-8));
      assertThat(Double.parseDouble(fields[5])).as(c.term()).isCloseTo(c.stdError(), within(1e-8));
    }
    // 4 × 3 × 3 cells, 8 parameters
    assertThat(result.published().cells()).isEqualTo(36);
    assertThat(result.published().residualDf()).isEqualTo(28);
    String manifest = Files.readString(result.manifest());
    assertThat(manifest).contains("\"kind\" : \"model\"").contains("\"residual_df\" : 28").doesNotContain("\"units\"");
    assertThat(ExportVerification.verifyFolder(spark, dir.resolve("lake/audit_log").toString(), dir.resolve("model")).problems()).isEmpty();
    assertThat(entries().get(entries().size() - 1).entry().kind()).isEqualTo("EXPORT");
  }

  @Test
  void refusesCoefficientsThatAreNotTheFitOfTheData() {
    ModelFit fit = oracleFit(data(), REFERENCES);
    List<ModelFit.Coefficient> changed = new ArrayList<>(fit.coefficients());
    ModelFit.Coefficient c = changed.get(2);
    // a cell's mean smuggled out as a "coefficient"
    changed.set(2, new ModelFit.Coefficient(c.factor(), c.level(), c.estimate() + 0.01, c.stdError()));
    ModelFit forged = new ModelFit(fit.family(), fit.variancePower(), fit.references(), changed, fit.dispersion());

    assertThatThrownBy(() -> ModelExports.write(spark, data(), POLICY, forged, request("forged")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("not the model's fit")
        .hasMessageContaining(c.term());
    assertThat(dir.resolve("forged")).doesNotExist();
    assertThat(entries().get(entries().size() - 1).entry().kind()).isEqualTo("REFUSED");
  }

  @Test
  void refusesALevelWithFewerUnitsThanTheThreshold() {
    Dataset<Row> data = data(List.of("x", "y", "z", "t"), List.of(RowFactory.create("s", "u", "p", 4L, new BigDecimal("80.00"))));
    ModelFit fit = oracleFit(data, REFERENCES);

    assertThatThrownBy(() -> ModelExports.write(spark, data, POLICY, fit, request("small")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("level 's' of a has fewer than 11 rows");
    assertThat(dir.resolve("small")).doesNotExist();
  }

  @Test
  void refusesTooFewResidualDegreesOfFreedomAndASaturatedModel() {
    // 2 × 3 × 3 = 18 cells, 1 + 1 + 2 + 2 = 6 parameters: 12 residual degrees of freedom pass 11, but not 13
    Dataset<Row> data = data(List.of("x", "y"), List.of());
    ModelFit fit = oracleFit(data, REFERENCES);
    ModelPolicy strict = new ModelPolicy(FACTORS, "n", ExportPolicy.CountUnit.ROWS, "amount", 11, 13);
    assertThatThrownBy(() -> ModelExports.write(spark, data, strict, fit, request("few")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("12 residual degrees of freedom (18 non-empty cells less 6 parameters), fewer than 13");

    // one row per cell of a 2 × 2 table with both factors and their interaction's worth of cells: 4 cells, 3 parameters
    StructType type = new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType).add("n", DataTypes.LongType).add("amount", DataTypes.createDecimalType(18, 2));
    Dataset<Row> square = spark.createDataFrame(List.of(RowFactory.create("x", "u", 40L, new BigDecimal("800.00")), RowFactory.create("x", "v", 40L, new BigDecimal("900.00")),
        RowFactory.create("y", "u", 40L, new BigDecimal("700.00"))), type);
    ModelPolicy twoFactors = ModelPolicy.of(List.of("a", "b"), "n", ExportPolicy.CountUnit.ROWS, "amount", SuppressionPolicy.defaults());
    ModelFit any = new ModelFit(ModelFit.Family.POISSON, 0, Map.of("a", "x", "b", "u"),
        List.of(ModelFit.Coefficient.intercept(3, 0.1), new ModelFit.Coefficient("a", "y", 0, 0.1), new ModelFit.Coefficient("b", "v", 0, 0.1)), 1);
    assertThatThrownBy(() -> ModelExports.write(spark, square, twoFactors, any, request("saturated")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("saturated: 3 parameters for 3 non-empty cells");
  }

  @Test
  void refusesACoefficientForALevelTheDataDoNotHaveAndAMissingOne() {
    ModelFit fit = oracleFit(data(), REFERENCES);
    List<ModelFit.Coefficient> changed = new ArrayList<>(fit.coefficients());
    changed.set(1, new ModelFit.Coefficient(changed.get(1).factor(), "nowhere", changed.get(1).estimate(), changed.get(1).stdError()));
    ModelFit wrong = new ModelFit(fit.family(), fit.variancePower(), fit.references(), changed, fit.dispersion());

    assertThatThrownBy(() -> ModelExports.write(spark, data(), POLICY, wrong, request("wrong")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("is not a non-reference level of the data")
        .hasMessageContaining("no coefficient for " + fit.coefficients().get(1).term());
  }

  @Test
  void refusesAModelThatReproducesEveryCellExactly() {
    // every cell's mean is exactly a × b × c: the coefficients would give back every cell's mean
    List<Row> rows = new ArrayList<>();
    for (String a : List.of("x", "y", "z", "t")) {
      for (String b : List.of("u", "v", "w")) {
        for (String c : List.of("p", "q", "r")) {
          long n = 12 + a.length() + rows.size() % 5;
          double mean = 10 * (a.equals("y") ? 2 : a.equals("z") ? 3 : a.equals("t") ? 4 : 1) * (b.equals("v") ? 2 : b.equals("w") ? 4 : 1) * (c.equals("r") ? 2 : 1);
          rows.add(RowFactory.create(a, b, c, n, BigDecimal.valueOf(Math.round(n * mean * 100), 2)));
        }
      }
    }
    StructType type =
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType).add("c", DataTypes.StringType).add("n", DataTypes.LongType)
            .add("amount", DataTypes.createDecimalType(18, 2));
    Dataset<Row> exact = spark.createDataFrame(rows, type);
    ModelFit fit = oracleFit(exact, REFERENCES);

    assertThatThrownBy(() -> ModelExports.write(spark, exact, POLICY, fit, request("exact")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("reproduces every cell's mean exactly");
  }

  /**
   * The attacker's model (found by an attacker helper): one row of a single unit, cell (x, k, p), and a level q whose only
   * cell (q, k, p) holds 20 units. Every level has at least 11 units and 28 residual degrees of freedom remain, but q
   * absorbs its cell, so level k is fitted by the single unit alone: the coefficients would give its amount back
   * (leverage 1). Refused.
   */
  @Test
  void refusesAModelThatFitsASmallCellByItself() {
    List<Row> extra = List.of(RowFactory.create("x", "k", "p", 1L, new BigDecimal("7256.12")), RowFactory.create("q", "k", "p", 20L, new BigDecimal("400.00")));
    Dataset<Row> data = data(List.of("x", "y", "z", "t"), extra);
    ModelFit fit = oracleFit(data, REFERENCES);
    double target = fit.coefficients().get(0).estimate()
        + fit.coefficients().stream().filter(c -> c.term().equals("b=k")).findFirst().orElseThrow().estimate();
    // the leak the rule closes: intercept + k is the single unit's amount
    assertThat(Math.exp(target)).isCloseTo(7256.12, within(1e-3));

    assertThatThrownBy(() -> ModelExports.write(spark, data, POLICY, fit, request("leverage")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("has leverage 1.000: the coefficients would give back its mean")
        .hasMessageContaining("[x, k, p]");
    assertThat(dir.resolve("leverage")).doesNotExist();
  }

  /** A factor whose value is computed by a subquery (here: one row's amount as a label) is refused: labels are published. */
  @Test
  void refusesAFactorComputedByASubquery() {
    data().createOrReplaceTempView("units");
    Dataset<Row> labelled = spark.sql("SELECT a, b, concat('v', CAST((SELECT max(amount) FROM units WHERE a = 'x') AS STRING)) AS c, n, amount FROM units");
    assertThatThrownBy(() -> ModelExports.write(spark, labelled, POLICY, oracleFit(data(), REFERENCES), request("label")))
        .isInstanceOf(DisclosureCheckFailedException.class)
        .hasMessageContaining("the dimension 'c' is computed with a subquery");
  }

  @Test
  void auditVerifyNamesACoefficientEditedAfterPublication() throws Exception {
    ModelExports.Result result = ModelExports.write(spark, data(), POLICY, oracleFit(data(), REFERENCES), request("edited"));
    List<String> lines = new ArrayList<>(Files.readAllLines(result.coefficients()));
    String[] fields = lines.get(2).split(",", -1);
    fields[4] = "0.50000000";
    lines.set(2, String.join(",", fields));
    Files.write(result.coefficients(), lines);

    List<String> problems = ExportVerification.verifyFolder(spark, dir.resolve("lake/audit_log").toString(), dir.resolve("edited")).problems();
    assertThat(problems).anyMatch(p -> p.contains("coefficients.csv was altered"));
    assertThat(problems).anyMatch(p -> p.contains("Line 3 of") && p.contains("but the manifest lists"));
  }
}
