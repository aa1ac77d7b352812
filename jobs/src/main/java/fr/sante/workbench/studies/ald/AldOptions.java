package fr.sante.workbench.studies.ald;

import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.lake.Lake;
import fr.sante.workbench.studies.PopulationChoice;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Options of {@link AldStudy}.
 *
 * @param year the prevalence year (default: the latest in the lake)
 * @param alds the ALD numbers studied (default: every ALD of that year)
 * @param standard the standard population of the directly standardised rates
 * @param confidence level of the intervals, e.g. 0.95
 * @param population the denominator's source and year (default: the counts' scheme, the nearest year)
 * @param language the language of the report (HTML pages only: CSV files and manifests are language-independent)
 */
public record AldOptions(
    Lake lake, Path out, Optional<Integer> year, List<Integer> alds, Standard standard, double confidence, SuppressionPolicy suppression, Consumer<String> progress, PopulationChoice.Wanted population, ReportLanguage language) {
  /** Standard population. */
  public enum Standard {
    /** European Standard Population 2013, the same weight for men and women. */
    ESP2013,
    /** The population of every territory of the denominators, by sex and age. */
    NATIONAL
  }

  public AldOptions {
    Objects.requireNonNull(lake, "lake is null");
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(standard, "standard is null");
    Objects.requireNonNull(suppression, "suppression is null");
    Objects.requireNonNull(progress, "progress is null");
    Objects.requireNonNull(language, "language is null");
    Objects.requireNonNull(population, "population is null");
    alds = List.copyOf(alds);
    if (!(confidence > 0.5 && confidence < 1)) {
      throw new fr.sante.workbench.WorkbenchException("Invalid confidence level " + confidence + " (expected between 0.5 and 1, e.g. 0.95)");
    }
  }

  /** Options whose report is in English. */
  public AldOptions(Lake lake, Path out, Optional<Integer> year, List<Integer> alds, Standard standard, double confidence, SuppressionPolicy suppression, Consumer<String> progress, PopulationChoice.Wanted population) {
    this(lake, out, year, alds, standard, confidence, suppression, progress, population, ReportLanguage.EN);
  }

  /** These options with the report in {@code newLanguage}. */
  public AldOptions withLanguage(ReportLanguage newLanguage) {
    return new AldOptions(lake, out, year, alds, standard, confidence, suppression, progress, population, newLanguage);
  }

  public static AldOptions of(Lake lake, Path out) {
    return new AldOptions(lake, out, Optional.empty(), List.of(), Standard.ESP2013, 0.95, SuppressionPolicy.defaults(), line -> {}, PopulationChoice.Wanted.DEFAULT, ReportLanguage.EN);
  }

  public AldOptions withYear(int newYear) {
    return new AldOptions(lake, out, Optional.of(newYear), alds, standard, confidence, suppression, progress, population, language);
  }

  public AldOptions withAlds(List<Integer> newAlds) {
    return new AldOptions(lake, out, year, newAlds, standard, confidence, suppression, progress, population, language);
  }

  public AldOptions withStandard(Standard newStandard) {
    return new AldOptions(lake, out, year, alds, newStandard, confidence, suppression, progress, population, language);
  }

  public AldOptions withSuppression(SuppressionPolicy newSuppression) {
    return new AldOptions(lake, out, year, alds, standard, confidence, newSuppression, progress, population, language);
  }

  public AldOptions withProgress(Consumer<String> newProgress) {
    return new AldOptions(lake, out, year, alds, standard, confidence, suppression, newProgress, population, language);
  }

  public AldOptions withPopulation(PopulationChoice.Wanted newPopulation) {
    return new AldOptions(lake, out, year, alds, standard, confidence, suppression, progress, newPopulation, language);
  }
}
