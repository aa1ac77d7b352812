package fr.sante.workbench.anonymisation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A fitted log-link GLM that a study asks the gate to publish ({@link ModelExports}): its family, the reference level
 * of each factor, and one coefficient per non-reference level plus the intercept. The gate refits the model from the
 * data and refuses coefficients that are not its fit.
 *
 * @param dispersion as the study's fit estimated it (1 for Poisson)
 */
public record ModelFit(Family family, double variancePower, Map<String, String> references, List<Coefficient> coefficients, double dispersion) {
  /** The distribution; the link is always log. */
  public enum Family {
    POISSON,
    TWEEDIE
  }

  /**
   * One coefficient: the intercept ({@code factor} and {@code level} empty) or the effect of {@code factor = level}
   * against the factor's reference level, on the log scale.
   */
  public record Coefficient(String factor, String level, double estimate, double stdError) {
    public static final String INTERCEPT = "(intercept)";

    public Coefficient {
      Objects.requireNonNull(factor, "factor is null");
      Objects.requireNonNull(level, "level is null");
    }

    public static Coefficient intercept(double estimate, double stdError) {
      return new Coefficient("", "", estimate, stdError);
    }

    public boolean isIntercept() {
      return factor.isEmpty();
    }

    /** {@code (intercept)} or {@code factor=level}. */
    public String term() {
      return isIntercept() ? INTERCEPT : factor + "=" + level;
    }
  }

  public ModelFit {
    Objects.requireNonNull(family, "family is null");
    references = Collections.unmodifiableMap(new LinkedHashMap<>(references));
    coefficients = List.copyOf(coefficients);
    if (family == Family.TWEEDIE && !(variancePower > 1 && variancePower < 2)) {
      throw new AnonymisationException("Invalid Tweedie variance power " + variancePower + " (expected between 1 and 2 exclusive)");
    }
  }

  /** The variance power: 1 for Poisson. */
  public double power() {
    return family == Family.POISSON ? 1 : variancePower;
  }

  public String describe() {
    return family == Family.POISSON ? "Poisson, log link" : String.format(Locale.ROOT, "Tweedie (variance power %s), log link", variancePower);
  }
}
