package fr.sante.workbench.studies.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.ExportPolicy;
import fr.sante.workbench.anonymisation.ModelExports;
import fr.sante.workbench.anonymisation.ModelFit;
import fr.sante.workbench.anonymisation.ModelPolicy;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirFigures;
import fr.sante.workbench.studies.DamirSelection;
import fr.sante.workbench.studies.DamirStudy;
import fr.sante.workbench.studies.StudyOutput;
import fr.sante.workbench.studies.StudyResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * A Spark MLlib generalised linear model (Tweedie or Poisson, log link) of the reimbursed amount per line on age
 * class, sex, region and prestation family, fitted inside the lake on every line of the selection: on all cells of the
 * four factors, each cell's mean weighted by its lines (with covariates constant within a cell, the estimating
 * equations of a log-link Tweedie or Poisson GLM depend on the lines only through each cell's sum, so these are the
 * coefficients of the line-level model). Only the coefficients leave, through the gate's model rules
 * ({@link ModelExports}): every level of every factor with at least the threshold of lines (smaller levels are pooled
 * beforehand, and said), enough residual degrees of freedom, and a refit by the gate.
 */
public final class ModelStudy {
  public static final String NAME = "model";
  public static final String TABLE = "coefficients";
  /** The level that stands for the levels of a factor that have fewer lines than the threshold. */
  public static final String POOLED = "pooled";
  static final List<DamirAxis> AXES = List.of(DamirAxis.AGE, DamirAxis.SEX, DamirAxis.REGION, DamirAxis.FAMILY);

  private ModelStudy() {}

