package fr.sante.workbench.studies.model;

import fr.sante.workbench.anonymisation.PublishedTable;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.Charts;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirFigures;
import fr.sante.workbench.studies.DamirSelection;
import fr.sante.workbench.studies.DerivedTable;
import fr.sante.workbench.studies.StudyTable;
import fr.sante.workbench.studies.StudyOutput;
import fr.sante.workbench.studies.StudyReport;
import fr.sante.workbench.studies.StudyResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionTrainingSummary;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark MLlib generalised linear model (Tweedie or Poisson, log link) of the reimbursed amount per line
 * on age class, sex, region and prestation family. The model is fitted on the published cells of the
 * gated table (cell mean weighted by its lines): with covariates constant within a cell, the estimating
 * equations of a log-link Tweedie or Poisson GLM depend on the lines only through each cell's sum, so this
 * gives the coefficients of the line-level model, minus the cells the gate hid (reported).
 */
public final class ModelStudy {
  public static final String NAME = "model";
  public static final String TABLE = "by-age-sex-region-family";
  static final List<DamirAxis> AXES = List.of(DamirAxis.AGE, DamirAxis.SEX, DamirAxis.REGION, DamirAxis.FAMILY);

  private ModelStudy() {}

  public static StudyResult run(SparkSession spark, ModelOptions options) {
    StudyOutput output = StudyOutput.open(spark, options.lake(), options.out(), NAME, options.suppression(), options.progress(), Lake.DAMIR);
    DamirSelection selection = options.selection().resolve(spark);
    Dataset<Row> rows = selection.rows(spark);
    long negative = rows.filter(col("FLT_REM_MNT").lt(0)).count();
    List<String> notes = new ArrayList<>();
    if (negative > 0) {
      notes.add(String.format(Locale.ROOT, "%,d lines with a negative reimbursement (participations, franchises) are left out: the model needs amounts >= 0", negative));
    }
    List<String> dims = DamirFigures.columns(AXES);
    StudyTable table =
        output.publish(TABLE, "Lines and reimbursement by age, sex, region and prestation family",
            DamirFigures.measures(rows.filter(col("FLT_REM_MNT").geq(0)), dims, DamirFigures.values(AXES)),
            output.rowsPolicy(dims, DamirFigures.LINES, List.of(DamirFigures.REIMBURSED)),
            selection.describe() + "; FLT_REM_MNT >= 0; " + DamirFigures.DEFINITIONS);
    List<PublishedTable.Cell> cells = table.inner().stream().filter(c -> !c.suppressed() && c.count().orElse(0) > 0).toList();
    long publishedLines = cells.stream().mapToLong(c -> c.count().getAsLong()).sum();
    notes.add(String.format(Locale.ROOT, "fitted on %,d published cells (%,d lines); the %,d cells the gate hid are not in the fit%s", cells.size(), publishedLines,
        table.suppressedCells(), table.total().flatMap(t -> t.count().isPresent() ? java.util.Optional.of(t.count().getAsLong()) : java.util.Optional.empty())
            .map(t -> String.format(Locale.ROOT, " (%,d lines)", t - publishedLines)).orElse("")));
    long parameters = 1;
    for (int d = 0; d < AXES.size(); d++) {
      int index = d;
      parameters += Math.max(0, cells.stream().map(c -> c.key().get(index)).distinct().count() - 1);
    }
    if (cells.size() <= parameters) {
      throw new fr.sante.workbench.WorkbenchException(String.format(Locale.ROOT,
          "Cannot fit the model: the gate published %d cells of the age × sex × region × family table, not more than the model's %d parameters"
              + " (too little data for a 4-way table: use more months, or a lower --min-count if your disclosure rules allow it)", cells.size(), parameters));
    }
    options.progress().accept("fitting the GLM on " + cells.size() + " published cells");
    Map<DamirAxis, String> reference = references(cells);
    Dataset<Row> data = design(spark, cells, reference);
    List<String> terms = new ArrayList<>();
    for (int d = 0; d < AXES.size(); d++) {
      int index = d;
      cells.stream().map(c -> c.key().get(index)).distinct().sorted().filter(v -> !v.equals(reference.get(AXES.get(index))))
          .forEach(v -> terms.add(AXES.get(index).column() + "=" + v));
    }
    GeneralizedLinearRegression glm =
        new GeneralizedLinearRegression().setLabelCol("mean").setWeightCol("weight").setFeaturesCol("features").setMaxIter(100).setTol(1e-8);
    if (options.family() == ModelOptions.Family.TWEEDIE) {
      glm.setFamily("tweedie").setVariancePower(options.variancePower()).setLinkPower(0);
    } else {
      glm.setFamily("poisson").setLink("log");
    }
    Dataset<Row> features = new VectorAssembler().setInputCols(terms.stream().map(ModelStudy::columnOf).toArray(String[]::new)).setOutputCol("features").transform(data);
    GeneralizedLinearRegressionModel model = glm.fit(features);
    DerivedTable coefficients = coefficients(model, terms, reference, options);
    Path report = output.reportDir();
    Charts.Chart chart =
        Charts.write(report.resolve("charts"), "effects", "Multiplicative effects on reimbursement per line (vs reference levels)", "term", "ratio",
            Charts.Kind.BARS, coefficients.column("term").subList(1, coefficients.rows().size()),
            Charts.single("exp(estimate)", coefficients.column("ratio").subList(1, coefficients.rows().size()).stream().map(Double::valueOf).toList()));
    coefficients.write(report);
    StudyReport html =
        new StudyReport("Model of reimbursement per line",
            "Spark MLlib GeneralizedLinearRegression, " + (options.family() == ModelOptions.Family.TWEEDIE ? "Tweedie (variance power " + options.variancePower() + ")" : "Poisson")
                + ", log link, of FLT_REM_MNT per Open DAMIR line on age class, sex, region of residence and prestation family; " + selection.describe() + ".",
            output.inputs());
    notes.forEach(html::text);
    html.text(String.format(Locale.ROOT, "Dispersion %.4f; deviance %.1f on %d residual degrees of freedom; AIC %s.", model.summary().dispersion(),
        model.summary().deviance(), model.summary().residualDegreeOfFreedom(), options.family() == ModelOptions.Family.POISSON ? String.format(Locale.ROOT, "%.1f", model.summary().aic()) : "n/a (Tweedie)"));
    html.section("Effects").chart(chart).derived(coefficients, 100);
    html.section("Published table").published(table, 30);
    return new StudyResult(NAME, options.out(), output.published(), List.of(coefficients), List.of(chart), html.write(report), notes);
  }

