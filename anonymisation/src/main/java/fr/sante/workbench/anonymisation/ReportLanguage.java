package fr.sante.workbench.anonymisation;

import java.util.Locale;

/**
 * The language of the HTML pages (study reports, the DPO's audit pages). Only the text around the figures changes:
 * code labels stay as the code lists give them (French), and CSV files and manifests stay language-independent.
 */
public enum ReportLanguage {
  EN(Locale.ENGLISH),
  FR(Locale.FRENCH);

  private final Locale locale;

  ReportLanguage(Locale locale) {
    this.locale = locale;
  }

  /** The language's code, as in {@code <html lang="..">} and on the command line ({@code en}, {@code fr}). */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Locale locale() {
    return locale;
  }
}
