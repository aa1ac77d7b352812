package fr.sante.workbench.studies.model;

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
 */
public record ModelOptions(
    Lake lake, Path out, DamirSelection selection, Family family, double variancePower, double confidence, SuppressionPolicy suppression, Consumer<String> progress) {
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
    if (family == Family.TWEEDIE && !(variancePower > 1 && variancePower < 2)) {
      throw new fr.sante.workbench.WorkbenchException("Invalid Tweedie variance power " + variancePower + " (expected between 1 and 2 exclusive, e.g. 1.5)");
    }
  }

  public static ModelOptions of(Lake lake, Path out) {
    return new ModelOptions(lake, out, DamirSelection.defaults(), Family.TWEEDIE, 1.5, 0.95, SuppressionPolicy.defaults(), line -> {});
  }

  public ModelOptions withSelection(DamirSelection newSelection) {
    return new ModelOptions(lake, out, newSelection, family, variancePower, confidence, suppression, progress);
  }

  public ModelOptions withFamily(Family newFamily, double newVariancePower) {
    return new ModelOptions(lake, out, selection, newFamily, newVariancePower, confidence, suppression, progress);
  }

  public ModelOptions withSuppression(SuppressionPolicy newSuppression) {
    return new ModelOptions(lake, out, selection, family, variancePower, confidence, newSuppression, progress);
  }

  public ModelOptions withProgress(Consumer<String> newProgress) {
    return new ModelOptions(lake, out, selection, family, variancePower, confidence, suppression, newProgress);
  }
}
