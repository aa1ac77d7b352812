package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.ModelExports;

import java.nio.file.Path;
import java.util.List;

/**
 * What a study published and derived.
 *
 * @param study the study's name
 * @param out the output folder ({@code tables/} from the gate, {@code report/} derived from them)
 * @param tables the tables the gate published
 * @param derived figures computed from the published tables
 * @param charts the charts (PNG and SVG)
 * @param report the HTML report
 * @param notes what the reader must know (filters, placeholders, denominators, what was left out)
 */
public record StudyResult(
    String study, Path out, List<StudyTable> tables, List<ModelExports.Result> models, List<DerivedTable> derived, List<Charts.Chart> charts, Path report,
    List<String> notes) {
  public StudyResult {
    tables = List.copyOf(tables);
    models = List.copyOf(models);
    derived = List.copyOf(derived);
    charts = List.copyOf(charts);
    notes = List.copyOf(notes);
  }

  /** A study that published tables only. */
  public StudyResult(String study, Path out, List<StudyTable> tables, List<DerivedTable> derived, List<Charts.Chart> charts, Path report, List<String> notes) {
    this(study, out, tables, List.of(), derived, charts, report, notes);
  }

  public StudyTable table(String name) {
    return tables.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No published table '" + name + "' (tables: " + tables.stream().map(StudyTable::name).toList() + ")"));
  }

  public DerivedTable derived(String name) {
    return derived.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No derived table '" + name + "' (tables: " + derived.stream().map(DerivedTable::name).toList() + ")"));
  }

  /** One line per published table and derived file, for the CLI. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append("Study ").append(study).append(" written to ").append(this.out).append('\n');
    for (StudyTable t : tables) {
      // the analyst's terminal (inside the secure environment): why cells are hidden, which the published folder does not say
      out.append(String.format(java.util.Locale.ROOT, "  published  tables/%-34s audit entry %d, %d of %d cells suppressed (with margins: %d small or dominated, %d to protect them%s)%n",
          t.name(), t.export().auditEntry(), t.suppressedCells(), t.inner().size(), t.export().protection().primary(), t.export().protection().secondary(),
          t.published().manifest().masked().isEmpty() ? "" : ", " + t.published().manifest().masked().size() + " masked at the source"));
    }
    for (ModelExports.Result m : models) {
      out.append(String.format(java.util.Locale.ROOT, "  published  tables/%-34s audit entry %d, %d coefficients (%d residual degrees of freedom)%n",
          m.coefficients().getParent().getFileName() + "/" + m.coefficients().getFileName(), m.auditEntry(), m.published().parameters(), m.published().residualDf()));
    }
    for (DerivedTable d : derived) {
      out.append(String.format(java.util.Locale.ROOT, "  derived    report/%-34s %d lines%n", d.name() + ".csv", d.rows().size()));
    }
    out.append("  report     ").append(report).append(" (").append(charts.size()).append(charts.size() == 1 ? " chart" : " charts").append(", PNG and SVG)\n");
    notes.forEach(n -> out.append("  note: ").append(n).append('\n'));
    return out.toString();
  }
}
