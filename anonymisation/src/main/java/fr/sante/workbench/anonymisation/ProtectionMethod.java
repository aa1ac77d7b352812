package fr.sante.workbench.anonymisation;

/** How a table's secondary cells were chosen and its protection proven. */
public enum ProtectionMethod {
  /** Every hidden cell's interval by linear programming over the whole table (small tables). */
  LP,
  /** One certified cube of hidden cells per primary cell, for larger tables. */
  HYPERCUBE;

  /** For a person: "linear programming" or "certified hypercubes". */
  public String describe() {
    return this == LP ? "linear programming" : "certified hypercubes";
  }
}
