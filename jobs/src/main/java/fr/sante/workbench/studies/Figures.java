package fr.sante.workbench.studies;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/** Exact arithmetic of derived figures: money stays decimal, rates are rounded once, at the end. */
public final class Figures {
  private Figures() {}

  /** {@code 100 × numerator / denominator} to 2 decimals, or empty if either is missing or the denominator is 0. */
  public static Optional<BigDecimal> percent(Optional<BigDecimal> numerator, Optional<BigDecimal> denominator) {
    if (numerator.isEmpty() || denominator.isEmpty() || denominator.get().signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(numerator.get().multiply(BigDecimal.valueOf(100)).divide(denominator.get(), MathContext.DECIMAL128).setScale(2, RoundingMode.HALF_EVEN));
  }

  /** Growth in percent, {@code 100 × (current / previous − 1)}, to 2 decimals. */
  public static Optional<BigDecimal> growth(Optional<BigDecimal> current, Optional<BigDecimal> previous) {
    return percent(current.flatMap(c -> previous.map(c::subtract)), previous);
  }

  /** {@code numerator / denominator} to {@code scale} decimals. */
  public static Optional<BigDecimal> ratio(Optional<BigDecimal> numerator, Optional<BigDecimal> denominator, int scale) {
    if (numerator.isEmpty() || denominator.isEmpty() || denominator.get().signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(numerator.get().divide(denominator.get(), MathContext.DECIMAL128).setScale(scale, RoundingMode.HALF_EVEN));
  }

  /** A figure as printed in derived files: plain decimal, empty when missing. */
  public static String text(Optional<BigDecimal> value) {
    return value.map(BigDecimal::toPlainString).orElse("");
  }

  /** A figure for a chart: null when missing (a gap, never a zero). */
  public static Double chart(Optional<BigDecimal> value) {
    return value.map(BigDecimal::doubleValue).orElse(null);
  }
}