  /** The level with the most lines of each dimension. */
  private static Map<DamirAxis, String> references(List<PublishedTable.Cell> cells) {
    Map<DamirAxis, String> out = new LinkedHashMap<>();
    for (int d = 0; d < AXES.size(); d++) {
      Map<String, Long> lines = new LinkedHashMap<>();
      int index = d;
      cells.forEach(c -> lines.merge(c.key().get(index), c.count().getAsLong(), Long::sum));
      out.put(AXES.get(d), lines.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey());
    }
    return out;
  }

  private static String columnOf(String term) {
    return "x_" + term.replaceAll("[^A-Za-z0-9]", "_");
  }

  /** One row per published cell: mean reimbursement per line, weight = lines, one indicator per non-reference level. */
  private static Dataset<Row> design(SparkSession spark, List<PublishedTable.Cell> cells, Map<DamirAxis, String> reference) {
    StructType schema = new StructType();
    for (DamirAxis axis : AXES) {
      schema = schema.add(axis.column(), DataTypes.StringType, false);
    }
    schema = schema.add("weight", DataTypes.DoubleType, false).add("mean", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (PublishedTable.Cell c : cells) {
      double lines = c.count().getAsLong();
      double mean = c.amount(DamirFigures.REIMBURSED).orElseThrow().doubleValue() / lines;
      rows.add(RowFactory.create(c.key().get(0), c.key().get(1), c.key().get(2), c.key().get(3), lines, mean));
    }
    Dataset<Row> data = spark.createDataFrame(rows, schema);
    for (int d = 0; d < AXES.size(); d++) {
      DamirAxis axis = AXES.get(d);
      int index = d;
      for (String level : cells.stream().map(c -> c.key().get(index)).distinct().sorted().toList()) {
        if (!level.equals(reference.get(axis))) {
          Column indicator = when(col(axis.column()).equalTo(level), lit(1.0)).otherwise(lit(0.0));
          data = data.withColumn(columnOf(axis.column() + "=" + level), indicator);
        }
      }
    }
    return data;
  }

  private static DerivedTable coefficients(GeneralizedLinearRegressionModel model, List<String> terms, Map<DamirAxis, String> reference, ModelOptions options) {
    GeneralizedLinearRegressionTrainingSummary summary = model.summary();
    double[] se = summary.coefficientStandardErrors();
    double[] p = summary.pValues();
    double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - options.confidence()) / 2);
    List<List<String>> rows = new ArrayList<>();
    String referenceText = String.join(", ", reference.entrySet().stream().map(e -> e.getKey().column() + " " + e.getKey().label(e.getValue())).toList());
    rows.add(row("(intercept)", "", "", model.intercept(), se[se.length - 1], p[p.length - 1], z,
        String.format(Locale.ROOT, "mean reimbursement per line at the reference levels (%s): %.2f €", referenceText, Math.exp(model.intercept()))));
    for (int i = 0; i < terms.size(); i++) {
      String[] parts = terms.get(i).split("=", 2);
      DamirAxis axis = DamirAxis.parse(parts[0]);
      double b = model.coefficients().apply(i);
      rows.add(row(terms.get(i), axis.label(parts[1]), axis.label(reference.get(axis)), b, se[i], p[i], z,
          String.format(Locale.ROOT, "reimbursement per line ×%.3f (%.3f to %.3f) for %s %s compared with %s, other factors equal", Math.exp(b), Math.exp(b - z * se[i]),
              Math.exp(b + z * se[i]), axis.description(), axis.label(parts[1]), axis.label(reference.get(axis)))));
    }
    String level = Math.round(options.confidence() * 100) + "";
    return new DerivedTable("coefficients", "GLM coefficients and their interpretation",
        List.of("term", "level_label", "reference_label", "estimate", "std_error", "p_value", "ratio", "ratio_low" + level, "ratio_high" + level, "interpretation"),
        rows, List.of("tables/" + TABLE),
        "estimate = log of the multiplicative effect on the mean reimbursement per line; ratio = exp(estimate), Wald interval exp(estimate ± z·se); "
            + "standard errors and p-values from MLlib's IRLS summary (dispersion estimated by Pearson's statistic on the published cells).");
  }

  private static List<String> row(String term, String label, String referenceLabel, double b, double se, double p, double z, String text) {
    return List.of(term, label, referenceLabel, fmt(b), fmt(se), String.format(Locale.ROOT, "%.4g", p), fmt(Math.exp(b)), fmt(Math.exp(b - z * se)), fmt(Math.exp(b + z * se)), text);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }
}
