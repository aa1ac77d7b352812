package fr.sante.workbench.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test oracle written apart from the workbench's code (neither MLlib nor the gate's refit): a log-link GLM with
 * variance {@code mu^p} fitted by Newton-Raphson on the quasi-likelihood score, with its own Gauss-Jordan solver,
 * on cells given as plain Java values. Terms are named {@code factor=level}, the intercept {@code (intercept)}.
 */
public final class GlmOracle {
  private GlmOracle() {}

  /** One cell: its level of each factor, its units and the sum of the response. */
  public record Cell(List<String> levels, double units, double sum) {}

  /**
   * @param factors the factors' names, in the order of each cell's levels
   * @param references the reference level of each factor
   * @return term to estimate, and {@code se:term} to its standard error (dispersion: Pearson over cells − parameters, 1
   *     for {@code power == 1})
   */
  public static Map<String, Double> fit(List<String> factors, Map<String, String> references, List<Cell> cells, double power) {
    List<String> terms = new ArrayList<>(List.of("(intercept)"));
    List<int[]> positions = new ArrayList<>();
    for (int f = 0; f < factors.size(); f++) {
      int factor = f;
      List<String> levels = cells.stream().map(c -> c.levels().get(factor)).distinct().sorted().toList();
      for (String level : levels) {
        if (!level.equals(references.get(factors.get(f)))) {
          terms.add(factors.get(f) + "=" + level);
          positions.add(new int[] {f, levels.indexOf(level)});
        }
      }
    }
    int p = terms.size();
    int n = cells.size();
    double[][] x = new double[n][p];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      x[i][0] = 1;
      for (int t = 1; t < p; t++) {
        String[] parts = terms.get(t).split("=", 2);
        x[i][t] = c.levels().get(factors.indexOf(parts[0])).equals(parts[1]) ? 1 : 0;
      }
      w[i] = c.units();
      y[i] = c.sum() / c.units();
    }
    double total = 0;
    double units = 0;
    for (int i = 0; i < n; i++) {
      total += w[i] * y[i];
      units += w[i];
    }
    double[] beta = new double[p];
    beta[0] = Math.log(total / units);
    for (int iteration = 0; iteration < 500; iteration++) {
      double[][] hessian = new double[p][p];
      double[] score = new double[p];
      for (int i = 0; i < n; i++) {
        double mu = Math.exp(dot(x[i], beta));
        // score of the quasi-likelihood: sum w (y - mu) / V(mu) * dmu/deta * x, with dmu/deta = mu
        double s = w[i] * (y[i] - mu) * Math.pow(mu, 1 - power);
        double h = w[i] * Math.pow(mu, 2 - power);
        for (int a = 0; a < p; a++) {
          score[a] += s * x[i][a];
          for (int b = 0; b < p; b++) {
            hessian[a][b] += h * x[i][a] * x[i][b];
          }
        }
      }
      double[] step = solve(hessian, score);
      double largest = 0;
      for (int a = 0; a < p; a++) {
        beta[a] += step[a];
        largest = Math.max(largest, Math.abs(step[a]));
      }
      if (largest < 1e-13) {
        break;
      }
    }
    double[][] information = new double[p][p];
    double pearson = 0;
    for (int i = 0; i < n; i++) {
      double mu = Math.exp(dot(x[i], beta));
      pearson += w[i] * Math.pow(y[i] - mu, 2) / Math.pow(mu, power);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          information[a][b] += w[i] * Math.pow(mu, 2 - power) * x[i][a] * x[i][b];
        }
      }
    }
    double dispersion = power == 1 ? 1 : pearson / (n - p);
    Map<String, Double> out = new TreeMap<>();
    for (int a = 0; a < p; a++) {
      double[] unit = new double[p];
      unit[a] = 1;
      double variance = solve(information, unit)[a];
      out.put(terms.get(a), beta[a]);
      out.put("se:" + terms.get(a), Math.sqrt(dispersion * variance));
    }
    out.put("dispersion", dispersion);
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Gauss-Jordan elimination with partial pivoting. */
  private static double[] solve(double[][] matrix, double[] rhs) {
    int n = rhs.length;
    double[][] a = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(matrix[i], 0, a[i], 0, n);
      a[i][n] = rhs[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double factor = a[r][col] / a[col][col];
          for (int c = col; c <= n; c++) {
            a[r][c] -= factor * a[col][c];
          }
        }
      }
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = a[i][n] / a[i][i];
    }
    return out;
  }
}
