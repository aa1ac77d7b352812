package fr.sante.workbench.anonymisation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the DPO sees and the published folder does not: which hidden cells are small (primary), dominated, or
 * hidden to protect them (secondary), each hypercube's partner corner, and what an attacker can deduce about
 * each small cell (its LP interval). Stored in the table's audit entry ({@code detail}), hashed and signed with
 * it; {@code audit show} and {@code audit report} print it. Knowing that a hidden cell is primary (in 1..10)
 * would let an attacker pin cells with an LP, which is why it never leaves the lake.
 *
 * @param primary cells hidden because small or dominated
 * @param primarySmall the primary cells that are small counts
 * @param primaryDominance the primary cells whose amount is dominated
 * @param secondary cells hidden to protect the primary ones
 * @param certificates hypercube tables: each primary cell's partner corner
 * @param intervals LP tables: the interval an attacker can prove for each small cell
 * @param link tables published jointly: the table they are all margins of, and its small cells (null otherwise)
 */
public record ProtectionDetail(
    List<List<String>> primary,
    List<List<String>> primarySmall,
    List<List<String>> primaryDominance,
    List<List<String>> secondary,
    Map<List<String>, List<String>> certificates,
    Map<List<String>, Interval> intervals,
    Link link) {
  /**
   * Tables published together (a study's, or one call's): each is a set of margins of one union table over
   * all their dimensions, protected once, so a cell shared by several tables is hidden in all or in none and the
   * protection holds over every table's relations at once. {@code audit verify} rebuilds the union table from
   * every published table of the group and re-runs the attack on it.
   *
   * @param group the group's id, the same in every table's audit entry
   * @param dimensions the union table's dimensions
   * @param method how the union table was protected
   * @param small the union table's small cells (the ones the attack must not pin or bound below the threshold)
   * @param certificates hypercube unions: each small cell's partner corner in the union table
   */
  public record Link(String group, List<String> dimensions, ProtectionMethod method, List<List<String>> small, Map<List<String>, List<String>> certificates) {
    public Link {
      dimensions = List.copyOf(dimensions);
      small = List.copyOf(small);
      certificates = Collections.unmodifiableMap(new LinkedHashMap<>(certificates));
    }
  }

  /** A table published on its own. */
  public ProtectionDetail(
      List<List<String>> primary,
      List<List<String>> primarySmall,
      List<List<String>> primaryDominance,
      List<List<String>> secondary,
      Map<List<String>, List<String>> certificates,
      Map<List<String>, Interval> intervals) {
    this(primary, primarySmall, primaryDominance, secondary, certificates, intervals, null);
  }

  public ProtectionDetail {
    primary = List.copyOf(primary);
    primarySmall = List.copyOf(primarySmall);
    primaryDominance = List.copyOf(primaryDominance);
    secondary = List.copyOf(secondary);
    certificates = Collections.unmodifiableMap(new LinkedHashMap<>(certificates));
    intervals = Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
  }

  /** No hidden cell (record-level exports, or tables with nothing to hide). */
  public static final ProtectionDetail NONE = new ProtectionDetail(List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of());
}
