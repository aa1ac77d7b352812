package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Self-contained HTML pages for the DPO: one per audit entry (what was asked, under which rules and floor, how it was
 * protected and what risk is left, from which inputs, every hidden cell by reason, and the decision recorded on it),
 * and an index of every entry with filters. The pages show the DPO detail, so they stay with the DPO.
 */
public final class AuditReport {
  private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** Hidden cells shown at once; a longer group is folded (still complete). */
  private static final int OPEN_CELLS = 50;
  private static final String STYLE =
      "<style>body{font-family:sans-serif;max-width:64em;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:.4em 0 1.2em}"
          + "td,th{padding:.2em .6em;text-align:left;vertical-align:top;border-bottom:1px solid #ddd}th{background:#f0f0f0}"
          // SQL and JSON wrap in their block; inline code wraps like text (pre-wrap would hang its spaces past the column)
          + "pre{white-space:pre-wrap}pre,code{overflow-wrap:anywhere;word-break:break-word}pre{background:#f7f7f7;padding:.5em;margin:0;max-width:52em}"
          + "td{overflow-wrap:anywhere}.ok{color:#176b2c}.bad{color:#a11}.meta{color:#555}.sign td{height:1.6em;min-width:16em}"
          + "nav input,nav select{margin-right:1em}.num{text-align:right;white-space:nowrap}.nowrap{white-space:nowrap}"
          // the index: wider, its table scrolls in its box on a narrow screen; ids, kinds and checks never break inside a word
          + ".index{max-width:100em}.index p{max-width:60em}.wide{overflow-x:auto}#entries{font-size:90%}#entries td{overflow-wrap:normal}"
          + "#entries td:nth-child(5){min-width:14em}#entries td:nth-child(6){min-width:10em}</style>";

  private AuditReport() {}

  /** The page of {@code entry} alone: see {@link #html(AuditLog.StoredEntry, Path, List, List)}. */
  public static String html(AuditLog.StoredEntry entry, Path manifestPath, List<String> problems) throws IOException {
    return html(entry, manifestPath, problems, List.of(entry));
  }

