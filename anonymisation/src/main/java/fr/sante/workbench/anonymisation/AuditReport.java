package fr.sante.workbench.anonymisation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A self-contained HTML page about one export, for the DPO: what was asked, what was hidden, what was checked. */
public final class AuditReport {
  private AuditReport() {}

  /**
   * The page for {@code entry}, the manifest of its folder (may be missing) and the problems {@code audit
   * verify} found (empty when verified). It shows the DPO detail (which hidden cell is which), so it stays with
   * the DPO: it is not part of the published folder.
   */
  public static String html(AuditLog.StoredEntry entry, Path manifestPath, List<String> problems) throws IOException {
    Manifest manifest = manifestPath != null && Files.exists(manifestPath) ? Manifests.read(manifestPath) : null;
    Map<String, Object> fields = entry.fields();
    fields.remove("detail");
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Export ")
        .append(entry.id())
        .append("</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .6em;text-align:left}")
        .append(".ok{color:#176b2c}.bad{color:#a11}th{background:#eee}</style></head><body>");
    page.append("<h1>Export ").append(entry.id()).append(": ").append(escape(entry.entry().kind())).append("</h1>");
    page.append(problems.isEmpty() ? "<p class=\"ok\">Verified: hash chain, files, and the published content against its rules.</p>" : "<p class=\"bad\">Verification failed:</p><ul>");
    for (String problem : problems) {
      page.append("<li class=\"bad\">").append(escape(problem)).append("</li>");
    }
    if (!problems.isEmpty()) {
      page.append("</ul>");
    }
    page.append("<h2>Entry</h2><table>");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      page.append("<tr><th>").append(escape(field.getKey())).append("</th><td>").append(escape(String.valueOf(field.getValue()))).append("</td></tr>");
    }
    page.append("</table>");
    if (manifest instanceof RecordsManifest records) {
      page.append("<h2>Protection of the records</h2><p>").append(escape(records.rules())).append("</p><table>");
      Generalisation g = records.generalisation();
      row(page, "records", g.records());
      row(page, "suppressed_records", g.suppressedRecords());
      row(page, "classes", g.classes());
      row(page, "loss", g.loss());
      row(page, "lattice_nodes", g.latticeNodes());
      row(page, "evaluated_nodes", g.evaluatedNodes());
      row(page, "records_published", records.recordsPublished());
      page.append("</table><h3>Generalisation levels</h3><table>");
      for (int t = 0; t < g.quasiIdentifiers().size(); t++) {
        row(page, g.quasiIdentifiers().get(t), g.levels().get(t) + "/" + g.heights().get(t));
      }
      page.append("</table>");
      for (RiskReport r : List.of(records.riskBefore(), records.riskAfter())) {
        page.append("<h3>").append(r == records.riskBefore() ? "Risk of the query's records" : "Risk of the published records").append("</h3><table>");
        row(page, "records", r.records());
        row(page, "classes", r.classes());
        row(page, "min_class_size", r.minClassSize());
        row(page, "sample_uniques", r.sampleUniques());
        row(page, "records_at_risk", r.recordsAtRisk());
        row(page, "max_risk", r.maxRisk());
        row(page, "mean_risk", r.meanRisk());
        page.append("</table>");
        page.append(barChart("Records by equivalence-class size", r.sizes().stream().map(RiskReport.SizeBand::label).toList(),
            r.sizes().stream().map(RiskReport.SizeBand::records).toList()));
      }
    } else if (manifest instanceof ModelManifest model) {
      page.append("<h2>Model rules</h2><p>").append(escape(model.policy().describe())).append("</p><table>");
      row(page, "family", model.family());
      row(page, "non-empty cells", model.cells());
      row(page, "parameters", model.parameters());
      row(page, "residual degrees of freedom", model.residualDf());
      row(page, "dispersion", model.dispersion());
      model.references().forEach((factor, level) -> row(page, "reference level of " + factor, level + " (" + model.levels().get(factor) + " levels)"));
      page.append("</table><p>Only the coefficients leave the lake (").append(model.coefficients().size())
          .append(" lines of <code>coefficients.csv</code>); the gate refitted them from the data before publishing.</p>");
    } else if (manifest instanceof TableManifest table) {
      page.append("<h2>Protection</h2><table>");
      row(page, "counts", table.policy().unit().name().toLowerCase(java.util.Locale.ROOT));
      row(page, "cells", table.cells());
      row(page, "cells_hidden", table.cellsHidden());
      row(page, "of which small or dominated (the entry's cells_primary, for the DPO only)", entry.entry().primary());
      row(page, "of which hidden to protect them (cells_secondary, for the DPO only)", entry.entry().secondary());
      row(page, "method", table.method().describe());
      if (!table.publicSource().isEmpty()) {
        row(page, "public source", table.publicSource());
        row(page, "small cells published as the source's own", table.publicCells().size());
      }
      page.append("</table>");
      ProtectionDetail detail = entry.entry().protectionDetail().orElse(Manifests.legacyDetail(manifestPath).orElse(ProtectionDetail.NONE));
      page.append("<p>For the DPO only (from the audit entry, never in the published folder):</p>");
      cells(page, "Suppressed because small or dominated (primary)", detail.primary());
      cells(page, "Suppressed to protect them (secondary)", detail.secondary());
      if (!detail.intervals().isEmpty()) {
        page.append("<h3>What an attacker can prove about each small cell (LP on the published table)</h3><table><tr><th>cell</th><th>low</th><th>high</th></tr>");
        detail.intervals().forEach((key, interval) -> page.append("<tr><td><code>").append(escape(String.join(" × ", key))).append("</code></td><td>")
            .append(interval.low()).append("</td><td>").append(Double.isInfinite(interval.high()) ? "∞" : String.valueOf(interval.high())).append("</td></tr>"));
        page.append("</table>");
      }
      page.append("<p>In the published file both kinds look the same: an empty count and <code>suppressed=true</code>.</p>");
      long minCount = table.policy().suppression().minCount();
      long[] bounds = {minCount, 2 * minCount, 5 * minCount, 10 * minCount, 100 * minCount};
      long[] counts = new long[bounds.length + 1];
      table.published().values().forEach(c -> {
        int b = 0;
        while (b < bounds.length && c >= bounds[b]) {
          b++;
        }
        counts[b]++;
      });
      List<String> labels = new ArrayList<>(List.of("< " + bounds[0] + " (zeros)"));
      for (int b = 0; b < bounds.length; b++) {
        labels.add(b + 1 < bounds.length ? bounds[b] + "–" + (bounds[b + 1] - 1) : bounds[b] + "+");
      }
      List<Long> values = new ArrayList<>();
      for (long c : counts) {
        values.add(c);
      }
      page.append(barChart("Published cells by count", labels, values));
    }
    page.append("</body></html>\n");
    return page.toString();
  }

  private static void row(StringBuilder page, String key, Object value) {
    page.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(String.valueOf(value))).append("</td></tr>");
  }

  private static void cells(StringBuilder page, String title, List<List<String>> cells) {
    page.append("<h3>").append(title).append(" (").append(cells.size()).append(")</h3><p>");
    for (List<String> cell : cells) {
      page.append("<code>").append(escape(String.join(" × ", cell))).append("</code> ");
    }
    page.append("</p>");
  }

  /** A horizontal bar chart as inline SVG (no script, no external file). */
  static String barChart(String title, List<String> labels, List<Long> values) {
    long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
    int rowHeight = 22;
    StringBuilder svg = new StringBuilder();
    svg.append("<figure><figcaption>").append(escape(title)).append("</figcaption>")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"").append(rowHeight * labels.size() + 4)
        .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">");
    for (int i = 0; i < labels.size(); i++) {
      int y = i * rowHeight + 2;
      long width = Math.round(400.0 * values.get(i) / max);
      svg.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"13\">").append(escape(labels.get(i))).append("</text>")
          .append("<rect x=\"120\" y=\"").append(y).append("\" width=\"").append(width).append("\" height=\"18\" fill=\"#3a6ea5\"/>")
          .append("<text x=\"").append(126 + width).append("\" y=\"").append(y + 15).append("\" font-size=\"13\">").append(String.format(java.util.Locale.ROOT, "%,d", values.get(i))).append("</text>");
    }
    return svg.append("</svg></figure>").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
