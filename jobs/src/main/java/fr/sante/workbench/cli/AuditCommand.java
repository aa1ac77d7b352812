package fr.sante.workbench.cli;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.AuditKey;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.PublishedTableCheck;
import fr.sante.workbench.lake.Lake;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench audit init|list|show ID|verify [ID]|report --lake DIR}: the DPO's view of every export attempt. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Read and verify the lake's audit_log: list the entries, show one, or verify the hash chain, the entries'",
      "signatures, the table's Delta history (appends only), every exported file's SHA-256 and, on the published",
      "CSV itself, the thresholds and the protection intervals; with --exports, that each published folder's",
      "entry is still in the log. verify exits with 1 and names each altered file, cell, commit or entry.",
      "init (the DPO, once): creates the audit key (" + AuditKey.ENV + " or ~/.workbench/audit.key) if there is",
      "none and appends a signed INIT entry that adopts the lake's chain so far."
    })
public final class AuditCommand implements Callable<Integer> {
  /** What to do. */
  enum Action {
    list,
    show,
    verify,
    report,
    init
  }

  @Parameters(index = "0", description = "init, list, show, verify or report.")
  Action action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "Entry id (show: required; verify and report: all entries when omitted).")
  Long id;

  @picocli.CommandLine.Option(
      names = "--out",
      paramLabel = "FILE",
      description = "report: the HTML file to write (default: audit-report-<ID>.html); without ID, the folder for every entry's page and index.html (default: audit-reports).")
  Path reportFile;

  @picocli.CommandLine.Option(
      names = "--exports",
      paramLabel = "DIR",
      description = "verify: a published folder, or a folder holding published folders, whose audit entries must be in the log; repeat.")
  List<Path> exportFolders;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Lake theLake = lake.lake();
    SparkSession spark = sparkOptions.session("workbench audit");
    PrintWriter out = spec.commandLine().getOut();
    if (action == Action.init) {
      return init(spark, theLake, out);
    }
    if (!theLake.exists(spark, Lake.AUDIT_LOG)) {
      throw new WorkbenchException("Cannot read the audit log: the lake '" + theLake.root() + "' has no exports yet");
    }
    Dataset<Row> entries = theLake.read(spark, Lake.AUDIT_LOG).orderBy(col("entry_id"));
    switch (action) {
      case list -> {
        out.println(String.format(Locale.ROOT, "%5s  %-24s %-10s %-8s %9s %8s %9s  %s", "id", "time", "user", "kind", "published", "primary", "secondary", "out"));
        for (Row r : entries.collectAsList()) {
          out.println(
              String.format(
                  Locale.ROOT, "%5d  %-24s %-10s %-8s %9d %8d %9d  %s", r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(8), r.getLong(9),
                  r.getLong(10), r.getString(3).equals("EXPORT") ? r.getString(6) : r.getString(11)));
        }
      }
      case show -> {
        if (id == null) {
          throw new ParameterException(spec.commandLine(), "Missing ID: audit show needs an entry id");
        }
        Row r = entry(entries, id);
        for (String field : r.schema().fieldNames()) {
          out.println(String.format(Locale.ROOT, "%-16s %s", field, String.valueOf(r.<Object>getAs(field))));
        }
      }
      case report -> {
        List<String> chain = AuditLog.verify(spark, theLake.tablePath(Lake.AUDIT_LOG), AuditKey.find(), List.of()).problems();
        if (id != null) {
          Path target = reportFile != null ? reportFile : Path.of("audit-report-" + id + ".html");
          int problems = writeReport(entry(entries, id), chain, target);
          out.println("Wrote " + target.toAbsolutePath() + (problems == 0 ? " (verified)" : " (" + problems + " problem(s))"));
        } else {
          // every entry, one page each, and an index linking them
          Path dir = reportFile != null ? reportFile : Path.of("audit-reports");
          java.nio.file.Files.createDirectories(dir);
          StringBuilder index = new StringBuilder("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Audit log</title></head><body>");
          index.append("<h1>Audit log</h1><table><tr><th>id</th><th>time</th><th>kind</th><th>published</th><th>primary</th><th>secondary</th><th>check</th></tr>");
          int failed = 0;
          for (Row r : entries.collectAsList()) {
            String page = "entry-" + r.getLong(0) + ".html";
            int problems = writeReport(r, chain, dir.resolve(page));
            failed += problems == 0 ? 0 : 1;
            index.append(String.format(Locale.ROOT, "<tr><td><a href=\"%s\">%d</a></td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>",
                page, r.getLong(0), r.getString(1), r.getString(3), r.getLong(8), r.getLong(9), r.getLong(10), problems == 0 ? "verified" : problems + " problem(s)"));
          }
          java.nio.file.Files.writeString(dir.resolve("index.html"), index.append("</table></body></html>\n").toString());
          out.println("Wrote " + entries.count() + " page(s) and index.html in " + dir.toAbsolutePath() + (failed == 0 ? " (all verified)" : " (" + failed + " with problems)"));
        }
      }
      case verify -> {
        AuditLog.Verification chain =
            AuditLog.verify(spark, theLake.tablePath(Lake.AUDIT_LOG), AuditKey.find(), exportFolders == null ? List.of() : exportFolders);
        List<String> problems = new ArrayList<>(chain.problems());
        List<Row> checked = id == null ? entries.collectAsList() : List.of(entry(entries, id));
        int exports = 0;
        for (Row r : checked) {
          if (r.getString(3).equals("EXPORT")) {
            exports++;
            for (String problem : checkFiles(r)) {
              problems.add("Entry " + r.getLong(0) + ": " + problem);
            }
          }
        }
        chain.notes().forEach(note -> spec.commandLine().getErr().println("Note: " + note));
        if (!problems.isEmpty()) {
          problems.forEach(p -> spec.commandLine().getErr().println("ALTERED: " + p));
          spec.commandLine().getErr().flush();
          out.println("Verification failed: " + problems.size() + " problem(s)");
          out.flush();
          return Workbench.EXIT_FAILURE;
        }
        out.println(
            "Verified: hash chain intact over " + chain.entries() + " entries (" + chain.signed() + " signed), Delta history appends only; " + exports
                + " export(s) re-checked (files, cells, thresholds, intervals)"
                + (exportFolders == null ? "" : "; " + chain.folders() + " published folder(s) found in the log"));
      }
    }
    out.flush();
    return 0;
  }

  /** Creates the key if there is none, then appends a signed INIT entry adopting the chain so far. */
  private int init(SparkSession spark, Lake theLake, PrintWriter out) {
    java.util.Optional<AuditKey> existing = AuditKey.find();
    AuditKey key = existing.orElseGet(() -> AuditKey.create(AuditKey.location(System.getenv())));
    out.println((existing.isPresent() ? "Using the audit key " : "Created the audit key ") + key.file() + " (fingerprint " + key.fingerprint()
        + "): keep it outside the lake, readable only by the account that runs exports and by the DPO");
    long entry =
        AuditLog.append(
            spark, theLake.tablePath(Lake.AUDIT_LOG),
            new AuditLog.Entry(java.time.Instant.now().toString(), System.getProperty("user.name", "unknown"), "INIT", "audit init: entries from here on are signed",
                "{}", "", "{}", 0, 0, 0, "key " + key.fingerprint()));
    out.println("Signed INIT entry " + entry + " appended to " + theLake.tablePath(Lake.AUDIT_LOG) + "; every later entry is signed");
    out.flush();
    return 0;
  }

  /** Re-checks an EXPORT entry's published files against the hashes it recorded. */
  private static List<String> checkFiles(Row r) throws java.io.IOException {
    Map<String, String> files = new ObjectMapper().readValue(r.getString(7), new TypeReference<Map<String, String>>() {});
    return PublishedTableCheck.check(Path.of(r.getString(6)), files);
  }

  /** One entry's HTML page; returns the number of problems found (the chain's and its files'). */
  private static int writeReport(Row r, List<String> chain, Path target) throws java.io.IOException {
    List<String> problems = new ArrayList<>(chain);
    Path manifest = null;
    if (r.getString(3).equals("EXPORT")) {
      problems.addAll(checkFiles(r));
      manifest = Path.of(r.getString(6)).resolve(fr.sante.workbench.anonymisation.Exports.MANIFEST_FILE);
    }
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    for (String field : r.schema().fieldNames()) {
      fields.put(field, r.getAs(field));
    }
    java.nio.file.Files.writeString(target, fr.sante.workbench.anonymisation.AuditReport.html(fields, manifest, problems));
    return problems.size();
  }

  private static Row entry(Dataset<Row> entries, long id) {
    List<Row> found = entries.filter(col("entry_id").equalTo(id)).collectAsList();
    if (found.isEmpty()) {
      throw new WorkbenchException("No audit entry " + id + " (see 'workbench audit list')");
    }
    return found.get(0);
  }
}
