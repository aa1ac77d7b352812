package fr.sante.workbench.generate;

import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Synthetic denominators and ALD prevalence for the demo, in the real layouts the ingesters read: INSEE's
 * population estimates ({@code dep;l_dep;annee;sexe;age_max_cat;value}, 5-year bands, {@code inf} for 95+)
 * and the long ALD layout by département, sex and age class (0-4 … 85-89, 90+). Counts are Poisson draws
 * around an age gradient and a département effect, so standardised rates differ from crude ones.
 */
public final class GenerateDenominators {
  /** Diabetes, cancer, Alzheimer: frequent, age-dependent ALDs. */
  public static final List<Integer> ALDS = List.of(8, 30, 15);
  private static final double[] AGE_SHAPE = {5.6, 6.0, 6.1, 5.9, 5.6, 5.8, 6.1, 6.2, 6.3, 6.8, 6.7, 6.6, 6.3, 6.0, 5.6, 4.2, 3.1, 2.3, 1.3, 0.6};

  private GenerateDenominators() {}

  /** The files written. */
  public record Written(Path population, Path ald) {}

  public static Written write(Path dir, int year, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    JDKRandomGenerator poisson = new JDKRandomGenerator((int) seed);
    StringBuilder population = new StringBuilder("dep;l_dep;annee;sexe;age_max_cat;value\n");
    StringBuilder ald = new StringBuilder("year;ald_code;geo_level;geo_code;sex;age_class;persons;rounding;std_rate_100k;non_exhaustive\n");
    for (Departement dep : Geography.departements().values()) {
      long size = 80_000 + random.nextLong(1_500_000);
      double older = 0.7 + 0.6 * random.nextDouble(); // départements with an older population
      double effect = 0.8 + 0.4 * random.nextDouble(); // and a higher or lower prevalence at equal age
      for (int sex = 1; sex <= 2; sex++) {
        long[] bands = new long[AGE_SHAPE.length];
        for (int b = 0; b < AGE_SHAPE.length; b++) {
          double shape = AGE_SHAPE[b] * (b >= 12 ? older : 1) * (sex == 2 && b >= 15 ? 1.4 : 1);
          bands[b] = Math.round(size / 2.0 * shape / 100);
          population.append(dep.code()).append(';').append(dep.label()).append(';').append(year).append(';').append(sex == 1 ? "h" : "f").append(';')
              .append(b == AGE_SHAPE.length - 1 ? "inf" : String.valueOf(b * 5 + 4)).append(';').append(bands[b]).append('\n');
        }
        for (int code : ALDS) {
          for (int c = 0; c < 19; c++) {
            long persons = c < 18 ? bands[c] : bands[18] + bands[19];
            double mean = persons * prevalence(code, c * 5, sex) * effect;
            long cases = mean > 0 ? new PoissonDistribution(poisson, mean, PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample() : 0;
            String ageClass = c < 18 ? (c * 5) + "-" + (c * 5 + 4) : "90+";
            ald.append(year).append(';').append(code).append(";DEP;").append(dep.code()).append(';').append(sex).append(';').append(ageClass).append(';')
                .append(cases).append(";1;;false\n");
          }
        }
      }
    }
    try {
      Files.createDirectories(dir);
      Path populationFile = dir.resolve("population-synthetic-" + year + ".csv");
      Path aldFile = dir.resolve("ald-synthetic-" + year + ".csv");
      Files.writeString(populationFile, population, StandardCharsets.UTF_8);
      Files.writeString(aldFile, ald, StandardCharsets.UTF_8);
      return new Written(populationFile, aldFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the synthetic denominators to " + dir, e);
    }
  }

  /** Prevalence by age: rising steeply after 40 (diabetes, cancer) or 70 (Alzheimer). */
  private static double prevalence(int ald, int ageMin, int sex) {
    double age = ageMin + 2.5;
    return switch (ald) {
      case 8 -> 0.002 + 0.16 / (1 + Math.exp(-(age - 62) / 8)) * (sex == 1 ? 1.2 : 0.85);
      case 30 -> 0.001 + 0.12 / (1 + Math.exp(-(age - 68) / 9));
      default -> 0.22 / (1 + Math.exp(-(age - 84) / 4));
    };
  }
}
