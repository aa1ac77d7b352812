package fr.sante.workbench.anonymisation;

import java.util.HashSet;
import java.util.List;

/**
 * Every published record shares its quasi-identifiers with at least {@code k - 1} others.
 *
 * @param quasiIdentifiers the columns an attacker may know (age, sex, place, date…)
 * @param k the smallest class size allowed
 */
public record KAnonymity(List<String> quasiIdentifiers, int k) implements PrivacyRule {
  public KAnonymity {
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    if (quasiIdentifiers.isEmpty()) {
      throw new AnonymisationException("Cannot apply k-anonymity: no quasi-identifiers given");
    }
    if (new HashSet<>(quasiIdentifiers).size() != quasiIdentifiers.size()) {
      throw new AnonymisationException("Invalid quasi-identifiers " + quasiIdentifiers + ": a column appears twice");
    }
    if (k < 2) {
      throw new AnonymisationException("Invalid k: " + k + " (must be >= 2)");
    }
  }

  @Override
  public String describe() {
    return k + "-anonymity on " + String.join(", ", quasiIdentifiers);
  }
}
