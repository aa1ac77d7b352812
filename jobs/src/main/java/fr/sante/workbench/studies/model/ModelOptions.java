package fr.sante.workbench.studies.model;

import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.DamirSelection;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of {@link ModelStudy}.
 *
 * @param family {@code TWEEDIE} (variance power {@code variancePower}, e.g. 1.5) or {@code POISSON}; log link
 * @param confidence level of the intervals of the effects
 * @param language the language of the report (HTML pages only: CSV files and manifests are language-independent)
 */
public record ModelOptions(
    Lake lake, Path out, DamirSelection selection, Family family, double variancePower, double confidence, SuppressionPolicy suppression, Consumer<String> progress, ReportLanguage language) {
  /** The GLM's distribution. */
  public enum Family {
    TWEEDIE,
    POISSON
  }

  public ModelOptions {
    Objects.requireNonNull(lake, "lake is null");
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(selection, "selection is null");
    Objects.requireNonNull(family, "family is null");
    Objects.requireNonNull(suppression, "suppression is null");
    Objects.requireNonNull(progress, "progress is null");
    Objects.requireNonNull(language, "language is null");
    if (family == Family.TWEEDIE && !(variancePower > 1 && variancePower < 2)) {
      throw new fr.sante.workbench.WorkbenchException("Invalid Tweedie variance power " + variancePower + " (expected between 1 and 2 exclusive, e.g. 1.5)");
    }
  }

  /** Options whose report is in English. */
  public ModelOptions(Lake lake, Path out, DamirSelection selection, Family family, double variancePower, double confidence, SuppressionPolicy suppression, Consumer<String> progress) {
    this(lake, out, selection, family, variancePower, confidence, suppression, progress, ReportLanguage.EN);
  }

  /** These options with the report in {@code newLanguage}. */
  public ModelOptions withLanguage(ReportLanguage newLanguage) {
    return new ModelOptions(lake, out, selection, family, variancePower, confidence, suppression, progress, newLanguage);
  }

  public static ModelOptions of(Lake lake, Path out) {
    return new ModelOptions(lake, out, DamirSelection.defaults(), Family.TWEEDIE, 1.5, 0.95, SuppressionPolicy.defaults(), line -> {}, ReportLanguage.EN);
  }

  public ModelOptions withSelection(DamirSelection newSelection) {
    return new ModelOptions(lake, out, newSelection, family, variancePower, confidence, suppression, progress, language);
  }

  public ModelOptions withFamily(Family newFamily, double newVariancePower) {
    return new ModelOptions(lake, out, selection, newFamily, newVariancePower, confidence, suppression, progress, language);
  }

  public ModelOptions withSuppression(SuppressionPolicy newSuppression) {
    return new ModelOptions(lake, out, selection, family, variancePower, confidence, newSuppression, progress, language);
  }

  public ModelOptions withProgress(Consumer<String> newProgress) {
    return new ModelOptions(lake, out, selection, family, variancePower, confidence, suppression, newProgress, language);
  }
}
