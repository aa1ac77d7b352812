package fr.sante.workbench.anonymisation;

/**
 * The small-cell rule of an aggregated table.
 *
 * @param minCount no published count may be below this (CASD's rule: 11)
 * @param zeros whether a zero count may be published
 */
public record SuppressionPolicy(int minCount, Zeros zeros) {
  /** CASD's rule: no cell under 11 units. */
  public static final int DEFAULT_MIN_COUNT = 11;

  /** Whether zero cells are published or protected like small ones. */
  public enum Zeros {
    PUBLISH,
    PROTECT
  }

  public SuppressionPolicy {
    if (minCount < 2) {
      throw new AnonymisationException("Invalid min count: " + minCount + " (must be >= 2)");
    }
    if (zeros == null) {
      throw new AnonymisationException("Invalid policy: zeros is null (must be PUBLISH or PROTECT)");
    }
  }

  public static SuppressionPolicy defaults() {
    return new SuppressionPolicy(DEFAULT_MIN_COUNT, Zeros.PUBLISH);
  }

  /** Whether a count must be hidden by primary suppression. */
  public boolean isSmall(long count) {
    return count == 0 ? zeros == Zeros.PROTECT : count < minCount;
  }
}
