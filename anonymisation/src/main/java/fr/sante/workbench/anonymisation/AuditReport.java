package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
   * The page for audit entry {@code fields} (name to value), its manifest (may be missing) and the
   * problems {@code audit verify} found (empty when verified).
   */
  public static String html(Map<String, Object> fields, Path manifestPath, List<String> problems) throws IOException {
    JsonNode manifest = manifestPath != null && Files.exists(manifestPath) ? new ObjectMapper().readTree(manifestPath.toFile()) : null;
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Export ")
        .append(escape(String.valueOf(fields.get("entry_id"))))
        .append("</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .6em;text-align:left}")
        .append(".ok{color:#176b2c}.bad{color:#a11}th{background:#eee}</style></head><body>");
    page.append("<h1>Export ").append(escape(String.valueOf(fields.get("entry_id")))).append(": ").append(escape(String.valueOf(fields.get("kind")))).append("</h1>");
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
    if (manifest != null && "microdata".equals(manifest.path("kind").asText())) {
      page.append("<h2>Protection of the records</h2><p>").append(escape(manifest.path("rules").asText())).append("</p><table>");
      JsonNode g = manifest.path("generalisation");
      for (String key : List.of("records", "suppressed_records", "classes", "loss", "lattice_nodes", "evaluated_nodes")) {
        page.append("<tr><th>").append(key).append("</th><td>").append(escape(g.path(key).asText())).append("</td></tr>");
      }
      page.append("<tr><th>records_published</th><td>").append(manifest.path("records_published").asText()).append("</td></tr></table>");
      page.append("<h3>Generalisation levels</h3><table>");
      g.path("levels").fields().forEachRemaining(e -> page.append("<tr><th>").append(escape(e.getKey())).append("</th><td>").append(escape(e.getValue().asText())).append("</td></tr>"));
      page.append("</table>");
      for (String risk : List.of("risk_before", "risk_after")) {
        JsonNode r = manifest.path(risk);
        page.append("<h3>").append(risk.equals("risk_before") ? "Risk of the query's records" : "Risk of the published records").append("</h3><table>");
        for (String key : List.of("records", "classes", "min_class_size", "sample_uniques", "records_at_risk", "max_risk", "mean_risk")) {
          page.append("<tr><th>").append(key).append("</th><td>").append(escape(r.path(key).asText())).append("</td></tr>");
        }
        page.append("</table>");
        List<String> labels = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        r.path("class_sizes").forEach(b -> {
          labels.add(b.path("size").asText());
          values.add(b.path("records").asLong());
        });
        page.append(barChart("Records by equivalence-class size", labels, values));
      }
    } else if (manifest != null) {
      page.append("<h2>Protection</h2><table>");
      for (String key : List.of("counts", "cells", "cells_primary", "cells_secondary", "secondary_loss")) {
        page.append("<tr><th>").append(key).append("</th><td>").append(escape(manifest.path(key).asText())).append("</td></tr>");
      }
      page.append("</table>");
      cells(page, "Suppressed because small (primary)", manifest.path("primary"));
      cells(page, "Suppressed to protect them (secondary)", manifest.path("secondary"));
      page.append("<p>In the published file both kinds look the same: an empty count and <code>suppressed=true</code>.</p>");
      long minCount = manifest.path("policy").path("min-count").asLong(SuppressionPolicy.DEFAULT_MIN_COUNT);
      long[] bounds = {minCount, 2 * minCount, 5 * minCount, 10 * minCount, 100 * minCount};
      long[] counts = new long[bounds.length + 1];
      manifest.path("published").forEach(c -> {
        int b = 0;
        while (b < bounds.length && c.asLong() >= bounds[b]) {
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

  private static void cells(StringBuilder page, String title, JsonNode cells) {
    page.append("<h3>").append(title).append(" (").append(cells.size()).append(")</h3><p>");
    for (JsonNode cell : cells) {
      page.append("<code>").append(escape(cell.asText().replace("|", " × "))).append("</code> ");
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
