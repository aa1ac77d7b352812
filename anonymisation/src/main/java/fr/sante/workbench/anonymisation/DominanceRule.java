package fr.sante.workbench.anonymisation;

import java.util.Locale;

/**
 * Primary suppression of amounts dominated by few contributors (one establishment, one prescriber…), by the
 * (n, k) rule, the p % rule, or both. Contributions must be non-negative.
 *
 * @param n the (n, k) rule's number of largest contributors (0 = rule off)
 * @param k the (n, k) rule's share in percent: sensitive if the n largest exceed k % of the cell
 * @param p the p % rule: sensitive if the second-largest contributor can estimate the largest within p %
 *     (total − x1 − x2 < p/100 × x1); 0 = rule off
 */
public record DominanceRule(int n, double k, double p) {
  public DominanceRule {
    if (n < 0 || (n > 0 && !(k > 0 && k <= 100))) {
      throw new AnonymisationException("Invalid (n, k) dominance rule: n = " + n + ", k = " + k + " (need n >= 1 and 0 < k <= 100, or n = 0 to disable)");
    }
    if (!(p >= 0 && p < 100)) {
      throw new AnonymisationException("Invalid p % rule: p = " + p + " (need 0 <= p < 100; 0 disables it)");
    }
    if (n == 0 && p == 0) {
      throw new AnonymisationException("Invalid dominance rule: neither (n, k) nor p % is set");
    }
  }

  /** Contributors the rules look at: the n largest, and the two largest for p %. */
  int largest() {
    return Math.max(n, p > 0 ? 2 : 0);
  }

  /**
   * How much the attacker's upper bound on the cell's total must exceed the true total (0 = not sensitive),
   * from the cell's {@code total} and its largest contributions, in decreasing order. (n, k): the n largest
   * must not be provably above k % of the total, i.e. upper ≥ 100/k × (x1 + … + xn); p %: the second
   * largest must not estimate the largest within p %, i.e. upper ≥ total + p/100 × x1 − (total − x1 − x2).
   */
  long protectionNeeded(long total, long[] largest) {
    long need = 0;
    if (n > 0) {
      long top = 0;
      for (int i = 0; i < Math.min(n, largest.length); i++) {
        top += largest[i];
      }
      if (top > k / 100 * total) {
        need = Math.max(need, (long) Math.ceil(top * 100 / k - total));
      }
    }
    if (p > 0 && largest.length > 0) {
      long x1 = largest[0];
      long x2 = largest.length > 1 ? largest[1] : 0;
      long rest = total - x1 - x2;
      if (rest < p / 100 * x1) {
        need = Math.max(need, (long) Math.ceil(p / 100 * x1 - rest));
      }
    }
    return need == 0 ? 0 : Math.max(1, need);
  }

  String describe() {
    String nk = n > 0 ? String.format(Locale.ROOT, "(%d, %s) dominance", n, stripped(k)) : "";
    String pp = p > 0 ? String.format(Locale.ROOT, "p %% rule with p = %s", stripped(p)) : "";
    return nk.isEmpty() ? pp : pp.isEmpty() ? nk : nk + " and " + pp;
  }

  private static String stripped(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
