package fr.sante.workbench.anonymisation;

import java.util.List;

/**
 * The generalisation chosen for a record-level export, with what it costs.
 *
 * @param quasiIdentifiers in policy order
 * @param levels the level published for each (0 = original values)
 * @param heights the highest level of each hierarchy
 * @param records records in the result before protection
 * @param suppressedRecords records removed because their class is too small or not diverse enough
 * @param classes equivalence classes published
 * @param loss mean granularity of the published quasi-identifiers, 0 (original) to 1 (all generalised to the top)
 * @param latticeNodes nodes of the generalisation lattice
 * @param evaluatedNodes nodes whose classes were counted during the search
 * @param comparedNodes satisfying nodes whose loss was compared
 */
public record Generalisation(
    List<String> quasiIdentifiers,
    List<Integer> levels,
    List<Integer> heights,
    long records,
    long suppressedRecords,
    long classes,
    double loss,
    long latticeNodes,
    int evaluatedNodes,
    int comparedNodes) {
  public Generalisation {
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    levels = List.copyOf(levels);
    heights = List.copyOf(heights);
  }

  /** e.g. {@code age 2/4, sex 0/1}. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (int t = 0; t < quasiIdentifiers.size(); t++) {
      out.append(t == 0 ? "" : ", ").append(quasiIdentifiers.get(t)).append(' ').append(levels.get(t)).append('/').append(heights.get(t));
    }
    return out.toString();
  }

}
