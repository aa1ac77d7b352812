package fr.sante.workbench.cli;

import fr.sante.workbench.WorkbenchException;
import fr.sante.workbench.anonymisation.Approval;
import fr.sante.workbench.anonymisation.AuditKey;
import fr.sante.workbench.anonymisation.AuditLog;
import fr.sante.workbench.anonymisation.ExportVerification;
import fr.sante.workbench.anonymisation.ProtectionDetail;
import fr.sante.workbench.lake.Lake;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code workbench audit init|list|show ID|verify [ID]|report|approve ID --lake DIR}: the DPO's view of every export attempt. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Read and verify the lake's audit log.",
      "List the entries, show one, or verify the hash chain, the entries'",
      "signatures, the table's Delta history (appends only), every exported file's SHA-256 and, on the published",
      "CSV itself, the thresholds and the protection intervals; with --exports, that each published folder's",
      "entry is still in the log. verify exits with 1 and names each altered file, cell, commit or entry.",
      "init (the DPO, once): creates the audit key (" + AuditKey.ENV + " or ~/.workbench/audit.key) if there is",
      "none and appends a signed INIT entry that adopts the lake's chain so far.",
      "approve ID (the DPO): records the decision on export ID (--by, --requester, --purpose, --recipient,",
      "--decision) as a signed entry of the chain; report shows it on the export's page."
    })
public final class AuditCommand implements Callable<Integer> {
  /** What to do. */
  enum Action {
    list,
    show,
    verify,
    report,
    init,
    approve
  }

