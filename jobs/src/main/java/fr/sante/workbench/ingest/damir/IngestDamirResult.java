package fr.sante.workbench.ingest.damir;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The files an ingest loaded, in month order, with a printable summary. */
public record IngestDamirResult(String lake, List<FileResult> files) {

  public IngestDamirResult {
    files = List.copyOf(files);
  }

  public long rowsRead() {
    return files.stream().mapToLong(FileResult::rowsRead).sum();
  }

  public long rowsAccepted() {
    return files.stream().mapToLong(FileResult::rowsAccepted).sum();
  }

  public long rowsRejected() {
    return files.stream().mapToLong(FileResult::rowsRejected).sum();
  }

  /** Per-file counts, totals, and the data-quality summary (codes missing from code lists). */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-16s %7s %12s %12s %12s %9s%n", "file", "month", "read", "accepted", "rejected", "seconds"));
    for (FileResult f : files) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-16s %7d %,12d %,12d %,12d %9.1f%n",
              f.file(),
              f.month(),
              f.rowsRead(),
              f.rowsAccepted(),
              f.rowsRejected(),
              f.duration().toMillis() / 1000.0));
    }
    out.append(
        String.format(
            Locale.ROOT, "%-16s %7s %,12d %,12d %,12d%n", "total", "", rowsRead(), rowsAccepted(), rowsRejected()));
    out.append("Lake: ").append(lake).append(System.lineSeparator());
    if (rowsRejected() > 0) {
      out.append("Rejected lines, with line numbers and reasons, are in table damir_rejects.").append(System.lineSeparator());
    }
    out.append(qualitySummary());
    return out.toString();
  }

  /** Codes missing from their code list (rows kept) and unknown care months, over all files. */
  public String qualitySummary() {
    Map<String, Long> rows = new TreeMap<>();
    Map<String, Map<String, Long>> values = new TreeMap<>();
    long unknownCareMonths = 0;
    for (FileResult f : files) {
      unknownCareMonths += f.unknownCareMonths();
      f.unknownCodeRows().forEach((k, v) -> rows.merge(k, v, Long::sum));
      f.unknownCodeValues()
          .forEach((k, v) -> v.forEach((code, n) -> values.computeIfAbsent(k, c -> new TreeMap<>()).merge(code, n, Long::sum)));
    }
    StringBuilder out = new StringBuilder("Data quality:").append(System.lineSeparator());
    out.append(
        String.format(
            Locale.ROOT,
            "  care month unknown (SOI_ANN/SOI_MOI placeholder such as 0000/00, CARE_MONTH null): %,d rows%n",
            unknownCareMonths));
    if (rows.isEmpty()) {
      out.append("  every code is in its code list").append(System.lineSeparator());
    } else {
      out.append("  codes missing from their code list (rows kept):").append(System.lineSeparator());
      rows.forEach(
          (column, n) ->
              out.append(String.format(Locale.ROOT, "    %-13s %,12d rows  codes %s%n", column, n, values.getOrDefault(column, Map.of()))));
    }
    return out.toString();
  }
}
