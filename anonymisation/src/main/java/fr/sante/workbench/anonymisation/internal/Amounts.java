package fr.sante.workbench.anonymisation.internal;

import fr.sante.workbench.anonymisation.*;

import java.util.List;

/**
 * Amount columns published with a table's counts, in cents, aligned with {@link FrequencyTable#cells()}'s
 * order (margins included), and what each cell's dominance rule requires.
 *
 * @param columns the amount columns
 * @param values [column][cell] → the cell's total in cents
 * @param needs [column][cell] → how far above its total an attacker's upper bound must reach (0 = not dominated)
 */
public record Amounts(List<String> columns, long[][] values, long[][] needs) {
  public Amounts {
    columns = List.copyOf(columns);
  }

  public static Amounts none() {
    return new Amounts(List.of(), new long[0][], new long[0][]);
  }

  /** Whether a dominance rule makes {@code cell} sensitive in some amount column. */
  public boolean dominated(int cell) {
    for (long[] need : needs) {
      if (need[cell] > 0) {
        return true;
      }
    }
    return false;
  }
}
