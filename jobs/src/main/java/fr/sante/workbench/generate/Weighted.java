package fr.sante.workbench.generate;

import java.util.SplittableRandom;

/** A categorical distribution over ints, drawn by binary search over cumulative weights. */
final class Weighted {
  private final int[] values;
  private final double[] cumulative;

  private Weighted(int[] values, double[] weights) {
    this.values = values;
    this.cumulative = new double[weights.length];
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      total += weights[i];
      cumulative[i] = total;
    }
    for (int i = 0; i < weights.length; i++) {
      cumulative[i] /= total;
    }
  }

  /** Pairs of (value, weight). */
  static Weighted of(double... valueWeightPairs) {
    int n = valueWeightPairs.length / 2;
    int[] values = new int[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = (int) valueWeightPairs[2 * i];
      weights[i] = valueWeightPairs[2 * i + 1];
    }
    return new Weighted(values, weights);
  }

  int draw(SplittableRandom random) {
    double u = random.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return values[lo];
  }
}
