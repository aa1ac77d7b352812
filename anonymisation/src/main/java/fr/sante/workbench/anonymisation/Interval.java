package fr.sante.workbench.anonymisation;

/**
 * What an attacker who knows every published cell and the table's additive relations can deduce about a
 * suppressed cell: its value lies in {@code [low, high]} ({@code high} may be infinite).
 */
public record Interval(double low, double high) {
  /** Solver tolerance on integer counts. */
  public static final double EPSILON = 1e-6;

  /** Protected: the attacker can neither prove the count is below {@code minCount} nor pin it to one value. */
  public boolean protects(int minCount) {
    return high >= minCount - EPSILON && high - low >= 1 - EPSILON;
  }
}
