package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.AnonymisationException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The gate's own fit of a log-link GLM with power variance {@code V(mu) = mu^p} (Poisson {@code p = 1}, Tweedie
 * {@code 1 < p < 2}) on weighted observations, by iteratively reweighted least squares. The gate refits every model it
 * is asked to publish with it, so that published coefficients are the declared model's fit of the data the gate read,
 * not numbers taken on the caller's word.
 */
public final class LogLinkGlm {
  private static final int MAX_ITERATIONS = 200;
  private static final double TOLERANCE = 1e-12;

  private LogLinkGlm() {}

  /**
   * @param beta coefficients in the design's column order
   * @param stdErrors their standard errors, {@code sqrt(dispersion · diag((XᵀWX)⁻¹))}
   * @param dispersion 1 for Poisson, else Pearson's statistic over the residual degrees of freedom
   * @param residualShare Pearson's statistic of the fit over that of the intercept-only model (0: every observation
   *     reproduced exactly)
   * @param leverage each observation's hat value {@code W_i x_i' (X'WX)^-1 x_i} at the estimates: 1 when the model
   *     reproduces it whatever its value (it alone determines a parameter)
   */
  public record Fit(double[] beta, double[] stdErrors, double dispersion, int iterations, double residualShare, double[] leverage) {}

  /**
   * @param x design matrix, one row per observation (its first column the intercept's ones)
   * @param y mean response per observation (>= 0)
   * @param w prior weight per observation (> 0)
   * @param power variance power (1 = Poisson, dispersion fixed to 1)
   */
  public static Fit fit(double[][] x, double[] y, double[] w, double power) {
    int n = x.length;
    int p = x[0].length;
    double mean = 0;
    double weights = 0;
    for (int i = 0; i < n; i++) {
      mean += w[i] * y[i];
      weights += w[i];
    }
    mean /= weights;
    double[] mu = new double[n];
    double[] eta = new double[n];
    for (int i = 0; i < n; i++) {
      mu[i] = (y[i] + mean) / 2;
      eta[i] = Math.log(mu[i]);
    }
    double[] beta = new double[p];
    int iteration = 0;
    boolean converged = false;
    while (iteration < MAX_ITERATIONS && !converged) {
      iteration++;
      double[][] xtwx = new double[p][p];
      double[] xtwz = new double[p];
      for (int i = 0; i < n; i++) {
        double weight = w[i] * Math.pow(mu[i], 2 - power);
        double z = eta[i] + (y[i] - mu[i]) / mu[i];
        for (int a = 0; a < p; a++) {
          if (x[i][a] == 0) {
            continue;
          }
          double wa = weight * x[i][a];
          xtwz[a] += wa * z;
          for (int b = 0; b < p; b++) {
            xtwx[a][b] += wa * x[i][b];
          }
        }
      }
      RealMatrix information = new Array2DRowRealMatrix(xtwx, false);
      double[] next;
      try {
        next = new CholeskyDecomposition(information, 1e-12, 1e-14).getSolver().solve(new ArrayRealVector(xtwz, false)).toArray();
      } catch (NonPositiveDefiniteMatrixException e) {
        throw new AnonymisationException("The model's design is not of full rank (a level with no observation, or two levels always together): it has no unique fit");
      }
      double change = 0;
      for (int a = 0; a < p; a++) {
        change = Math.max(change, Math.abs(next[a] - beta[a]) / Math.max(1, Math.abs(next[a])));
      }
      beta = next;
      for (int i = 0; i < n; i++) {
        double e = 0;
        for (int a = 0; a < p; a++) {
          e += x[i][a] * beta[a];
        }
        eta[i] = e;
        mu[i] = Math.exp(e);
      }
      converged = change < TOLERANCE;
    }
    if (!converged) {
      throw new AnonymisationException("The gate's refit of the model did not converge in " + MAX_ITERATIONS + " iterations");
    }
    // the information at the final estimates
    double[][] xtwx = new double[p][p];
    double pearson = 0;
    for (int i = 0; i < n; i++) {
      double variance = Math.pow(mu[i], power);
      pearson += w[i] * (y[i] - mu[i]) * (y[i] - mu[i]) / variance;
      double weight = w[i] * Math.pow(mu[i], 2 - power);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          xtwx[a][b] += weight * x[i][a] * x[i][b];
        }
      }
    }
    double dispersion = power == 1 ? 1 : pearson / (n - p);
    double nullPearson = 0;
    for (int i = 0; i < n; i++) {
      nullPearson += w[i] * (y[i] - mean) * (y[i] - mean) / Math.pow(mean, power);
    }
    RealMatrix inverse = new CholeskyDecomposition(new Array2DRowRealMatrix(xtwx, false), 1e-12, 1e-14).getSolver().getInverse();
    double[] se = new double[p];
    for (int a = 0; a < p; a++) {
      se[a] = Math.sqrt(dispersion * inverse.getEntry(a, a));
    }
    double[] leverage = new double[n];
    for (int i = 0; i < n; i++) {
      double h = 0;
      for (int a = 0; a < p; a++) {
        if (x[i][a] == 0) {
          continue;
        }
        for (int b = 0; b < p; b++) {
          h += x[i][a] * inverse.getEntry(a, b) * x[i][b];
        }
      }
      leverage[i] = h * w[i] * Math.pow(mu[i], 2 - power);
    }
    return new Fit(beta, se, dispersion, iteration, nullPearson > 0 ? pearson / nullPearson : 0, leverage);
  }
}
