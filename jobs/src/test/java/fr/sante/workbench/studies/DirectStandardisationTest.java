package fr.sante.workbench.studies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.sante.workbench.studies.ald.DirectStandardisation;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectStandardisationTest {
  /** Exact Poisson limits for 10 events are 4.7954 and 18.3904 (Garwood; standard tables). */
  @Test
  void crudeRateHasExactPoissonLimits() {
    DirectStandardisation.Rate rate = DirectStandardisation.crude(10, 100_000, 0.95);
    assertThat(rate.rate()).isCloseTo(10.0, within(1e-9));
    assertThat(rate.lower()).isCloseTo(4.7954, within(1e-3));
    assertThat(rate.upper()).isCloseTo(18.3904, within(1e-3));
    assertThat(DirectStandardisation.crude(0, 1_000, 0.95).lower()).isZero();
    assertThat(DirectStandardisation.crude(0, 1_000, 0.95).upper()).isCloseTo(100_000 * 3.6889 / 1_000, within(1e-2));
  }

  /**
   * Two strata, computed by hand: weights 0.6 and 0.4 of the standard, rates 20/1000 and 90/3000, so
   * DSR = 0.6 × 0.02 + 0.4 × 0.03 = 0.024 = 2,400 per 100,000; v = (0.6/1000)² × 20 + (0.4/3000)² × 90 =
   * 7.2e-6 + 1.6e-6 = 8.8e-6, w_M = 0.0006. Gamma limits from Fay and Feuer's formula with those numbers.
   */
  @Test
  void directlyStandardisedRateAndGammaLimits() {
    DirectStandardisation.Rate rate =
        DirectStandardisation.direct(List.of(new DirectStandardisation.Stratum(20, 1000, 6), new DirectStandardisation.Stratum(90, 3000, 4)), 0.95);
    assertThat(rate.rate()).isCloseTo(2400.0, within(1e-6));
    double y = 0.024;
    double v = 8.8e-6;
    double wm = 0.0006;
    double lower = new org.apache.commons.math3.distribution.ChiSquaredDistribution(2 * y * y / v).inverseCumulativeProbability(0.025) * v / (2 * y);
    double upper =
        new org.apache.commons.math3.distribution.ChiSquaredDistribution(2 * (y + wm) * (y + wm) / (v + wm * wm)).inverseCumulativeProbability(0.975)
            * (v + wm * wm) / (2 * (y + wm));
    assertThat(rate.lower()).isCloseTo(100_000 * lower, within(1e-3));
    assertThat(rate.upper()).isCloseTo(100_000 * upper, within(1e-3));
    assertThat(rate.lower()).isLessThan(2400).isGreaterThan(1800);
    assertThat(rate.upper()).isGreaterThan(2400).isLessThan(3100);
  }
}