  @Parameters(index = "0", description = "init, list, show, verify, report or approve.")
  Action action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "Entry id (show and approve: required; verify and report: all entries when omitted).")
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

  @picocli.CommandLine.Option(names = "--by", paramLabel = "NAME", description = "approve: who decides (the DPO's name, recorded as the entry's user).")
  String approver;

  @picocli.CommandLine.Option(names = "--requester", paramLabel = "NAME", description = "approve: who asked for the export.")
  String requester;

  @picocli.CommandLine.Option(names = "--purpose", paramLabel = "TEXT", description = "approve: what the export is for.")
  String purpose;

  @picocli.CommandLine.Option(names = "--recipient", paramLabel = "NAME", description = "approve: who receives the published files.")
  String recipient;

  @picocli.CommandLine.Option(names = "--decision", paramLabel = "DECISION", description = "approve: approved or rejected.")
  String decision;

  @picocli.CommandLine.Option(names = "--date", paramLabel = "yyyy-MM-dd", description = "approve: the day of the decision (default: today, UTC).")
  java.time.LocalDate date;

  @Mixin LakeOption lake;
  @Mixin SparkOptions sparkOptions;
  @Mixin LanguageOption lang;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // a bad --lang is a usage error before anything starts; the report's pages label the studies' dimensions
    fr.sante.workbench.anonymisation.AuditReport.Page page = fr.sante.workbench.studies.StudyReport.auditPage(lang.language());
    Lake theLake = lake.lake();
    SparkSession spark = sparkOptions.session("workbench audit");
    PrintWriter out = spec.commandLine().getOut();
    if (action == Action.init) {
      return init(spark, theLake, out);
    }
    if (!theLake.exists(spark, Lake.AUDIT_LOG)) {
      throw new WorkbenchException("Cannot read the audit log: the lake '" + theLake.root() + "' has no exports yet");
    }
    String auditLog = theLake.tablePath(Lake.AUDIT_LOG);
    if (action == Action.approve) {
      return approve(spark, auditLog, out);
    }
    List<AuditLog.StoredEntry> entries = TerminalProgress.toStderr().during("reading the audit log " + auditLog, () -> AuditLog.entries(spark, auditLog));
    switch (action) {
      case list -> {
        out.println(String.format(Locale.ROOT, "%5s  %-24s %-10s %-8s %9s %8s %9s  %s", "id", "time", "user", "kind", "published", "primary", "secondary", "out"));
        for (AuditLog.StoredEntry r : entries) {
          AuditLog.Entry e = r.entry();
          out.println(
              String.format(
                  Locale.ROOT, "%5d  %-24s %-10s %-8s %9d %8d %9d  %s", r.id(), e.time(), e.user(), e.kind(), e.published(), e.primary(), e.secondary(),
                  r.isExport() ? e.outDir() : e.reason()));
        }
      }
      case show -> {
        if (id == null) {
          throw new ParameterException(spec.commandLine(), "Missing ID: audit show needs an entry id");
        }
        AuditLog.StoredEntry r = entry(entries, id);
        r.fields().forEach((field, value) -> {
          if (!field.equals("detail")) {
            out.println(String.format(Locale.ROOT, "%-16s %s", field, value));
          }
        });
        r.entry().protectionDetail().ifPresent(detail -> printDetail(out, detail));
        fr.sante.workbench.anonymisation.Releases.of(spark, auditLog, r.id()).ifPresent(release -> {
          List<Long> group = fr.sante.workbench.anonymisation.Releases.group(spark, auditLog, release.group());
          out.println(String.format(Locale.ROOT, "release          %s: %,d cells over %s (%,d hidden), counting %s; register '%s', group %s%s", release.tableName(),
              release.cells(), String.join(" × ", release.dimensions()), release.hidden(), release.unit(), Lake.RELEASES, release.group(),
              group.size() > 1 ? " published together with entries " + group.stream().filter(e -> e != r.id()).toList() : ""));
        });
      }
      case report -> {
        List<String> chain = AuditLog.verify(spark, auditLog, AuditKey.find(), List.of()).problems();
        if (id != null) {
          Path target = reportFile != null ? reportFile : Path.of("audit-report-" + id + ".html");
          int problems = writeReport(entry(entries, id), chain, entries, target, page);
          out.println("Wrote " + target.toAbsolutePath() + (problems == 0 ? " (verified)" : " (" + problems + " problem(s))"));
        } else {
          // every entry, one page each, and an index linking them
          Path dir = reportFile != null ? reportFile : Path.of("audit-reports");
          java.nio.file.Files.createDirectories(dir);
          java.util.Map<Long, Integer> problems = new java.util.HashMap<>();
          java.util.Map<Long, String> pages = new java.util.HashMap<>();
          int failed = 0;
          for (AuditLog.StoredEntry r : entries) {
            String file = "entry-" + r.id() + ".html";
            int found = writeReport(r, chain, entries, dir.resolve(file), page);
            failed += found == 0 ? 0 : 1;
            problems.put(r.id(), found);
            pages.put(r.id(), file);
          }
          java.nio.file.Files.writeString(dir.resolve("index.html"), fr.sante.workbench.anonymisation.AuditReport.index(entries, problems, pages, page),
              java.nio.charset.StandardCharsets.UTF_8);
          out.println("Wrote " + entries.size() + " page(s) and index.html in " + dir.toAbsolutePath() + (failed == 0 ? " (all verified)" : " (" + failed + " with problems)"));
        }
      }
      case verify -> {
        if (id != null) {
          entry(entries, id);
        }
        ExportVerification.Result result =
            TerminalProgress.toStderr().during(
                "verifying the hash chain of " + entries.size() + " entries and re-checking the exports' files",
                () -> ExportVerification.verify(spark, auditLog, AuditKey.find(), exportFolders == null ? List.of() : exportFolders, java.util.Optional.ofNullable(id)));
        result.notes().forEach(note -> spec.commandLine().getErr().println("Note: " + note));
        if (!result.verified()) {
          result.problems().forEach(p -> spec.commandLine().getErr().println("ALTERED: " + p));
          spec.commandLine().getErr().flush();
          out.println("Verification failed: " + result.problems().size() + " problem(s)");
          out.flush();
          return Workbench.EXIT_FAILURE;
        }
        AuditLog.Verification chain = result.chain();
        out.println(
            "Verified: hash chain intact over " + chain.entries() + " entries (" + chain.signed() + " signed), Delta history appends only; " + result.exportsChecked()
                + " export(s) re-checked (files, cells, thresholds, intervals)"
                + (exportFolders == null ? "" : "; " + chain.folders() + " published folder(s) found in the log"));
      }
      default -> throw new IllegalStateException("unreachable: " + action);
    }
    out.flush();
    return 0;
  }

  /** The DPO detail of a table export: which hidden cell is which (never in the published folder). */
  private static void printDetail(PrintWriter out, ProtectionDetail detail) {
    out.println("detail (for the DPO only, never published):");
    out.println(String.format(Locale.ROOT, "  %-14s %s", "primary", cells(detail.primary())));
    out.println(String.format(Locale.ROOT, "  %-14s %s", "small", cells(detail.primarySmall())));
    if (!detail.primaryDominance().isEmpty()) {
      out.println(String.format(Locale.ROOT, "  %-14s %s", "dominated", cells(detail.primaryDominance())));
    }
    out.println(String.format(Locale.ROOT, "  %-14s %s", "secondary", cells(detail.secondary())));
    detail.certificates().forEach((cell, partner) -> out.println(String.format(Locale.ROOT, "  %-14s %s with %s", "cube", String.join(" × ", cell), String.join(" × ", partner))));
    detail.intervals().forEach((cell, interval) -> out.println(String.format(Locale.ROOT, "  %-14s %s in [%s, %s]", "interval", String.join(" × ", cell), interval.low(),
        Double.isInfinite(interval.high()) ? "∞" : String.valueOf(interval.high()))));
  }

  private static String cells(List<List<String>> cells) {
    return cells.isEmpty() ? "(none)" : String.join(", ", cells.stream().map(c -> String.join(" × ", c)).toList());
  }

  /** Creates the key if there is none, then appends a signed INIT entry adopting the chain so far. */
  private int init(SparkSession spark, Lake theLake, PrintWriter out) {
    // init creates the key where the workbench looks for it, WORKBENCH_AUDIT_KEY's file included
    java.nio.file.Path location = AuditKey.location(System.getenv());
    java.util.Optional<AuditKey> existing = java.nio.file.Files.exists(location) ? AuditKey.find() : java.util.Optional.empty();
    AuditKey key = existing.orElseGet(() -> AuditKey.create(location));
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

  /** Records the DPO's decision on an export as a signed entry. */
  private int approve(SparkSession spark, String auditLog, PrintWriter out) {
    if (id == null) {
      throw new ParameterException(spec.commandLine(), "Missing ID: audit approve needs the export's entry id");
    }
    List<String> missing = new ArrayList<>();
    for (String[] option : new String[][] {{"--by", approver}, {"--requester", requester}, {"--purpose", purpose}, {"--recipient", recipient}, {"--decision", decision}}) {
      if (option[1] == null || option[1].isBlank()) {
        missing.add(option[0]);
      }
    }
    if (!missing.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Missing " + String.join(", ", missing) + ": audit approve records who asked, for what, for whom, who decided and what");
    }
    Approval.Decision chosen;
    try {
      chosen = Approval.Decision.parse(decision);
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + decision + "' for option '--decision': expected approved or rejected");
    }
    Approval approval =
        new Approval(id, requester, purpose, recipient, approver, chosen, date != null ? date : java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    AuditLog.Appended appended = Approval.record(spark, auditLog, approval);
    out.println("Decision on export " + id + " (" + chosen.label() + " by " + approver + ") recorded as signed audit entry " + appended.id());
    out.flush();
    return 0;
  }

  /** One entry's HTML page; returns the number of problems found (the chain's and its files'). */
  private static int writeReport(
      AuditLog.StoredEntry r, List<String> chain, List<AuditLog.StoredEntry> entries, Path target, fr.sante.workbench.anonymisation.AuditReport.Page language)
      throws java.io.IOException {
    List<String> problems = new ArrayList<>(chain);
    Path manifest = null;
    if (r.isExport()) {
      Path folder = Path.of(r.entry().outDir());
      problems.addAll(ExportVerification.checkEntry(r, folder));
      manifest = folder.resolve(fr.sante.workbench.anonymisation.Exports.MANIFEST_FILE);
    }
    String page;
    try {
      page = fr.sante.workbench.anonymisation.AuditReport.html(r, manifest, problems, entries, language);
    } catch (java.io.IOException | RuntimeException e) {
      // one unreadable manifest must not stop the report of the others: its page says what is wrong
      problems.add("Cannot read the manifest " + manifest + ": " + e.getMessage());
      page = fr.sante.workbench.anonymisation.AuditReport.html(r, null, problems, entries, language);
    }
    java.nio.file.Files.writeString(target, page, java.nio.charset.StandardCharsets.UTF_8);
    return problems.size();
  }

  private static AuditLog.StoredEntry entry(List<AuditLog.StoredEntry> entries, long id) {
    return entries.stream().filter(e -> e.id() == id).findFirst()
        .orElseThrow(() -> new WorkbenchException("No audit entry " + id + " (see 'workbench audit list')"));
  }
}
