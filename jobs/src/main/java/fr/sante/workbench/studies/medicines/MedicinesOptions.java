package fr.sante.workbench.studies.medicines;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.lake.Lake;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Options of {@link MedicinesStudy}.
 *
 * @param atc an ATC class at any level ({@code C}, {@code C10}, {@code C10A}, {@code C10AA}, {@code C10AA05}),
 *     or empty for every medicine
 * @param language the language of the report (HTML pages only: CSV files and manifests are language-independent)
 */
public record MedicinesOptions(
    Lake lake, Path out, Optional<String> atc, SuppressionPolicy suppression, Consumer<String> progress, ReportLanguage language) {
  public MedicinesOptions {
    Objects.requireNonNull(lake, "lake is null");
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(suppression, "suppression is null");
    Objects.requireNonNull(progress, "progress is null");
    Objects.requireNonNull(language, "language is null");
    atc = atc.map(String::trim).map(String::toUpperCase);
    atc.ifPresent(MedicinesOptions::level);
  }

  /** Options whose report is in English. */
  public MedicinesOptions(Lake lake, Path out, Optional<String> atc, SuppressionPolicy suppression, Consumer<String> progress) {
    this(lake, out, atc, suppression, progress, ReportLanguage.EN);
  }

  /** These options with the report in {@code newLanguage}. */
  public MedicinesOptions withLanguage(ReportLanguage newLanguage) {
    return new MedicinesOptions(lake, out, atc, suppression, progress, newLanguage);
  }

  public static MedicinesOptions of(Lake lake, Path out) {
    return new MedicinesOptions(lake, out, Optional.empty(), SuppressionPolicy.defaults(), line -> {}, ReportLanguage.EN);
  }

  public MedicinesOptions withAtc(String code) {
    return new MedicinesOptions(lake, out, Optional.of(code), suppression, progress, language);
  }

  public MedicinesOptions withSuppression(SuppressionPolicy newSuppression) {
    return new MedicinesOptions(lake, out, atc, newSuppression, progress, language);
  }

  public MedicinesOptions withProgress(Consumer<String> newProgress) {
    return new MedicinesOptions(lake, out, atc, suppression, newProgress, language);
  }

  /** The column of {@code open_medic} an ATC code of this length is in: atc1 (1 character) to atc5 (7). */
  static String level(String code) {
    return switch (code.length()) {
      case 1 -> "atc1";
      case 3 -> "atc2";
      case 4 -> "atc3";
      case 5 -> "atc4";
      case 7 -> "atc5";
      default -> throw new WorkbenchException("Invalid ATC code '" + code + "' (expected 1, 3, 4, 5 or 7 characters, e.g. C, C10, C10A, C10AA or C10AA05)");
    };
  }
}
