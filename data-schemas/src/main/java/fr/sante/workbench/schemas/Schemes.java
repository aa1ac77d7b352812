package fr.sante.workbench.schemas;

import java.util.List;
import java.util.Optional;

/**
 * Which insurance scheme each count source and each population source covers ({@code schemes.csv}): a rate
 * divides counts by the population of the same scheme (ALD prevalence, régime général, by the RNIAM protected
 * population; Open DAMIR, every scheme, by INSEE's estimates of every resident).
 */
public final class Schemes {
  /** What a row describes. */
  public enum Kind {
    /** A lake table of counts. */
    COUNTS,
    /** A {@code source} of the {@code population} table. */
    POPULATION
  }

  /** One source and its scheme. */
  public record Entry(String source, Kind kind, String scheme, String label) {}

  private static final List<Entry> ENTRIES = load();

  private Schemes() {}

  public static List<Entry> all() {
    return ENTRIES;
  }

  /** The scheme of a count table ({@code damir}, {@code ald_prevalence}), if declared. */
  public static Optional<Entry> ofCounts(String table) {
    return find(Kind.COUNTS, table);
  }

  /** The scheme of a population source ({@code insee-estimates}, {@code rg-protected}), if declared. */
  public static Optional<Entry> ofPopulation(String source) {
    return find(Kind.POPULATION, source);
  }

  /** The population sources of {@code scheme}, in file order. */
  public static List<Entry> populationsOf(String scheme) {
    return ENTRIES.stream().filter(e -> e.kind() == Kind.POPULATION && e.scheme().equals(scheme)).toList();
  }

  private static Optional<Entry> find(Kind kind, String source) {
    return ENTRIES.stream().filter(e -> e.kind() == kind && e.source().equals(source)).findFirst();
  }

  private static List<Entry> load() {
    return CsvResources.read("schemes.csv", "source;kind;scheme;label").stream()
        .map(r -> new Entry(r.get(0), Kind.valueOf(r.get(1).toUpperCase(java.util.Locale.ROOT)), r.get(2), r.get(3)))
        .toList();
  }
}
