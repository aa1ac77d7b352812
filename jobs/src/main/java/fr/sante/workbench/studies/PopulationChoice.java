package fr.sante.workbench.studies;

import fr.sante.workbench.schemas.Schemes;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The population a rate divides by: of the counts' insurance scheme ({@link Schemes}), the year nearest to the
 * counts', unless the user names a source ({@code --population}) or a year ({@code --population-year}).
 *
 * @param source the {@code population} source, e.g. {@code rg-protected}
 * @param year the population year used
 * @param statement what was chosen and why, for the report
 */
public record PopulationChoice(String source, int year, String statement) {
  /** The choice, or why there is none (then no rate is computed). */
  public record Outcome(Optional<PopulationChoice> choice, String why) {
    public static Outcome none(String why) {
      return new Outcome(Optional.empty(), why);
    }
  }

  /** The user's overrides: a population source and a population year. */
  public record Wanted(Optional<String> source, Optional<Integer> year) {
    public static final Wanted DEFAULT = new Wanted(Optional.empty(), Optional.empty());

    public Wanted {
      source = source.map(Wanted::sourceName);
    }

    /** {@code insee} is short for {@code insee-estimates}. */
    private static String sourceName(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      String full = lower.equals("insee") ? "insee-estimates" : lower;
      if (Schemes.ofPopulation(full).isEmpty()) {
        throw new fr.sante.workbench.WorkbenchException("Invalid --population '" + name + "' (expected one of: insee, "
            + Schemes.all().stream().filter(e -> e.kind() == Schemes.Kind.POPULATION).map(Schemes.Entry::source).collect(Collectors.joining(", ")) + ")");
      }
      return full;
    }
  }

  /** Chooses the denominator of counts read from lake table {@code countsTable} for {@code countsYear}. */
  public static Outcome choose(SparkSession spark, String countsTable, int countsYear, Wanted wanted) {
    return choose(spark, countsTable, countsYear, wanted, StudyReport.texts(fr.sante.workbench.anonymisation.ReportLanguage.EN));
  }

  /** {@link #choose(SparkSession, String, int, Wanted)} with the statement and the reason in the report's language. */
  public static Outcome choose(SparkSession spark, String countsTable, int countsYear, Wanted wanted, fr.sante.workbench.anonymisation.ReportText text) {
    if (!spark.catalog().tableExists("population")) {
      return Outcome.none(text.msg("population.none.table", "./workbench ingest population"));
    }
    List<Row> available = spark.table("population").select("source", "year").distinct().collectAsList();
    if (available.isEmpty()) {
      return Outcome.none(text.msg("population.none.empty"));
    }
    String counts = Schemes.ofCounts(countsTable).map(Schemes.Entry::scheme)
        .orElseThrow(() -> new fr.sante.workbench.WorkbenchException("No insurance scheme declared for lake table '" + countsTable + "' in data-schemas' schemes.csv"));
    String have = available.stream().map(r -> r.getString(0) + " " + r.getInt(1)).sorted().collect(Collectors.joining(", "));
    List<String> sources =
        wanted.source().map(List::of).orElseGet(() -> Schemes.populationsOf(counts).stream().map(Schemes.Entry::source).toList());
    List<Row> candidates = available.stream().filter(r -> sources.contains(r.getString(0))).filter(r -> wanted.year().map(y -> y == r.getInt(1)).orElse(true)).toList();
    if (candidates.isEmpty()) {
      String source = wanted.source().map(s -> text.msg("population.asked.source", s)).orElse(text.msg("population.asked.scheme", counts, String.join(", ", sources)));
      String asked = wanted.year().map(y -> text.msg("population.asked.year", source, String.valueOf(y))).orElse(source);
      return Outcome.none(text.msg("population.none.asked", asked, have));
    }
    Row chosen = candidates.stream().min(Comparator.<Row>comparingInt(r -> sources.indexOf(r.getString(0))).thenComparingInt(r -> Math.abs(r.getInt(1) - countsYear))).get();
    String source = chosen.getString(0);
    int year = chosen.getInt(1);
    String scheme = Schemes.ofPopulation(source).map(Schemes.Entry::scheme).orElse("undeclared");
    String statement = text.msg("population.statement", source, String.valueOf(year), Schemes.ofPopulation(source).map(Schemes.Entry::label).orElse(source));
    statement = scheme.equals(counts) ? text.msg("population.same", statement, counts) : text.msg("population.other", statement, counts, scheme);
    if (year != countsYear) {
      statement = wanted.year().isPresent() ? text.msg("population.year.chosen", statement) : text.msg("population.year.nearest", statement, String.valueOf(countsYear));
    }
    return new Outcome(Optional.of(new PopulationChoice(source, year, statement)), "");
  }
}