  public static StudyResult run(SparkSession spark, ModelOptions options) {
    StudyOutput output = StudyOutput.open(spark, options.lake(), options.out(), NAME, options.suppression(), options.progress(), Lake.DAMIR);
    DamirSelection selection = options.selection().resolve(spark);
    int threshold = options.suppression().minCount();
    Dataset<Row> rows = selection.rows(spark);
    // the report's texts: the published tables' titles and filters stay in English (they go into the manifests)
    fr.sante.workbench.anonymisation.ReportText text = fr.sante.workbench.studies.StudyReport.texts(options.language());
    List<String> notes = new ArrayList<>();
    long negative = rows.filter(col("FLT_REM_MNT").lt(0)).count();
    if (negative > 0) {
      notes.add(text.msg("model.note.negative", DamirStudy.guarded(text, negative, threshold)));
    }
    Dataset<Row> kept = rows.filter(col("FLT_REM_MNT").geq(0));
    options.progress().accept("counting the lines of each level of " + String.join(", ", DamirFigures.columns(AXES)) + " in Spark");
    // one pass over the lines: the four factors' cells, whose lines add up to each level's
    List<Row> rawCells = kept.groupBy(DamirFigures.values(AXES).toArray(Column[]::new)).agg(count(lit(1)).as("n")).collectAsList();
    List<Column> values = new ArrayList<>();
    Column leftOut = lit(false);
    for (int d = 0; d < AXES.size(); d++) {
      DamirAxis axis = AXES.get(d);
      Map<String, Long> levels = new TreeMap<>();
      for (Row cell : rawCells) {
        levels.merge(cell.getString(d), cell.getLong(AXES.size()), Long::sum);
      }
      List<String> small = levels.entrySet().stream().filter(e -> e.getValue() < threshold).map(Map.Entry::getKey).toList();
      long smallLines = small.stream().mapToLong(levels::get).sum();
      Column value = axis.value();
      if (!small.isEmpty() && smallLines >= threshold) {
        value = when(value.isin(small.toArray()), lit(POOLED)).otherwise(value);
        // which levels are small stays on the analyst's terminal: the report says only how many
        options.progress().accept(String.format(Locale.ROOT, "%s: pooling %s (fewer than %d lines each) into '%s'", axis.column(), labels(axis, small), threshold, POOLED));
        notes.add(text.msg("model.note.pooled", axis.description(text), small.size(), threshold, POOLED));
      } else if (!small.isEmpty()) {
        leftOut = leftOut.or(value.isin(small.toArray()));
        options.progress().accept(String.format(Locale.ROOT, "%s: leaving out %s (fewer than %d lines even together)", axis.column(), labels(axis, small), threshold));
        notes.add(text.msg("model.note.left_out", axis.description(text), small.size(), threshold));
      }
      values.add(value);
    }
    Dataset<Row> lines = DamirFigures.measures(kept.filter(leftOut.unary_$bang()), DamirFigures.columns(AXES), values).select(designColumns());
    String filters = selection.describe() + "; FLT_REM_MNT >= 0; lines = Open DAMIR lines, reimbursed_eur = FLT_REM_MNT";
    options.progress().accept("aggregating every line into the cells of the four factors and fitting the GLM in Spark");
    Dataset<Row> cells =
        lines.groupBy(DamirFigures.columns(AXES).stream().map(c -> col(c)).toArray(Column[]::new))
            .agg(sum(DamirFigures.LINES).cast(DataTypes.DoubleType).as("weight"), sum(DamirFigures.REIMBURSED).cast(DataTypes.DoubleType).as("reimbursed"))
            .withColumn("mean", col("reimbursed").divide(col("weight")))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<DamirAxis, Map<String, Double>> levelLines = new LinkedHashMap<>();
      for (DamirAxis axis : AXES) {
        Map<String, Double> levels = new TreeMap<>();
        cells.groupBy(col(axis.column())).agg(sum("weight")).collectAsList().forEach(r -> levels.put(r.getString(0), r.getDouble(1)));
        levelLines.put(axis, levels);
      }
      long cellCount = cells.count();
      int parameters = 1 + levelLines.values().stream().mapToInt(l -> l.size() - 1).sum();
      if (cellCount <= parameters) {
        throw new WorkbenchException(String.format(Locale.ROOT,
            "Cannot fit the model: the selected lines fall in %d cells of age × sex × region × family, not more than the model's %d parameters (select more months or --scope all)",
            cellCount, parameters));
      }
      Map<DamirAxis, String> reference = references(levelLines);
      List<ModelFit.Coefficient> terms = new ArrayList<>();
      Dataset<Row> design = cells;
      for (DamirAxis axis : AXES) {
        for (String level : levelLines.get(axis).keySet()) {
          if (!level.equals(reference.get(axis))) {
            terms.add(new ModelFit.Coefficient(axis.column(), level, 0, 0));
            design = design.withColumn(indicator(terms.size()), when(col(axis.column()).equalTo(level), lit(1.0)).otherwise(lit(0.0)));
          }
        }
      }
      GeneralizedLinearRegression glm =
          new GeneralizedLinearRegression().setLabelCol("mean").setWeightCol("weight").setFeaturesCol("features").setMaxIter(100).setTol(1e-10);
      if (options.family() == ModelOptions.Family.TWEEDIE) {
        glm.setFamily("tweedie").setVariancePower(options.variancePower()).setLinkPower(0);
      } else {
        glm.setFamily("poisson").setLink("log");
      }
      String[] indicators = new String[terms.size()];
      for (int i = 0; i < terms.size(); i++) {
        indicators[i] = indicator(i + 1);
      }
      GeneralizedLinearRegressionModel model = glm.fit(new VectorAssembler().setInputCols(indicators).setOutputCol("features").transform(design));
      double[] se;
      try {
        se = model.summary().coefficientStandardErrors();
      } catch (UnsupportedOperationException e) {
        // MLlib gives no standard errors when its normal equations are singular
        throw new WorkbenchException("Cannot fit the model: two levels of different factors always occur together (the design is not of full rank), so the"
            + " effects cannot be told apart; select more data or other months (" + e.getMessage() + ")");
      }
      List<ModelFit.Coefficient> coefficients = new ArrayList<>();
      coefficients.add(ModelFit.Coefficient.intercept(model.intercept(), se[se.length - 1]));
      for (int i = 0; i < terms.size(); i++) {
        coefficients.add(new ModelFit.Coefficient(terms.get(i).factor(), terms.get(i).level(), model.coefficients().apply(i), se[i]));
      }
      Map<String, String> references = new LinkedHashMap<>();
      reference.forEach((axis, level) -> references.put(axis.column(), level));
      ModelFit fit =
          new ModelFit(options.family() == ModelOptions.Family.TWEEDIE ? ModelFit.Family.TWEEDIE : ModelFit.Family.POISSON, options.variancePower(), references,
              coefficients, model.summary().dispersion());
      ModelExports.Result published =
          output.publishModel(TABLE, "Coefficients of the GLM of reimbursement per line", lines,
              ModelPolicy.of(DamirFigures.columns(AXES), DamirFigures.LINES, ExportPolicy.CountUnit.ROWS, DamirFigures.REIMBURSED, options.suppression()), fit, filters);
      notes.add(text.msg("model.note.fitted", published.published().cells(), published.published().parameters(), String.valueOf(published.auditEntry())));
      return ModelReport.write(output, options, selection, published, notes);
    } finally {
      cells.unpersist();
    }
  }

  private static Column[] designColumns() {
    List<Column> columns = new ArrayList<>();
    DamirFigures.columns(AXES).forEach(c -> columns.add(col(c)));
    columns.add(col(DamirFigures.LINES));
    columns.add(col(DamirFigures.REIMBURSED));
    return columns.toArray(Column[]::new);
  }

  private static String indicator(int term) {
    return "x_" + term;
  }

  /** The level with the most lines of each factor, other than an unknown code or the pooled levels when there is one. */
  static Map<DamirAxis, String> references(Map<DamirAxis, Map<String, Double>> levelLines) {
    Map<DamirAxis, String> out = new LinkedHashMap<>();
    levelLines.forEach((axis, levels) -> {
      Comparator<Map.Entry<String, Double>> order =
          Comparator.<Map.Entry<String, Double>, Boolean>comparing(e -> isUnknown(axis, e.getKey())).reversed()
              .thenComparing(Map.Entry.comparingByValue())
              .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()));
      out.put(axis, levels.entrySet().stream().max(order).orElseThrow().getKey());
    });
    return out;
  }

  /** An unknown code (its code-list label says so: "Inconnu", "VALEUR INCONNUE", "Other or unknown") or the pooled levels. */
  static boolean isUnknown(DamirAxis axis, String level) {
    String label = axis.label(level).toUpperCase(Locale.ROOT);
    return level.equals(POOLED) || label.contains("INCONNU") || label.contains("UNKNOWN");
  }

  /** A level's label, the pooled level included. */
  static String label(DamirAxis axis, String level) {
    return level.equals(POOLED) ? "levels of fewer lines than the threshold, pooled" : axis.label(level);
  }

  private static String labels(DamirAxis axis, List<String> levels) {
    return String.join(", ", levels.stream().map(l -> l + " (" + axis.label(l) + ")").toList());
  }
}
