package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  /** The pages' texts, {@code audit-report_<lang>.properties} beside this class. */
  static final String BUNDLE = "audit-report";
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

  /**
   * How the pages read: their language, and a label for each dimension name the code lists do not know (a study's
   * derived dimension, e.g. {@code rate_class}), in that language.
   */
  public record Page(ReportLanguage language, Map<String, String> dimensionLabels) {
    public Page {
      java.util.Objects.requireNonNull(language, "language is null");
      dimensionLabels = Map.copyOf(dimensionLabels);
    }

    /** English, no dimension label. */
    public static Page english() {
      return new Page(ReportLanguage.EN, Map.of());
    }
  }

  /** The page of {@code entry} alone, in English: see {@link #html(AuditLog.StoredEntry, Path, List, List, Page)}. */
  public static String html(AuditLog.StoredEntry entry, Path manifestPath, List<String> problems) throws IOException {
    return html(entry, manifestPath, problems, List.of(entry), Page.english());
  }

  /** The page of {@code entry} in English: see {@link #html(AuditLog.StoredEntry, Path, List, List, Page)}. */
  public static String html(AuditLog.StoredEntry entry, Path manifestPath, List<String> problems, List<AuditLog.StoredEntry> chain) throws IOException {
    return html(entry, manifestPath, problems, chain, Page.english());
  }

  /**
   * The page for {@code entry}, the manifest of its folder (may be missing), the problems {@code audit verify}
   * found (empty when verified) and the whole chain (the floor in force and the decisions recorded on it). It shows
   * the DPO detail (which hidden cell is which), so it stays with the DPO: it is not part of the published folder.
   */
  public static String html(AuditLog.StoredEntry entry, Path manifestPath, List<String> problems, List<AuditLog.StoredEntry> chain, Page options)
      throws IOException {
    ReportText t = ReportText.load(AuditReport.class, BUNDLE, options.language());
    Manifest manifest = manifestPath != null && Files.exists(manifestPath) ? Manifests.read(manifestPath) : null;
    AuditLog.Entry e = entry.entry();
    StringBuilder page = new StringBuilder();
    String heading = entry.isExport() ? t.msg("entry.heading.export", String.valueOf(entry.id()), firstLine(e.description())) : t.msg("entry.heading.other", String.valueOf(entry.id()), e.kind(), firstLine(e.description()));
    page.append("<!DOCTYPE html><html lang=\"").append(t.language().code()).append("\"><head><meta charset=\"utf-8\"><title>").append(escape(heading)).append("</title>").append(STYLE)
        .append("</head><body>");
    page.append("<h1>").append(escape(heading)).append("</h1>");
    page.append("<p class=\"meta\">").append(t.msg("entry.meta", escape(t.time(e.time())), "<code>" + escape(e.user()) + "</code>", escape(e.kind()))).append("</p>");
    page.append(problems.isEmpty() ? "<p class=\"ok\">" + t.msg("entry.verified") + "</p>" : "<p class=\"bad\">" + t.msg("entry.failed") + "</p><ul>");
    for (String problem : problems) {
      page.append("<li class=\"bad\">").append(escape(problem)).append("</li>");
    }
    if (!problems.isEmpty()) {
      page.append("</ul>");
    }
    if (entry.isExport()) {
      decision(page, entry, chain, t);
    }
    page.append("<h2>").append(t.msg("asked.heading")).append("</h2><table>");
    page.append("<tr><th>").append(t.msg("asked.query")).append("</th><td><pre>").append(escape(e.description())).append("</pre></td></tr>");
    page.append("<tr><th>").append(t.msg("asked.out")).append("</th><td><code>").append(escape(e.outDir())).append("</code></td></tr>");
    if (manifest != null) {
      Provenance p = manifest.provenance();
      StringBuilder inputs = new StringBuilder();
      p.inputs().forEach((table, version) -> inputs.append(inputs.isEmpty() ? "" : ", ").append(t.msg("asked.input", table, String.valueOf(version))));
      row(page, t, t.msg("asked.inputs"), inputs.isEmpty() ? t.msg("asked.inputs.none") : inputs.toString());
      row(page, t, t.msg("asked.version"), p.workbenchVersion());
    }
    page.append("</table>");
    if (!e.policy().isBlank() && !e.policy().equals("{}")) {
      page.append("<h2>").append(t.msg("policy.heading")).append("</h2><pre>").append(escape(pretty(e.policy()))).append("</pre>");
    }
    if (entry.isExport()) {
      page.append("<h2>").append(t.msg("floor.heading")).append("</h2>");
      Optional<AuditLog.StoredEntry> floor = chain.stream().filter(c -> c.id() < entry.id() && AuditLog.POLICY.equals(c.entry().kind())).reduce((a, b) -> b);
      page.append("<p>").append(floor.map(f -> t.msg("floor.set", String.valueOf(f.id()), escape(t.time(f.entry().time()))))
          .orElse(t.msg("floor.default"))).append("</p><pre>")
          .append(escape(pretty(floor.map(f -> f.entry().policy()).orElse(DpoPolicy.DEFAULT.toJson())))).append("</pre>");
    }
    page.append("<h2>").append(t.msg("fields.heading")).append("</h2><table>");
    Map<String, Object> fields = entry.fields();
    fields.remove("detail");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String value = String.valueOf(field.getValue());
      boolean block = value.length() > 80 || value.contains("\n");
      page.append("<tr><th class=\"nowrap\">").append(escape(field.getKey())).append("</th><td>").append(block ? "<pre>" : "<code>").append(escape(field.getKey().equals("time") ? t.time(value) + " (" + value + ")" : value))
          .append(block ? "</pre>" : "</code>").append("</td></tr>");
    }
    page.append("</table>");
    if (manifest instanceof RecordsManifest records) {
      page.append("<h2>").append(t.msg("records.heading")).append("</h2><p>").append(escape(records.rules())).append("</p><table>");
      Generalisation g = records.generalisation();
      row(page, t, t.msg("records.records"), g.records());
      row(page, t, t.msg("records.suppressed_records"), g.suppressedRecords());
      row(page, t, t.msg("records.classes"), g.classes());
      row(page, t, t.msg("records.loss"), g.loss());
      row(page, t, t.msg("records.lattice_nodes"), g.latticeNodes());
      row(page, t, t.msg("records.evaluated_nodes"), g.evaluatedNodes());
      row(page, t, t.msg("records.records_published"), records.recordsPublished());
      page.append("</table><h3>").append(t.msg("records.levels")).append("</h3><table>");
      for (int q = 0; q < g.quasiIdentifiers().size(); q++) {
        row(page, t, g.quasiIdentifiers().get(q), g.levels().get(q) + "/" + g.heights().get(q));
      }
      page.append("</table>");
      for (RiskReport r : List.of(records.riskBefore(), records.riskAfter())) {
        page.append("<h3>").append(r == records.riskBefore() ? t.msg("records.risk.before") : t.msg("records.risk.after")).append("</h3><table>");
        row(page, t, t.msg("records.records"), r.records());
        row(page, t, t.msg("records.classes"), r.classes());
        row(page, t, t.msg("records.min_class_size"), r.minClassSize());
        row(page, t, t.msg("records.sample_uniques"), r.sampleUniques());
        row(page, t, t.msg("records.records_at_risk"), r.recordsAtRisk());
        row(page, t, t.msg("records.max_risk"), r.maxRisk());
        row(page, t, t.msg("records.mean_risk"), r.meanRisk());
        page.append("</table>");
        page.append(barChart(t, t.msg("records.chart"), r.sizes().stream().map(RiskReport.SizeBand::label).toList(),
            r.sizes().stream().map(RiskReport.SizeBand::records).toList()));
      }
    } else if (manifest instanceof ModelManifest model) {
      page.append("<h2>").append(t.msg("model.heading")).append("</h2><p>").append(escape(model.policy().describe())).append("</p><table>");
      row(page, t, t.msg("model.family"), model.family());
      row(page, t, t.msg("model.cells"), t.integer(model.cells()));
      row(page, t, t.msg("model.parameters"), t.integer(model.parameters()));
      row(page, t, t.msg("model.df"), t.integer(model.residualDf()));
      row(page, t, t.msg("model.dispersion"), t.number(String.valueOf(model.dispersion())));
      model.references().forEach((factor, level) -> row(page, t, t.msg("model.reference", dimension(options, factor)), t.msg("model.reference.value", level, model.levels().get(factor))));
      page.append("</table><p>").append(t.msg("model.coefficients", model.coefficients().size(), "<code>coefficients.csv</code>")).append("</p>");
    } else if (manifest instanceof TableManifest table) {
      ExportPolicy policy = table.policy();
      page.append("<h2>").append(t.msg("table.heading")).append("</h2><table>");
      row(page, t, t.msg("table.dimensions"), String.join(" × ", policy.dimensions().stream().map(d -> dimension(options, d)).toList()));
      row(page, t, t.msg("table.count"), t.msg("table.count.value", policy.countColumn(), t.msg("unit." + policy.unit().name())));
      if (!policy.amountColumns().isEmpty()) {
        row(page, t, t.msg("table.amounts"), String.join(", ", policy.amountColumns()));
      }
      row(page, t, t.msg("table.cells"), t.integer(table.cells()));
      row(page, t, t.msg("table.hidden"), t.integer(table.cellsHidden()));
      page.append("</table><h2>").append(t.msg("protection.heading")).append("</h2><table>");
      row(page, t, t.msg("protection.small"), t.msg("protection.small.value", policy.suppression().minCount(), t.msg("zeros." + policy.suppression().zeros().name())));
      row(page, t, t.msg("protection.method"), t.msg("method." + table.method().name()));
      if (!table.publicSource().isEmpty()) {
        row(page, t, t.msg("protection.public"), table.publicSource());
        row(page, t, t.msg("protection.public.cells"), t.integer(table.publicCells().size()));
      }
      ProtectionDetail detail = entry.entry().protectionDetail().orElse(Manifests.legacyDetail(manifestPath).orElse(ProtectionDetail.NONE));
      row(page, t, t.msg("protection.risk"), residualRisk(table, detail, t));
      page.append("</table>");
      Labels labels = Labels.of(policy.dimensions(), table.provenance().inputs().keySet());
      page.append("<h2>").append(t.msg("hidden.heading")).append("</h2><p>").append(t.msg("hidden.intro")).append("</p>");
      List<String> dims = policy.dimensions();
      cells(page, new Reason("masked-at-the-source", t.msg("hidden.masked"), t.msg("hidden.masked.why")), table.masked(), dims, labels, options, t);
      cells(page, new Reason("small", t.msg("hidden.small"), t.msg("hidden.small.why", policy.suppression().minCount())), detail.primarySmall(), dims, labels, options, t);
      cells(page, new Reason("dominance", t.msg("hidden.dominance"), t.msg("hidden.dominance.why")), detail.primaryDominance(), dims, labels, options, t);
      cells(page, new Reason("secondary", t.msg("hidden.secondary"), t.msg("hidden.secondary.why")), detail.secondary(), dims, labels, options, t);
      if (!detail.intervals().isEmpty()) {
        page.append("<h3>").append(t.msg("intervals.heading")).append("</h3><table><tr>");
        policy.dimensions().forEach(d -> dimensionHeader(page, options, d));
        page.append("<th class=\"num\">").append(t.msg("intervals.low")).append("</th><th class=\"num\">").append(t.msg("intervals.high")).append("</th></tr>");
        detail.intervals().forEach((key, interval) -> {
          page.append("<tr>");
          cellKey(page, key, policy.dimensions(), labels);
          page.append("<td class=\"num\">").append(t.number(String.valueOf(interval.low()))).append("</td><td class=\"num\">")
              .append(Double.isInfinite(interval.high()) ? "∞" : t.number(String.valueOf(interval.high()))).append("</td></tr>");
        });
        page.append("</table>");
      }
      page.append("<p>").append(t.msg("hidden.alike", "<code>suppressed=true</code>")).append("</p>");
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
      List<String> bands = new ArrayList<>(List.of(t.msg("published.band.small", bounds[0])));
      for (int b = 0; b < bounds.length; b++) {
        bands.add(b + 1 < bounds.length ? t.integer(bounds[b]) + "–" + t.integer(bounds[b + 1] - 1) : t.integer(bounds[b]) + "+");
      }
      List<Long> values = new ArrayList<>();
      for (long c : counts) {
        values.add(c);
      }
      page.append(barChart(t, t.msg("published.chart"), bands, values));
    }
    page.append("</body></html>\n");
    return page.toString();
  }

  /** A row of a two-column table; a number in the page's typography. */
  private static void row(StringBuilder page, ReportText t, String key, Object value) {
    String text = value instanceof Long || value instanceof Integer ? t.integer(((Number) value).longValue())
        : value instanceof Double d ? t.number(String.valueOf(d)) : String.valueOf(value);
    page.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(text)).append("</td></tr>");
  }

  /** A reason for hiding cells: its anchor (the same in every language), title and explanation. */
  private record Reason(String anchor, String title, String why) {}

  /** One reason's hidden cells as a table, one column per dimension, each code with its label; a long list folded. */
  private static void cells(StringBuilder page, Reason reason, List<List<String>> cells, List<String> dimensions, Labels labels, Page options, ReportText t) {
    page.append("<h3 id=\"").append(reason.anchor()).append("\">").append(escape(reason.title())).append(": ")
        .append(t.msg(cells.size() == 1 ? "hidden.cell" : "hidden.cells", cells.size())).append("</h3><p class=\"meta\">").append(escape(reason.why())).append("</p>");
    if (cells.isEmpty()) {
      return;
    }
    boolean fold = cells.size() > OPEN_CELLS;
    if (fold) {
      page.append("<details><summary>").append(t.msg("hidden.show", cells.size())).append("</summary>");
    }
    page.append("<table><tr>");
    dimensions.forEach(d -> dimensionHeader(page, options, d));
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

  /** A dimension's label, or its name when the page has none for it. */
  private static String dimension(Page options, String name) {
    return options.dimensionLabels().getOrDefault(name, name);
  }

  /** A column header for a dimension: its label, with the name as published in a tooltip. */
  private static void dimensionHeader(StringBuilder page, Page options, String name) {
    page.append("<th title=\"").append(escape(name)).append("\">").append(escape(dimension(options, name))).append("</th>");
  }

  private static void cellKey(StringBuilder page, List<String> key, List<String> dimensions, Labels labels) {
    for (int d = 0; d < key.size(); d++) {
      String code = key.get(d);
      Optional<String> label = d < dimensions.size() ? labels.label(dimensions.get(d), code) : Optional.empty();
      page.append("<td><code>").append(escape(code)).append("</code>").append(label.map(l -> " " + escape(l)).orElse("")).append("</td>");
    }
  }

  /** What is left of the disclosure risk once the table is published, in the method's own terms. */
  private static String residualRisk(TableManifest table, ProtectionDetail detail, ReportText t) {
    int small = detail.primary().size() + table.masked().size();
    if (small == 0) {
      return t.msg("risk.none");
    }
    if (table.method() == ProtectionMethod.LP) {
      double narrowest = detail.intervals().values().stream().mapToDouble(i -> i.high() - i.low()).min().orElse(Double.NaN);
      return Double.isNaN(narrowest) ? t.msg("risk.lp") : t.msg("risk.lp.narrowest", t.number(String.valueOf(narrowest)));
    }
    return t.msg("risk.hypercube");
  }

  /** The decision recorded on an export (the newest stands), or the fields to fill and the command that records them. */
  private static void decision(StringBuilder page, AuditLog.StoredEntry entry, List<AuditLog.StoredEntry> chain, ReportText t) {
    List<AuditLog.StoredEntry> recorded =
        chain.stream().filter(c -> Approval.KIND.equals(c.entry().kind()) && Approval.fromJson(c.entry().policy()).entry() == entry.id()).toList();
    page.append("<h2>").append(t.msg("decision.heading")).append("</h2>");
    if (recorded.isEmpty()) {
      page.append("<p class=\"bad\">").append(t.msg("decision.none", "<code>workbench audit approve " + entry.id()
          + " --by NAME --requester NAME --purpose TEXT --recipient NAME --decision approved|rejected --lake LAKE</code>")).append("</p><table class=\"sign\">");
      for (String field : List.of("requester", "purpose", "recipient", "approver", "decision", "date")) {
        page.append("<tr><th>").append(t.msg("decision." + field)).append("</th><td></td></tr>");
      }
      page.append("</table>");
      return;
    }
    AuditLog.StoredEntry standing = recorded.get(recorded.size() - 1);
    Approval a = Approval.fromJson(standing.entry().policy());
    page.append("<table class=\"decision\">");
    row(page, t, t.msg("decision.requester"), a.requester());
    row(page, t, t.msg("decision.purpose"), a.purpose());
    row(page, t, t.msg("decision.recipient"), a.recipient());
    row(page, t, t.msg("decision.approver"), a.approver());
    row(page, t, t.msg("decision.decision"), t.msg("decision." + a.decision().label()));
    row(page, t, t.msg("decision.date"), a.date());
    row(page, t, t.msg("decision.recorded"), t.msg(standing.signature() == null ? "decision.recorded.unsigned" : "decision.recorded.signed", String.valueOf(standing.id()), t.time(standing.entry().time())));
    page.append("</table>");
    if (recorded.size() > 1) {
      page.append("<p class=\"meta\">").append(t.msg("decision.earlier",
          String.join(", ", recorded.subList(0, recorded.size() - 1).stream().map(r -> r.id() + " (" + t.msg("decision." + Approval.fromJson(r.entry().policy()).decision().label()) + ")").toList())))
          .append("</p>");
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
    return index(entries, problems, pages, Page.english());
  }

  /** The index of every entry in the page's language: see {@link #index(List, Map, Map)}. */
  public static String index(List<AuditLog.StoredEntry> entries, Map<Long, Integer> problems, Map<Long, String> pages, Page options) {
    ReportText t = ReportText.load(AuditReport.class, BUNDLE, options.language());
    StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"").append(t.language().code()).append("\"><head><meta charset=\"utf-8\"><title>")
        .append(t.msg("index.title")).append("</title>").append(STYLE).append("</head><body class=\"index\">");
    page.append("<h1>").append(t.msg("index.title")).append("</h1><p class=\"meta\">").append(t.msg(entries.size() == 1 ? "index.count.one" : "index.count", entries.size()))
        .append("</p>");
    page.append("<nav><label>").append(t.msg("index.kind")).append(" <select id=\"kind\"><option value=\"\">").append(t.msg("index.kind.all")).append("</option>");
    entries.stream().map(r -> r.entry().kind()).distinct().sorted().forEach(k -> page.append("<option>").append(escape(k)).append("</option>"));
    page.append("</select></label><label>").append(t.msg("index.text")).append(" <input id=\"text\" type=\"search\" placeholder=\"").append(t.msg("index.text.placeholder"))
        .append("\"></label><label><input id=\"undecided\" type=\"checkbox\"> ").append(t.msg("index.undecided")).append("</label></nav>");
    page.append("<div class=\"wide\"><table id=\"entries\"><tr>");
    for (String column : List.of("id", "time", "kind", "user", "description", "output")) {
      page.append("<th>").append(t.msg("index.column." + column)).append("</th>");
    }
    for (String column : List.of("published", "primary", "secondary")) {
      page.append("<th class=\"num\">").append(t.msg("index.column." + column)).append("</th>");
    }
    page.append("<th>").append(t.msg("index.column.decision")).append("</th><th>").append(t.msg("index.column.check")).append("</th></tr>");
    for (AuditLog.StoredEntry r : entries) {
      AuditLog.Entry e = r.entry();
      Optional<Approval> approval = r.isExport() ? Approval.latest(entries, r.id()) : Optional.empty();
      String decided = approval.map(a -> t.msg("index.decided", t.msg("decision." + a.decision().label()), a.approver())).orElse(r.isExport() ? t.msg("index.decided.none") : "");
      int found = problems.getOrDefault(r.id(), 0);
      page.append("<tr data-kind=\"").append(escape(e.kind())).append("\" data-decided=\"").append(r.isExport() && approval.isEmpty() ? "no" : "yes").append("\">")
          .append("<td><a href=\"").append(escape(pages.getOrDefault(r.id(), ""))).append("\">").append(r.id()).append("</a></td>")
          .append("<td class=\"nowrap\">").append(escape(t.time(e.time()))).append("</td><td>").append(escape(e.kind())).append("</td><td>").append(escape(e.user()))
          .append("</td><td>").append(escape(abbreviate(e.description(), 160))).append("</td><td><code>").append(escape(r.isExport() ? e.outDir() : e.reason()))
          .append("</code></td><td class=\"num\">").append(t.integer(e.published())).append("</td><td class=\"num\">").append(t.integer(e.primary())).append("</td><td class=\"num\">")
          .append(t.integer(e.secondary())).append("</td><td>").append(escape(decided)).append("</td><td class=\"").append(found == 0 ? "ok" : "bad").append("\">")
          .append(found == 0 ? t.msg("index.verified") : t.msg(found == 1 ? "index.problem" : "index.problems", found)).append("</td></tr>");
    }
    page.append("</table></div><script>(function(){var k=document.getElementById('kind'),t=document.getElementById('text'),u=document.getElementById('undecided');"
        + "function f(){var rows=document.querySelectorAll('#entries tr[data-kind]');for(var i=0;i<rows.length;i++){var r=rows[i];"
        + "var show=(!k.value||r.dataset.kind===k.value)&&(!t.value||r.textContent.toLowerCase().indexOf(t.value.toLowerCase())>=0)&&(!u.checked||r.dataset.decided==='no');"
        + "r.style.display=show?'':'none';}}k.onchange=f;t.oninput=f;u.onchange=f;})();</script></body></html>\n");
    return page.toString();
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
  static String barChart(ReportText t, String title, List<String> labels, List<Long> values) {
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
          .append("<text x=\"").append(126 + width).append("\" y=\"").append(y + 15).append("\" font-size=\"13\">").append(t.integer(values.get(i))).append("</text>");
    }
    return svg.append("</svg></figure>").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
