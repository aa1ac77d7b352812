package fr.sante.workbench.studies.model;

import fr.sante.workbench.anonymisation.ModelExports;
import fr.sante.workbench.anonymisation.ModelManifest;
import fr.sante.workbench.studies.Charts;
import fr.sante.workbench.studies.DamirAxis;
import fr.sante.workbench.studies.DamirSelection;
import fr.sante.workbench.studies.DerivedTable;
import fr.sante.workbench.studies.StudyOutput;
import fr.sante.workbench.studies.StudyReport;
import fr.sante.workbench.studies.StudyResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The model's report, derived from the published coefficients only (the manifest's copy of {@code coefficients.csv},
 * which {@code audit verify} checks against the file): multiplicative effects with their intervals and p-values, a
 * sentence each, and the forest plot.
 */
final class ModelReport {
  private ModelReport() {}

  static StudyResult write(StudyOutput output, ModelOptions options, DamirSelection selection, ModelExports.Result published, List<String> notes) {
    ModelManifest manifest = published.published();
    DerivedTable coefficients = coefficients(manifest, options.confidence());
    Path report = output.reportDir();
    List<String> terms = new ArrayList<>();
    List<Double> estimates = new ArrayList<>();
    List<Double> halfWidths = new ArrayList<>();
    double z = quantile(manifest, options.confidence());
    for (List<String> line : manifest.coefficients().subList(1, manifest.coefficients().size())) {
      terms.add(line.get(0));
      estimates.add(Double.parseDouble(line.get(4)));
      halfWidths.add(z * Double.parseDouble(line.get(5)));
    }
    Charts.Chart chart =
        Charts.effects(report.resolve("charts"), "effects", String.format(Locale.ROOT, "Multiplicative effects on reimbursement per line, %d %% intervals",
            Math.round(options.confidence() * 100)), terms, estimates, halfWidths);
    coefficients.write(report);
    StudyReport html =
        new StudyReport("Model of reimbursement per line",
            "Spark MLlib GeneralizedLinearRegression, " + manifest.family() + ", of FLT_REM_MNT per Open DAMIR line on age class, sex, region of residence and "
                + "prestation family, fitted inside the lake on every selected line; " + selection.describe() + ". Only the coefficients leave the lake, through the "
                + "gate's model rules: " + manifest.policy().describe() + ".",
            output.inputs());
    notes.forEach(html::text);
    html.text(String.format(Locale.ROOT, "Dispersion %.4f; %d parameters on %,d non-empty cells: %,d residual degrees of freedom (cells, not lines).", manifest.dispersion(),
        manifest.parameters(), manifest.cells(), manifest.residualDf()));
    html.section("Effects").chart(chart).derived(coefficients, 200);
    return new StudyResult(ModelStudy.NAME, options.out(), output.published(), output.models(), List.of(coefficients), List.of(chart), html.write(report), notes);
  }

  /** The quantile of the intervals: Student's t on the residual degrees of freedom when the dispersion is estimated. */
  private static double quantile(ModelManifest manifest, double confidence) {
    AbstractRealDistribution distribution = manifest.family().startsWith("Poisson") ? new NormalDistribution() : new TDistribution(manifest.residualDf());
    return distribution.inverseCumulativeProbability(1 - (1 - confidence) / 2);
  }

  private static DerivedTable coefficients(ModelManifest manifest, double confidence) {
    double z = quantile(manifest, confidence);
    AbstractRealDistribution distribution = manifest.family().startsWith("Poisson") ? new NormalDistribution() : new TDistribution(manifest.residualDf());
    String referenceText = String.join(", ", manifest.references().entrySet().stream()
        .map(e -> e.getKey() + " " + ModelStudy.label(DamirAxis.parse(e.getKey()), e.getValue())).toList());
    List<List<String>> rows = new ArrayList<>();
    for (List<String> line : manifest.coefficients()) {
      double b = Double.parseDouble(line.get(4));
      double se = Double.parseDouble(line.get(5));
      double p = 2 * (1 - distribution.cumulativeProbability(Math.abs(b / se)));
      if (line.get(1).isEmpty()) {
        rows.add(row(line.get(0), "", "", b, se, p, z,
            String.format(Locale.ROOT, "mean reimbursement per line at the reference levels (%s): %.2f €", referenceText, Math.exp(b))));
        continue;
      }
      DamirAxis axis = DamirAxis.parse(line.get(1));
      String level = ModelStudy.label(axis, line.get(2));
      String reference = ModelStudy.label(axis, line.get(3));
      rows.add(row(line.get(0), level, reference, b, se, p, z,
          String.format(Locale.ROOT, "reimbursement per line ×%.3f (%.3f to %.3f) for %s %s compared with %s, other factors equal", Math.exp(b), Math.exp(b - z * se),
              Math.exp(b + z * se), axis.description(), level, reference)));
    }
    String level = String.valueOf(Math.round(confidence * 100));
    return new DerivedTable("coefficients", "GLM coefficients and their interpretation",
        List.of("term", "level_label", "reference_label", "estimate", "std_error", "p_value", "ratio", "ratio_low" + level, "ratio_high" + level, "interpretation"),
        rows, List.of("tables/" + ModelStudy.TABLE),
        "estimate = log of the multiplicative effect on the mean reimbursement per line (published by the gate); ratio = exp(estimate), interval exp(estimate ± q·se) with q "
            + "the " + level + " % quantile of " + (manifest.family().startsWith("Poisson") ? "the normal distribution" : "Student's t on the residual degrees of freedom")
            + "; p-value two-sided from the same distribution; reference levels: the level with the most lines of each factor, other than an unknown code.");
  }

  private static List<String> row(String term, String label, String referenceLabel, double b, double se, double p, double z, String text) {
    return List.of(term, label, referenceLabel, fmt(b), fmt(se), String.format(Locale.ROOT, "%.4g", p), fmt(Math.exp(b)), fmt(Math.exp(b - z * se)),
        fmt(Math.exp(b + z * se)), text);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }
}
