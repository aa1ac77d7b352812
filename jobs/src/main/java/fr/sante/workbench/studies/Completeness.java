package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.PublishedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a study could not publish or compute, for its report: per published table, its cells, those the source masked,
 * those the gate hid (small, dominated or hidden to protect them: the report does not say which, the analyst's terminal
 * and the DPO's audit entry do) and the small ones published as a public source's own; per derived table, its figures
 * and how many are blank (a hidden count, a missing population, a rate with a zero denominator).
 */
public final class Completeness {
  public static final String NAME = "completeness";

  private Completeness() {}

  public static DerivedTable of(List<StudyTable> tables, List<DerivedTable> derived) {
    return of(StudyReport.texts(fr.sante.workbench.anonymisation.ReportLanguage.EN), tables, derived);
  }

  /** {@link #of(List, List)} with its title and method in the report's language (the CSV's values stay the same). */
  public static DerivedTable of(fr.sante.workbench.anonymisation.ReportText text, List<StudyTable> tables, List<DerivedTable> derived) {
    List<List<String>> rows = new ArrayList<>();
    for (StudyTable table : tables) {
      long cells = table.cells().size();
      long masked = table.cells().stream().filter(table::isMasked).count();
      long hidden = table.cells().stream().filter(PublishedTable.Cell::suppressed).count();
      long publicSmall = table.published().manifest().publicCells().size();
      rows.add(row("tables/" + table.name(), "published table", cells, masked, hidden - masked, publicSmall, hidden));
    }
    for (DerivedTable table : derived) {
      long figures = 0;
      long blank = 0;
      for (int c = 0; c < table.headers().size(); c++) {
        List<String> column = table.column(table.headers().get(c));
        // a column of figures: some value is a number (labels, codes and sentences are not counted)
        if (isFigures(table.headers().get(c), column)) {
          figures += column.size();
          blank += column.stream().filter(String::isEmpty).count();
        }
      }
      rows.add(row("report/" + table.name() + ".csv", "derived figures", figures, 0, 0, 0, blank));
    }
    return new DerivedTable(NAME, text.msg("completeness.title"),
        List.of("file", "kind", "cells_or_figures", "masked_at_source", "hidden_by_gate", "small_published_as_public", "not_available", "not_available_pct"),
        rows, List.of("tables/*/manifest.json", "report/*.csv"),
        text.msg("completeness.method"));
  }

  private static boolean isFigures(String header, List<String> column) {
    if (header.endsWith("_label") || header.equals("rank") || column.isEmpty()) {
      return false;
    }
    boolean any = false;
    for (String value : column) {
      if (!value.isEmpty()) {
        if (!value.matches("-?\\d+(\\.\\d+)?")) {
          return false;
        }
        any = true;
      }
    }
    return any && !isCode(header);
  }

  /** Dimension columns hold codes, not figures. */
  static boolean isCode(String header) {
    return List.of("month", "year", "region", "age", "sex", "ald", "territory", "department", "family", "speciality", "envelope", "prescriber_speciality",
        "prescriber_status", "prescribing_establishment", "rate_class", "ald_exemption", "pharmacy_line", "age_class", "generic", "prescriber", "substance").contains(header);
  }

  private static List<String> row(String file, String kind, long total, long masked, long hidden, long publicSmall, long missing) {
    return List.of(file, kind, String.valueOf(total), String.valueOf(masked), String.valueOf(hidden), String.valueOf(publicSmall), String.valueOf(missing),
        total == 0 ? "" : String.format(Locale.ROOT, "%.1f", 100.0 * missing / total));
  }
}
