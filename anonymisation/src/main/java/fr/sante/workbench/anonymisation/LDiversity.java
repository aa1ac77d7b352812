package fr.sante.workbench.anonymisation;

/**
 * Distinct l-diversity: every published class holds at least {@code l} distinct values of {@code sensitive},
 * so that knowing a person's class does not reveal the sensitive value. A missing (null) value is no value: a
 * class holding {@code s0} and nulls has one distinct value.
 */
public record LDiversity(String sensitive, int l) implements PrivacyRule {
  public LDiversity {
    if (sensitive == null || sensitive.isBlank()) {
      throw new AnonymisationException("Cannot apply l-diversity: no sensitive column given");
    }
    if (l < 2) {
      throw new AnonymisationException("Invalid l for '" + sensitive + "': " + l + " (must be >= 2)");
    }
  }

  @Override
  public String describe() {
    return "distinct " + l + "-diversity of " + sensitive;
  }
}
