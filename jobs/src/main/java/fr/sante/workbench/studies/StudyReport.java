package fr.sante.workbench.studies;

import fr.sante.workbench.anonymisation.PublishedTable;
import fr.sante.workbench.anonymisation.ReportLanguage;
import fr.sante.workbench.anonymisation.ReportText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small self-contained HTML report: what was published (with each table's audit entry and suppressed
 * cells), the derived figures, and the charts (SVG embedded by reference, PNG beside it). Everything in it
 * is read from the gate's published files. Its texts come from {@code report_<lang>.properties} beside this class (see
 * {@link #texts}); code labels stay as the code lists give them, and the CSV files beside it stay language-independent.
 */
public final class StudyReport {
  /** The resource path of the study reports' texts, without language and extension. */
  static final String BUNDLE = "/fr/sante/workbench/studies/report";
  private static final java.util.regex.Pattern BOUND = java.util.regex.Pattern.compile("(.+_(?:low|high))(\\d+)");
  private final StringBuilder body = new StringBuilder();
  private final String title;
  private final ReportText text;

  /** A report in English. */
  public StudyReport(String title, String introduction, Map<String, Long> inputs) {
    this(texts(ReportLanguage.EN), title, introduction, inputs);
  }

  /** A report whose surrounding texts (and numbers) are in {@code text}'s language; title and introduction already are. */
  public StudyReport(ReportText text, String title, String introduction, Map<String, Long> inputs) {
    this.text = text;
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n<p>").append(escape(introduction)).append("</p>\n");
    StringBuilder snapshot = new StringBuilder();
    inputs.forEach((table, version) -> snapshot.append(snapshot.isEmpty() ? "" : ", ").append(table).append(" v").append(version));
    body.append("<p class=\"meta\">").append(escape(text.msg("report.snapshot", snapshot.toString()))).append("</p>\n");
  }

  /** The texts of study reports in {@code language}. */
  public static ReportText texts(ReportLanguage language) {
    return ReportText.load(StudyReport.class, BUNDLE, language);
  }

  /**
   * How the DPO's audit pages read in {@code language}: the studies' dimensions (derived columns such as {@code
   * rate_class}, which no code list names) by their labels in that language.
   */
  public static fr.sante.workbench.anonymisation.AuditReport.Page auditPage(ReportLanguage language) {
    ReportText text = texts(language);
    Map<String, String> labels = new java.util.TreeMap<>();
    // a label with a placeholder (an interval's bound at a level) names no dimension
    text.keys().stream().filter(k -> k.startsWith("column.") && !text.find(k).orElse("").contains("{0}"))
        .forEach(k -> labels.put(k.substring("column.".length()), text.msg(k)));
    return new fr.sante.workbench.anonymisation.AuditReport.Page(language, labels);
  }

  /** The label of a published or derived column in this report's language, or its name when it is a source column. */
  public static String columnLabel(ReportText text, String column) {
    if (column.endsWith("_label") && text.find("column." + column).isEmpty()) {
      String coded = column.substring(0, column.length() - "_label".length());
      return text.find("column." + coded).map(l -> text.msg("report.column.label", l)).orElse(column);
    }
    java.util.regex.Matcher bound = BOUND.matcher(column);
    if (bound.matches() && text.find("column." + bound.group(1)).isPresent()) {
      // an interval's bound at a confidence level: crude_low95
      return text.msg("column." + bound.group(1), bound.group(2));
    }
    return text.find("column." + column).orElse(column);
  }

  public StudyReport section(String heading) {
    body.append("<h2>").append(escape(heading)).append("</h2>\n");
    return this;
  }

  public StudyReport text(String paragraph) {
    body.append("<p>").append(escape(paragraph)).append("</p>\n");
    return this;
  }

  /** A chart, or in its place the sentence saying why it was not drawn. */
  public StudyReport chart(Charts.Figure figure) {
    if (figure instanceof Charts.Chart chart) {
      body.append("<figure><img src=\"charts/").append(chart.svg().getFileName()).append("\" alt=\"").append(escape(chart.title()))
          .append("\"><figcaption>").append(escape(chart.title())).append(" (<a href=\"charts/").append(chart.png().getFileName())
          .append("\">").append(text.msg("report.png")).append("</a>)</figcaption></figure>\n");
    } else if (figure instanceof Charts.Omitted omitted) {
      body.append("<p class=\"no-chart\"><strong>").append(escape(omitted.title())).append(".</strong> ").append(escape(omitted.reason())).append("</p>\n");
    } else {
      throw new IllegalStateException("Unknown figure: " + figure);
    }
    return this;
  }

  /** A published table: its audit entry, suppression counts and lines. */
  public StudyReport published(StudyTable table, int maxRows) {
    body.append("<p class=\"meta\">").append(text.msg("report.published", "<code>tables/" + escape(table.name()) + "/table.csv</code>", table.export().auditEntry(),
        table.published().manifest().cellsHidden())).append("</p>\n");
    List<String> headers = new java.util.ArrayList<>(table.dimensions());
    headers.add(table.countColumn());
    headers.addAll(table.amountColumns());
    List<List<String>> rows = new java.util.ArrayList<>();
    for (PublishedTable.Cell cell : table.cells()) {
      List<String> row = new java.util.ArrayList<>(cell.key());
      row.add(cell.count().isPresent() ? String.valueOf(cell.count().getAsLong()) : "");
      for (String amount : table.amountColumns()) {
        row.add(cell.amount(amount).map(java.math.BigDecimal::toPlainString).orElse(""));
      }
      rows.add(row);
    }
    return table(headers, rows, maxRows);
  }

  /** A derived table, with its method and sources. */
  public StudyReport derived(DerivedTable table, int maxRows) {
    body.append("<p class=\"meta\">").append(escape(table.title())).append(" (").append(text.msg("report.derived.file", "<code>" + escape(table.name()) + ".csv</code>",
        escape(String.join(", ", table.sources())))).append("). ").append(escape(table.method())).append("</p>\n");
    return table(table.headers(), table.rows(), maxRows);
  }

  private StudyReport table(List<String> headers, List<List<String>> rows, int maxRows) {
    // a wide table scrolls inside its box, never the page; column names may break after an underscore
    body.append("<div class=\"wide\"><table><tr>");
    // a column is shown by its label (breakable after an underscore); its name in the CSV file is the header's tooltip
    headers.forEach(h -> body.append("<th title=\"").append(escape(h)).append("\">").append(escape(columnLabel(text, h)).replace("_", "_<wbr>")).append("</th>"));
    body.append("</tr>\n");
    int shown = 0;
    for (List<String> row : rows) {
      if (shown++ == maxRows) {
        body.append("<tr><td colspan=\"").append(headers.size()).append("\">… ").append(text.msg("report.more", rows.size() - maxRows)).append("</td></tr>\n");
        break;
      }
      body.append("<tr>");
      // figures in the report's typography (the CSV keeps them plain); codes as they are; numbers, months and codes stay
      // on one line, labels and sentences wrap
      for (int c = 0; c < row.size(); c++) {
        String v = row.get(c);
        java.util.Optional<String> label = text.find("value." + headers.get(c) + "." + v);
        String cellText = label.orElse(isCodeColumn(headers.get(c)) ? v : text.number(v));
        body.append(label.isEmpty() && ONE_LINE.matcher(v).matches() ? "<td>" : "<td class=\"text\">").append(escape(cellText)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table></div>\n");
    return this;
  }

  /** A column of codes (a source column, a study's dimension, a label), whose values are never written as numbers. */
  static boolean isCodeColumn(String header) {
    return header.equals(header.toUpperCase(java.util.Locale.ROOT)) || header.endsWith("_label") || Completeness.isCode(header);
  }

  /** Writes {@code <dir>/index.html}. */
  public Path write(Path dir) {
    String html =
        "<!DOCTYPE html>\n<html lang=\"" + text.language().code() + "\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>"
            + "body{font-family:sans-serif;max-width:100em;margin:2em auto;padding:0 1em;color:#222}p{max-width:60em}.wide{overflow-x:auto;margin:.5em 0 1.5em}"
            + "table{border-collapse:collapse;font-size:85%}td,th{border:1px solid #ccc;padding:2px 4px;text-align:right}td{white-space:nowrap}th{background:#eee}"
            + "td.text{white-space:normal;text-align:left;min-width:6em}"
            + ".meta{color:#555;font-size:90%}figure{margin:1em 0}figure img{max-width:100%;height:auto}.no-chart{border-left:4px solid #bbb;padding-left:.6em}"
            + "." + SYNTHETIC_CLASS + "{background:#fff3cd;border:1px solid #e0b000;padding:.6em 1em;font-weight:bold}</style></head><body>\n" + body + "</body></html>\n";
    try {
      Path file = Files.createDirectories(dir).resolve("index.html");
      Files.writeString(file, html, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report to " + dir, e);
    }
  }

  /** A cell kept on one line: empty, a number, a month or date, or a code without spaces. */
  private static final java.util.regex.Pattern ONE_LINE = java.util.regex.Pattern.compile("|[-+]?[0-9][0-9.,]*|[0-9]{4}-[0-9]{2}(-[0-9]{2})?|[0-9A-Za-z]{1,3}");

  /** The class of the banner {@link #flagSynthetic} adds. */
  static final String SYNTHETIC_CLASS = "synthetic";

  /**
   * Puts a banner at the top of a written report saying its figures come from synthetic data (the demo's): a reader
   * who finds the file later must not take them for real ones. Adding it twice changes nothing.
   */
  public static void flagSynthetic(Path report, String statement) {
    try {
      String html = Files.readString(report, StandardCharsets.UTF_8);
      String banner = "<p class=\"" + SYNTHETIC_CLASS + "\">" + escape(statement) + "</p>\n";
      if (!html.contains(banner)) {
        int body = html.indexOf("<body>\n");
        if (body < 0) {
          throw new IllegalArgumentException("Expected a report written by StudyReport (with '<body>') but found none in " + report);
        }
        Files.writeString(report, html.substring(0, body + 7) + banner + html.substring(body + 7), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot flag the report " + report + " as synthetic", e);
    }
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
