package fr.sante.workbench.anonymisation;

/** A rule record-level (microdata) results must satisfy before they leave the lake. */
public sealed interface PrivacyRule permits KAnonymity, LDiversity {
  /** The rule in a few words, for reports. */
  String describe();
}