  /**
   * The page for {@code entry}, the manifest of its folder (may be missing), the problems {@code audit verify}
   * found (empty when verified) and the whole chain (the floor in force and the decisions recorded on it). It shows
   * the DPO detail (which hidden cell is which), so it stays with the DPO: it is not part of the published folder.
   */
  public static String html(AuditLog.StoredEntry entry, Path manifestPath, List<String> problems, List<AuditLog.StoredEntry> chain) throws IOException {
    Manifest manifest = manifestPath != null && Files.exists(manifestPath) ? Manifests.read(manifestPath) : null;
    AuditLog.Entry e = entry.entry();
    StringBuilder page = new StringBuilder();
    String heading = (entry.isExport() ? "Export " : "Entry ") + entry.id() + ": " + (entry.isExport() ? firstLine(e.description()) : e.kind() + ", " + firstLine(e.description()));
    page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(heading)).append("</title>").append(STYLE)
        .append("</head><body>");
    page.append("<h1>").append(escape(heading)).append("</h1>");
    page.append("<p class=\"meta\">").append(escape(readable(e.time()))).append(", exported by the account <code>").append(escape(e.user()))
        .append("</code> (the operating system's login of whoever ran it); kind ").append(escape(e.kind())).append(".</p>");
    page.append(problems.isEmpty() ? "<p class=\"ok\">Verified: hash chain, signatures, files, and the published content against its rules.</p>" : "<p class=\"bad\">Verification failed:</p><ul>");
    for (String problem : problems) {
      page.append("<li class=\"bad\">").append(escape(problem)).append("</li>");
    }
    if (!problems.isEmpty()) {
      page.append("</ul>");
    }
    if (entry.isExport()) {
      decision(page, entry, chain);
    }
    page.append("<h2>What was asked</h2><table>");
    page.append("<tr><th>query or study</th><td><pre>").append(escape(e.description())).append("</pre></td></tr>");
    page.append("<tr><th>published to</th><td><code>").append(escape(e.outDir())).append("</code></td></tr>");
    if (manifest != null) {
      Provenance p = manifest.provenance();
      StringBuilder inputs = new StringBuilder();
      p.inputs().forEach((table, version) -> inputs.append(inputs.isEmpty() ? "" : ", ").append(table).append(" (Delta version ").append(version).append(')'));
      row(page, "inputs and versions", inputs.isEmpty() ? "none recorded" : inputs.toString());
      row(page, "workbench version", p.workbenchVersion());
    }
    page.append("</table>");
    if (!e.policy().isBlank() && !e.policy().equals("{}")) {
      page.append("<h2>Policy</h2><pre>").append(escape(pretty(e.policy()))).append("</pre>");
    }
    if (entry.isExport()) {
      page.append("<h2>The lake's floor at the time</h2>");
      Optional<AuditLog.StoredEntry> floor = chain.stream().filter(c -> c.id() < entry.id() && AuditLog.POLICY.equals(c.entry().kind())).reduce((a, b) -> b);
      page.append("<p>").append(floor.map(f -> "Set by the DPO in entry " + f.id() + " (" + readable(f.entry().time()) + "):")
          .orElse("No floor set by the DPO: the workbench's default applies:")).append("</p><pre>")
          .append(escape(pretty(floor.map(f -> f.entry().policy()).orElse(DpoPolicy.DEFAULT.toJson())))).append("</pre>");
    }
    page.append("<h2>Entry</h2><table>");
    Map<String, Object> fields = entry.fields();
    fields.remove("detail");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String value = String.valueOf(field.getValue());
      boolean block = value.length() > 80 || value.contains("\n");
      page.append("<tr><th class=\"nowrap\">").append(escape(field.getKey())).append("</th><td>").append(block ? "<pre>" : "<code>").append(escape(field.getKey().equals("time") ? readable(value) + " (" + value + ")" : value))
          .append(block ? "</pre>" : "</code>").append("</td></tr>");
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
      ExportPolicy policy = table.policy();
      page.append("<h2>Table definition</h2><table>");
      row(page, "dimensions", String.join(" × ", policy.dimensions()));
      row(page, "count column", policy.countColumn() + " (counts " + policy.unit().name().toLowerCase(Locale.ROOT) + ")");
      if (!policy.amountColumns().isEmpty()) {
        row(page, "amount columns", String.join(", ", policy.amountColumns()));
      }
      row(page, "cells (margins included)", table.cells());
      row(page, "cells hidden in the published file", table.cellsHidden());
      page.append("</table><h2>Protection method and residual risk</h2><table>");
      row(page, "small cells", "count below " + policy.suppression().minCount() + " (zeros: " + policy.suppression().zeros().name().toLowerCase(Locale.ROOT) + ")");
      row(page, "method", table.method().describe());
      if (!table.publicSource().isEmpty()) {
        row(page, "public source", table.publicSource());
        row(page, "small cells published as the source's own", table.publicCells().size());
      }
      ProtectionDetail detail = entry.entry().protectionDetail().orElse(Manifests.legacyDetail(manifestPath).orElse(ProtectionDetail.NONE));
      row(page, "residual risk", residualRisk(table, detail));
      page.append("</table>");
      Labels labels = Labels.of(policy.dimensions(), table.provenance().inputs().keySet());
      page.append("<h2>Hidden cells by reason</h2><p>For the DPO only (from the audit entry, never in the published folder). Codes are shown with their label from the code lists"
          + " of the input tables' schemas.</p>");
      cells(page, "Masked at the source", "the source itself published no value (e.g. CNAM's &lt;10), with the margins summing them", table.masked(), policy.dimensions(), labels);
      cells(page, "Small", "count below " + policy.suppression().minCount(), detail.primarySmall(), policy.dimensions(), labels);
      cells(page, "Dominance", "an amount a few contributors dominate", detail.primaryDominance(), policy.dimensions(), labels);
      cells(page, "Secondary", "hidden so that the others cannot be computed back", detail.secondary(), policy.dimensions(), labels);
      if (!detail.intervals().isEmpty()) {
        page.append("<h3>What an attacker can prove about each small cell (LP on the published table)</h3><table><tr>");
        policy.dimensions().forEach(d -> page.append("<th>").append(escape(d)).append("</th>"));
        page.append("<th class=\"num\">low</th><th class=\"num\">high</th></tr>");
        detail.intervals().forEach((key, interval) -> {
          page.append("<tr>");
          cellKey(page, key, policy.dimensions(), labels);
          page.append("<td class=\"num\">").append(interval.low()).append("</td><td class=\"num\">")
              .append(Double.isInfinite(interval.high()) ? "∞" : String.valueOf(interval.high())).append("</td></tr>");
        });
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
      List<String> bands = new ArrayList<>(List.of("< " + bounds[0] + " (zeros)"));
      for (int b = 0; b < bounds.length; b++) {
        bands.add(b + 1 < bounds.length ? bounds[b] + "–" + (bounds[b + 1] - 1) : bounds[b] + "+");
      }
      List<Long> values = new ArrayList<>();
      for (long c : counts) {
        values.add(c);
      }
      page.append(barChart("Published cells by count", bands, values));
    }
    page.append("</body></html>\n");
    return page.toString();
  }

  private static void row(StringBuilder page, String key, Object value) {
    page.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(String.valueOf(value))).append("</td></tr>");
  }

  /** One reason's hidden cells as a table, one column per dimension, each code with its label; a long list folded. */
  private static void cells(StringBuilder page, String title, String why, List<List<String>> cells, List<String> dimensions, Labels labels) {
    page.append("<h3 id=\"").append(title.toLowerCase(Locale.ROOT).replace(' ', '-')).append("\">").append(escape(title)).append(": ")
        .append(String.format(Locale.ROOT, "%,d", cells.size())).append(cells.size() == 1 ? " cell" : " cells").append("</h3><p class=\"meta\">").append(why).append("</p>");
    if (cells.isEmpty()) {
      return;
    }
    boolean fold = cells.size() > OPEN_CELLS;
    if (fold) {
      page.append("<details><summary>Show the ").append(String.format(Locale.ROOT, "%,d", cells.size())).append(" cells</summary>");
    }
    page.append("<table><tr>");
    dimensions.forEach(d -> page.append("<th>").append(escape(d)).append("</th>"));
    page.append("</tr>");
    for (List<String> cell : cells) {
      page.append("<tr>");
      cellKey(page, cell, dimensions, labels);
      page.append("</tr>");
    }
    page.append("</table>");
    if (fold) {
      page.append("</details>");
    }
  }

  private static void cellKey(StringBuilder page, List<String> key, List<String> dimensions, Labels labels) {
    for (int d = 0; d < key.size(); d++) {
      String code = key.get(d);
      Optional<String> label = d < dimensions.size() ? labels.label(dimensions.get(d), code) : Optional.empty();
      page.append("<td><code>").append(escape(code)).append("</code>").append(label.map(l -> " " + escape(l)).orElse("")).append("</td>");
    }
  }

  /** What is left of the disclosure risk once the table is published, in the method's own terms. */
  private static String residualRisk(TableManifest table, ProtectionDetail detail) {
    int small = detail.primary().size() + table.masked().size();
    if (small == 0) {
      return "No cell is small, dominated or masked: every cell is published.";
    }
    if (table.method() == ProtectionMethod.LP) {
      double narrowest = detail.intervals().values().stream().mapToDouble(i -> i.high() - i.low()).min().orElse(Double.NaN);
      return "Solving the published table's equations (linear programming over every relation of the table, margins included) proves for each small cell "
          + "no more than the interval listed below" + (Double.isNaN(narrowest) ? "" : "; the narrowest is " + narrowest + " wide")
          + ". 'audit verify' solves them again on the published file.";
    }
    return "Each small cell is hidden in a certified hypercube of hidden cells (its partner corner is in the audit entry), so no relation of the published "
        + "table isolates it; 'audit verify' checks every cube again on the published file.";
  }

  /** The decision recorded on an export (the newest stands), or the fields to fill and the command that records them. */
  private static void decision(StringBuilder page, AuditLog.StoredEntry entry, List<AuditLog.StoredEntry> chain) {
    List<AuditLog.StoredEntry> recorded =
        chain.stream().filter(c -> Approval.KIND.equals(c.entry().kind()) && Approval.fromJson(c.entry().policy()).entry() == entry.id()).toList();
    page.append("<h2>Decision</h2>");
    if (recorded.isEmpty()) {
      page.append("<p class=\"bad\">No decision recorded. The DPO records it, signed in the audit chain, with <code>workbench audit approve ").append(entry.id())
          .append(" --by NAME --requester NAME --purpose TEXT --recipient NAME --decision approved|rejected --lake LAKE</code>.</p><table class=\"sign\">");
      for (String field : List.of("requester", "purpose", "recipient", "approver", "decision", "date")) {
        page.append("<tr><th>").append(field).append("</th><td></td></tr>");
      }
      page.append("</table>");
      return;
    }
    AuditLog.StoredEntry standing = recorded.get(recorded.size() - 1);
    Approval a = Approval.fromJson(standing.entry().policy());
    page.append("<table class=\"decision\">");
    row(page, "requester", a.requester());
    row(page, "purpose", a.purpose());
    row(page, "recipient", a.recipient());
    row(page, "approver", a.approver());
    row(page, "decision", a.decision().label());
    row(page, "date", a.date());
    row(page, "recorded", "audit entry " + standing.id() + ", " + readable(standing.entry().time()) + (standing.signature() == null ? ", unsigned" : ", signed"));
    page.append("</table>");
    if (recorded.size() > 1) {
      page.append("<p class=\"meta\">Earlier decisions on this export: entries ")
          .append(String.join(", ", recorded.subList(0, recorded.size() - 1).stream().map(r -> r.id() + " (" + Approval.fromJson(r.entry().policy()).decision().label() + ")").toList()))
          .append(".</p>");
    }
  }

  /**
   * The index of every entry: time, kind, description, output, cells, decision and check, with filters by kind and
   * by text (a few lines of script; without it every line shows).
   *
   * @param problems each entry's problem count
   * @param pages each entry's page file name
   */
  public static String index(List<AuditLog.StoredEntry> entries, Map<Long, Integer> problems, Map<Long, String> pages) {
    StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit log</title>").append(STYLE).append("</head><body class=\"index\">");
    page.append("<h1>Audit log</h1><p class=\"meta\">").append(entries.size()).append(entries.size() == 1 ? " entry" : " entries")
        .append(", oldest first. Each id opens the entry's page.</p>");
    page.append("<nav><label>Kind <select id=\"kind\"><option value=\"\">all</option>");
    entries.stream().map(r -> r.entry().kind()).distinct().sorted().forEach(k -> page.append("<option>").append(escape(k)).append("</option>"));
    page.append("</select></label><label>Text <input id=\"text\" type=\"search\" placeholder=\"description, output, user\"></label>")
        .append("<label><input id=\"undecided\" type=\"checkbox\"> exports without a decision</label></nav>");
    page.append("<div class=\"wide\"><table id=\"entries\"><tr><th>id</th><th>time</th><th>kind</th><th>user</th><th>description</th><th>output</th>"
        + "<th class=\"num\">published</th><th class=\"num\">primary</th><th class=\"num\">secondary</th><th>decision</th><th>check</th></tr>");
    for (AuditLog.StoredEntry r : entries) {
      AuditLog.Entry e = r.entry();
      String decided = r.isExport() ? Approval.latest(entries, r.id()).map(a -> a.decision().label() + " by " + a.approver()).orElse("none") : "";
      int found = problems.getOrDefault(r.id(), 0);
      page.append("<tr data-kind=\"").append(escape(e.kind())).append("\" data-decided=\"").append(r.isExport() && decided.equals("none") ? "no" : "yes").append("\">")
          .append("<td><a href=\"").append(escape(pages.getOrDefault(r.id(), ""))).append("\">").append(r.id()).append("</a></td>")
          .append("<td class=\"nowrap\">").append(escape(readable(e.time()))).append("</td><td>").append(escape(e.kind())).append("</td><td>").append(escape(e.user()))
          .append("</td><td>").append(escape(abbreviate(e.description(), 160))).append("</td><td><code>").append(escape(r.isExport() ? e.outDir() : e.reason()))
          .append("</code></td><td class=\"num\">").append(e.published()).append("</td><td class=\"num\">").append(e.primary()).append("</td><td class=\"num\">")
          .append(e.secondary()).append("</td><td>").append(escape(decided)).append("</td><td class=\"").append(found == 0 ? "ok" : "bad").append("\">")
          .append(found == 0 ? "verified" : found + (found == 1 ? " problem" : " problems")).append("</td></tr>");
    }
    page.append("</table></div><script>(function(){var k=document.getElementById('kind'),t=document.getElementById('text'),u=document.getElementById('undecided');"
        + "function f(){var rows=document.querySelectorAll('#entries tr[data-kind]');for(var i=0;i<rows.length;i++){var r=rows[i];"
        + "var show=(!k.value||r.dataset.kind===k.value)&&(!t.value||r.textContent.toLowerCase().indexOf(t.value.toLowerCase())>=0)&&(!u.checked||r.dataset.decided==='no');"
        + "r.style.display=show?'':'none';}}k.onchange=f;t.oninput=f;u.onchange=f;})();</script></body></html>\n");
    return page.toString();
  }

  /** An ISO-8601 instant to the second, in UTC ({@code 2026-12-03 15:31:14 UTC}); any other text as it is. */
  static String readable(String time) {
    try {
      return READABLE.format(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return time;
    }
  }

  private static String firstLine(String text) {
    return abbreviate(text.strip().split("\n", 2)[0], 100);
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** JSON indented for reading; other text unchanged. */
  private static String pretty(String json) {
    try {
      ObjectMapper mapper = new ObjectMapper();
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
    } catch (IOException | RuntimeException e) {
      return json;
    }
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
