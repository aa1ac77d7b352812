package fr.sante.workbench.studies.ald;

import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * Crude and directly standardised rates per 100,000 with 95 % (or any level) confidence intervals:
 * exact Poisson limits for crude rates (Garwood), and the gamma method of Fay and Feuer (Statistics in
 * Medicine 1997;16:791-801) for directly standardised rates, both with commons-math3.
 */
public final class DirectStandardisation {
  public static final double PER = 100_000;

  private DirectStandardisation() {}

  /**
   * One age-sex stratum of a territory.
   *
   * @param cases people in the stratum with the condition
   * @param population people in the stratum
   * @param standard the stratum's weight in the standard population (any scale)
   */
  public record Stratum(long cases, long population, double standard) {
    public Stratum {
      if (cases < 0 || population <= 0 || standard < 0) {
        throw new IllegalArgumentException("Invalid stratum: cases " + cases + ", population " + population + ", standard weight " + standard
            + " (expected cases >= 0, population > 0, weight >= 0)");
      }
    }
  }

  /** A rate per 100,000 and its confidence interval. */
  public record Rate(double rate, double lower, double upper) {}

  /** Crude rate with exact Poisson limits: chi-square quantiles with 2d and 2d + 2 degrees of freedom. */
  public static Rate crude(long cases, long population, double confidence) {
    if (population <= 0) {
      throw new IllegalArgumentException("Invalid population: " + population + " (expected > 0)");
    }
    double alpha = 1 - confidence;
    double lower = cases == 0 ? 0 : new ChiSquaredDistribution(2.0 * cases).inverseCumulativeProbability(alpha / 2) / 2;
    double upper = new ChiSquaredDistribution(2.0 * cases + 2).inverseCumulativeProbability(1 - alpha / 2) / 2;
    return new Rate(PER * cases / population, PER * lower / population, PER * upper / population);
  }

  /**
   * Directly standardised rate: {@code y = Σ w_i d_i} with {@code w_i = s_i / (S n_i)}; gamma limits with
   * {@code v = Σ w_i² d_i} and {@code w_M = max w_i}: lower = Gamma⁻¹(α/2; y²/v, v/y), upper =
   * Gamma⁻¹(1 − α/2; (y + w_M)²/(v + w_M²), (v + w_M²)/(y + w_M)) (shape, scale).
   */
  public static Rate direct(List<Stratum> strata, double confidence) {
    double total = strata.stream().mapToDouble(Stratum::standard).sum();
    if (strata.isEmpty() || total <= 0) {
      throw new IllegalArgumentException("Cannot standardise: no stratum with a standard weight");
    }
    double y = 0;
    double v = 0;
    double wMax = 0;
    for (Stratum s : strata) {
      double w = s.standard() / (total * s.population());
      y += w * s.cases();
      v += w * w * s.cases();
      wMax = Math.max(wMax, w);
    }
    double alpha = 1 - confidence;
    double lower = y == 0 ? 0 : new GammaDistribution(y * y / v, v / y).inverseCumulativeProbability(alpha / 2);
    double shape = (y + wMax) * (y + wMax) / (v + wMax * wMax);
    double scale = (v + wMax * wMax) / (y + wMax);
    double upper = new GammaDistribution(shape, scale).inverseCumulativeProbability(1 - alpha / 2);
    return new Rate(PER * y, PER * lower, PER * upper);
  }
}
