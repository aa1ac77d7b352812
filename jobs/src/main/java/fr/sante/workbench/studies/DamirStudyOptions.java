package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.SuppressionPolicy;
import fr.sante.workbench.lake.Lake;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of the Open DAMIR studies (expenditure, prescription).
 *
 * @param lake the lake holding {@code damir} (and optionally {@code population}, for per-capita figures)
 * @param out the output folder (must not exist or be empty)
 * @param selection time axis, period and scope
 * @param breakdowns one published table per breakdown (1 to 3 dimensions each), besides the monthly one
 * @param suppression the small-cell rule of every published table
 * @param progress receives a line at each step
 * @param language the language of the report (HTML pages only: CSV files and manifests are language-independent)
 */
public record DamirStudyOptions(
    Lake lake, Path out, DamirSelection selection, List<List<DamirAxis>> breakdowns, SuppressionPolicy suppression, Consumer<String> progress, ReportLanguage language) {
  public DamirStudyOptions {
    Objects.requireNonNull(lake, "lake is null");
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(selection, "selection is null");
    Objects.requireNonNull(suppression, "suppression is null");
    Objects.requireNonNull(progress, "progress is null");
    Objects.requireNonNull(language, "language is null");
    breakdowns = breakdowns.stream().map(List::copyOf).toList();
    java.util.Set<java.util.Set<DamirAxis>> seen = new java.util.HashSet<>();
    for (List<DamirAxis> breakdown : breakdowns) {
      String named = String.join("+", breakdown.stream().map(a -> a.column().replace('_', '-')).toList());
      if (breakdown.isEmpty() || breakdown.size() > 3 || breakdown.stream().distinct().count() != breakdown.size()) {
        throw new fr.sante.workbench.WorkbenchException("Invalid breakdown '" + named + "': expected 1 to 3 different dimensions");
      }
      if (!seen.add(java.util.Set.copyOf(breakdown))) {
        // the same table twice would be two audit entries for one folder, or the same cells under two names
        throw new fr.sante.workbench.WorkbenchException("Invalid breakdowns: '" + named + "' is given twice (in any order, a breakdown is one table)");
      }
    }
  }

  /** Options whose report is in English. */
  public DamirStudyOptions(Lake lake, Path out, DamirSelection selection, List<List<DamirAxis>> breakdowns, SuppressionPolicy suppression, Consumer<String> progress) {
    this(lake, out, selection, breakdowns, suppression, progress, ReportLanguage.EN);
  }

  /** These options with the report in {@code newLanguage}. */
  public DamirStudyOptions withLanguage(ReportLanguage newLanguage) {
    return new DamirStudyOptions(lake, out, selection, breakdowns, suppression, progress, newLanguage);
  }

  /** Care months from the first processing month, CNAM's monthly-statistics scope, the default small-cell rule. */
  public static DamirStudyOptions of(Lake lake, Path out, List<List<DamirAxis>> breakdowns) {
    return new DamirStudyOptions(lake, out, DamirSelection.defaults(), breakdowns, SuppressionPolicy.defaults(), line -> {}, ReportLanguage.EN);
  }

  public DamirStudyOptions withSelection(DamirSelection newSelection) {
    return new DamirStudyOptions(lake, out, newSelection, breakdowns, suppression, progress, language);
  }

  public DamirStudyOptions withBreakdowns(List<List<DamirAxis>> newBreakdowns) {
    return new DamirStudyOptions(lake, out, selection, newBreakdowns, suppression, progress, language);
  }

  public DamirStudyOptions withSuppression(SuppressionPolicy newSuppression) {
    return new DamirStudyOptions(lake, out, selection, breakdowns, newSuppression, progress, language);
  }

  public DamirStudyOptions withProgress(Consumer<String> newProgress) {
    return new DamirStudyOptions(lake, out, selection, breakdowns, suppression, newProgress, language);
  }
}
