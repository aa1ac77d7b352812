package fr.sante.workbench.anonymisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    page.append(problems.isEmpty() ? "<p class=\"ok\">Verified: hash chain, files, cells, thresholds and intervals.</p>" : "<p class=\"bad\">Verification failed:</p><ul>");
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
    if (manifest != null) {
      page.append("<h2>Protection</h2><table>");
      for (String key : List.of("counts", "cells", "cells_primary", "cells_secondary", "secondary_loss")) {
        page.append("<tr><th>").append(key).append("</th><td>").append(escape(manifest.path(key).asText())).append("</td></tr>");
      }
      page.append("</table>");
      cells(page, "Suppressed because small (primary)", manifest.path("primary"));
      cells(page, "Suppressed to protect them (secondary)", manifest.path("secondary"));
      page.append("<p>In the published file both kinds look the same: an empty count and <code>suppressed=true</code>.</p>");
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

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
