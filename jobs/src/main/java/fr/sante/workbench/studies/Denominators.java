package fr.sante.workbench.studies;

import static org.apache.spark.sql.functions.col;

import fr.sante.workbench.schemas.Departement;
import fr.sante.workbench.schemas.Geography;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Population denominators in Open DAMIR's classes: the {@code population} table's départements mapped to
 * Open DAMIR regions ({@code damir_region} of the geography: all DOM in 5, Corse in 93), its 5-year bands
 * mapped to {@code AGE_BEN_SNDS} classes (0-19, then ten-year classes, 80+), for the source and year a
 * {@link PopulationChoice} picked (the counts' scheme, the nearest year).
 *
 * @param persons (region, age class, sex) → persons
 */
public record Denominators(int year, String source, Map<List<String>, Long> persons) {
  /** The denominators in Open DAMIR's age classes for {@code choice}. */
  public static Denominators load(SparkSession spark, PopulationChoice choice) {
    return load(spark, choice, Denominators::ageClass);
  }

  /** The denominators of {@code choice}, with {@code ageClass} mapping each 5-year band's first age to a class. */
  public static Denominators load(SparkSession spark, PopulationChoice choice, java.util.function.IntFunction<String> ageClass) {
    Map<List<String>, Long> persons = new HashMap<>();
    for (Row row :
        spark.table("population").filter(col("source").equalTo(choice.source()).and(col("year").equalTo(choice.year())))
            .groupBy("geo_code", "sex", "age_min").sum("persons").collectAsList()) {
      Optional<Departement> dep = Geography.departement(row.getString(0));
      if (dep.isEmpty()) {
        continue;
      }
      List<String> key = List.of(dep.get().damirRegion(), ageClass.apply(row.getInt(2)), String.valueOf(row.getInt(1)));
      persons.merge(key, row.getLong(3), Long::sum);
    }
    return new Denominators(choice.year(), choice.source(), Map.copyOf(persons));
  }

  /** The {@code AGE_BEN_SNDS} class of a 5-year band starting at {@code ageMin}. */
  static String ageClass(int ageMin) {
    return ageMin < 20 ? "0" : String.valueOf(Math.min(80, ageMin / 10 * 10));
  }

  /** Whether a breakdown can have denominators: only by region, age and sex. */
  public static boolean covers(List<DamirAxis> axes) {
    return !axes.isEmpty() && List.of(DamirAxis.REGION, DamirAxis.AGE, DamirAxis.SEX).containsAll(axes);
  }

  /**
   * The population of one published cell ({@code Total} sums over the dimension); empty for codes without a
   * population (unknown region 99, unknown age 99, sex 0 or 9).
   */
  public OptionalLong of(List<DamirAxis> axes, List<String> key) {
    String[] slots = new String[3]; // region, age, sex; null = every value
    for (int i = 0; i < axes.size(); i++) {
      slots[List.of(DamirAxis.REGION, DamirAxis.AGE, DamirAxis.SEX).indexOf(axes.get(i))] = key.get(i);
    }
    return persons(slots[0], slots[1], slots[2]);
  }

  /** The persons of a region, age class and sex; {@code Total} (or null) for all. Empty when none match. */
  public OptionalLong persons(String region, String age, String sex) {
    List<String> wanted = java.util.Arrays.asList(region, age, sex);
    long sum = 0;
    boolean any = false;
    for (Map.Entry<List<String>, Long> entry : persons.entrySet()) {
      boolean match = true;
      for (int i = 0; i < 3 && match; i++) {
        String w = wanted.get(i);
        match = w == null || w.equals(StudyTable.TOTAL) || w.equals(entry.getKey().get(i));
      }
      if (match) {
        sum += entry.getValue();
        any = true;
      }
    }
    return any ? OptionalLong.of(sum) : OptionalLong.empty();
  }
}
