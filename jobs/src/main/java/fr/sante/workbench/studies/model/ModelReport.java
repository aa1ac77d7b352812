package fr.sante.workbench.studies.model;

import fr.sante.workbench.anonymisation.ModelExports;
import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.ReportText;
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
    ReportText text = StudyReport.texts(options.language());
    // the CSV file is language-independent (its interpretation column in English); the page reads in its language
    DerivedTable coefficients = coefficients(StudyReport.texts(ReportLanguage.EN), manifest, options.confidence());
    DerivedTable shown = coefficients(text, manifest, options.confidence());
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
        Charts.effects(text, report.resolve("charts"), "effects", text.msg("model.chart.title", Math.round(options.confidence() * 100)), terms, estimates, halfWidths);
    coefficients.write(report);
    StudyReport html =
        new StudyReport(text, text.msg("model.title"), text.msg("model.introduction", manifest.family(), selection.describe(text), manifest.policy().describe()), output.inputs());
    notes.forEach(html::text);
    html.text(text.msg("model.dispersion", text.decimal(manifest.dispersion(), 4), manifest.parameters(), manifest.cells(), manifest.residualDf()));
    html.section(text.msg("model.section.effects")).chart(chart).derived(shown, 200);
    return new StudyResult(ModelStudy.NAME, options.out(), output.published(), output.models(), List.of(coefficients), List.of(chart), html.write(report), notes);
  }

  /** The quantile of the intervals: Student's t on the residual degrees of freedom when the dispersion is estimated. */
  private static double quantile(ModelManifest manifest, double confidence) {
    AbstractRealDistribution distribution = manifest.family().startsWith("Poisson") ? new NormalDistribution() : new TDistribution(manifest.residualDf());
    return distribution.inverseCumulativeProbability(1 - (1 - confidence) / 2);
  }

  private static DerivedTable coefficients(ReportText text, ModelManifest manifest, double confidence) {
    double z = quantile(manifest, confidence);
    AbstractRealDistribution distribution = manifest.family().startsWith("Poisson") ? new NormalDistribution() : new TDistribution(manifest.residualDf());
    String referenceText = String.join(", ", manifest.references().entrySet().stream()
        .map(e -> e.getKey() + " " + label(text, DamirAxis.parse(e.getKey()), e.getValue())).toList());
    List<List<String>> rows = new ArrayList<>();
    for (List<String> line : manifest.coefficients()) {
      double b = Double.parseDouble(line.get(4));
      double se = Double.parseDouble(line.get(5));
      double p = 2 * (1 - distribution.cumulativeProbability(Math.abs(b / se)));
      if (line.get(1).isEmpty()) {
        rows.add(row(line.get(0), "", "", b, se, p, z,
            text.msg("model.interpretation.intercept", referenceText, text.decimal(Math.exp(b), 2))));
        continue;
      }
      DamirAxis axis = DamirAxis.parse(line.get(1));
      String level = label(text, axis, line.get(2));
      String reference = label(text, axis, line.get(3));
      rows.add(row(line.get(0), level, reference, b, se, p, z,
          text.msg("model.interpretation", text.decimal(Math.exp(b), 3), text.decimal(Math.exp(b - z * se), 3), text.decimal(Math.exp(b + z * se), 3),
              axis.description(text), level, reference)));
    }
    String level = String.valueOf(Math.round(confidence * 100));
    return new DerivedTable("coefficients", text.msg("model.coefficients.title"),
        List.of("term", "level_label", "reference_label", "estimate", "std_error", "p_value", "ratio", "ratio_low" + level, "ratio_high" + level, "interpretation"),
        rows, List.of("tables/" + ModelStudy.TABLE),
        text.msg("model.coefficients.method", level, text.msg(manifest.family().startsWith("Poisson") ? "model.quantile.normal" : "model.quantile.student")));
  }

  /** A level's label; the pooled level in words, in the report's language. */
  private static String label(ReportText text, DamirAxis axis, String level) {
    return level.equals(ModelStudy.POOLED) ? text.msg("model.pooled") : axis.label(level);
  }

  private static List<String> row(String term, String label, String referenceLabel, double b, double se, double p, double z, String text) {
    return List.of(term, label, referenceLabel, fmt(b), fmt(se), String.format(Locale.ROOT, "%.4g", p), fmt(Math.exp(b)), fmt(Math.exp(b - z * se)),
        fmt(Math.exp(b + z * se)), text);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }
}
