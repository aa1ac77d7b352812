package fr.sante.workbench.studies.ald;

import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.schemas.StandardPopulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The denominators of prevalence: persons by département, sex and 5-year band, from the pinned
 * {@code population} view, for the source and year a {@link fr.sante.workbench.studies.PopulationChoice} picked.
 */
record PopulationBands(int year, String source, Map<String, List<Band>> bands) {
  /** One band of one département and sex. */
  record Band(int sex, int ageMin, Optional<Integer> ageMax, long persons) {}

  static PopulationBands load(SparkSession spark, fr.sante.workbench.studies.PopulationChoice chosen) {
    Map<String, List<Band>> bands = new HashMap<>();
    for (Row r :
        spark.table("population").filter(col("source").equalTo(chosen.source()).and(col("year").equalTo(chosen.year())))
            .select("geo_code", "sex", "age_min", "age_max", "persons").collectAsList()) {
      bands.computeIfAbsent(r.getString(0), g -> new ArrayList<>())
          .add(new Band(r.getInt(1), r.getInt(2), r.isNullAt(3) ? Optional.empty() : Optional.of(r.getInt(3)), r.getLong(4)));
    }
    return new PopulationBands(chosen.year(), chosen.source(), bands);
  }

  /** Everybody in the territory, or empty if it has no population. */
  OptionalLong total(String geo) {
    List<Band> of = bands.get(geo);
    return of == null ? OptionalLong.empty() : OptionalLong.of(of.stream().mapToLong(Band::persons).sum());
  }

  /** The persons of one stratum, or empty when no band falls in it or a band straddles its limits. */
  OptionalLong stratum(String geo, int sex, AgeRange range) {
    List<Band> of = bands.getOrDefault(geo, List.of()).stream().filter(b -> b.sex() == sex).toList();
    if (of.isEmpty() || of.stream().anyMatch(b -> range.cuts(b.ageMin(), b.ageMax()))) {
      return OptionalLong.empty();
    }
    long sum = of.stream().filter(b -> range.contains(b.ageMin(), b.ageMax())).mapToLong(Band::persons).sum();
    return sum > 0 ? OptionalLong.of(sum) : OptionalLong.empty();
  }

  /** The standard population's weight of one stratum, or empty when the class cuts a standard band. */
  OptionalDouble standard(AldOptions.Standard standard, int sex, AgeRange range) {
    if (standard == AldOptions.Standard.NATIONAL) {
      long sum = 0;
      for (String geo : bands.keySet()) {
        OptionalLong persons = stratum(geo, sex, range);
        if (persons.isEmpty()) {
          return OptionalDouble.empty();
        }
        sum += persons.getAsLong();
      }
      return OptionalDouble.of(sum);
    }
    double weight = 0;
    for (StandardPopulation.Band band : StandardPopulation.esp2013()) {
      if (range.cuts(band.ageMin(), band.ageMax())) {
        return OptionalDouble.empty();
      }
      if (range.contains(band.ageMin(), band.ageMax())) {
        weight += band.weight() / 2.0; // ESP 2013 is the same for both sexes
      }
    }
    return OptionalDouble.of(weight);
  }
}
